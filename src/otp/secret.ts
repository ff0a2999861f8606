/**
 * Reading existing OATH secrets for import (hardware tokens, other systems):
 * base32 (RFC 4648), hex, or an `otpauth://` key URI.
 */
import { Secret, URI, HOTP, TOTP } from 'otpauth';
import { OTP_ALGORITHMS, type OtpAlgorithm, type OtpParams } from './codes.js';

export interface ImportedSecret {
  seed: Uint8Array;
  /** Parameters the source states (only an otpauth URI states any). */
  params: Partial<OtpParams>;
  counter?: number;
  issuer?: string;
  label?: string;
}

/** RFC 4226 section 4 R6: at least 128 bits; 128 bytes is far beyond any real token. */
export const MIN_SEED_BYTES = 16;
export const MAX_SEED_BYTES = 128;

export class SecretFormatError extends Error {}

export function parseBase32Secret(text: string): ImportedSecret {
  const cleaned = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  if (!/^[A-Z2-7]+$/.test(cleaned)) {
    throw new SecretFormatError('the secret is not base32 (letters A-Z and digits 2-7)');
  }
  return { seed: checkLength(Secret.fromBase32(cleaned).bytes), params: {} };
}

export function parseHexSecret(text: string): ImportedSecret {
  const cleaned = text.replace(/[\s:-]/g, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(cleaned)) {
    throw new SecretFormatError('the secret is not hex (pairs of digits 0-9 and a-f)');
  }
  return { seed: checkLength(Secret.fromHex(cleaned).bytes), params: {} };
}

export function parseOtpauthUri(text: string): ImportedSecret {
  if (!/^otpauth:\/\/(totp|hotp)\//i.test(text)) {
    throw new SecretFormatError('the URI must start with otpauth://totp/ or otpauth://hotp/');
  }
  let otp: HOTP | TOTP;
  try {
    otp = URI.parse(text);
  } catch {
    throw new SecretFormatError('the otpauth URI cannot be read');
  }
  const algorithm = otp.algorithm.toUpperCase().replace('-', '') as OtpAlgorithm;
  if (!OTP_ALGORITHMS.includes(algorithm)) {
    throw new SecretFormatError('the algorithm must be SHA1, SHA256 or SHA512');
  }
  if (otp.digits !== 6 && otp.digits !== 8) {
    throw new SecretFormatError('the URI must give 6 or 8 digits');
  }
  const params: Partial<OtpParams> = { algorithm, digits: otp.digits };
  const result: ImportedSecret = {
    seed: checkLength(otp.secret.bytes),
    params,
    issuer: otp.issuer,
    label: otp.label,
  };
  if (otp instanceof TOTP) {
    if (otp.period !== 30 && otp.period !== 60) {
      throw new SecretFormatError('the URI must give a period of 30 or 60 seconds');
    }
    params.type = 'totp';
    params.period = otp.period;
  } else {
    params.type = 'hotp';
    result.counter = otp.counter;
  }
  return result;
}

function checkLength(seed: Uint8Array): Uint8Array {
  if (seed.length < MIN_SEED_BYTES || seed.length > MAX_SEED_BYTES) {
    throw new SecretFormatError(
      `the secret must be ${MIN_SEED_BYTES} to ${MAX_SEED_BYTES} bytes long (it is ${seed.length})`,
    );
  }
  return seed;
}
