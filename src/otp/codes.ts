/**
 * OATH one-time passcodes: HOTP (RFC 4226) and TOTP (RFC 6238).
 *
 * This folder is pure TypeScript with no Node-only imports, so the authenticator app
 * can share it with the server. The HMAC truncation itself is otpauth's. The server
 * checks passcodes against a window with src/tokens/hotp-window.ts (node:crypto, the key
 * made once per check); a test holds the two to the same codes.
 */
import { HOTP, Secret } from 'otpauth';

export const OTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type OtpAlgorithm = (typeof OTP_ALGORITHMS)[number];
export type OtpType = 'totp' | 'hotp';

export interface OtpParams {
  type: OtpType;
  algorithm: OtpAlgorithm;
  digits: 6 | 8;
  /** TOTP time step in seconds (RFC 6238 section 4.1: X). */
  period: 30 | 60;
}

/**
 * A passcode as a user types it: 6 to 8 digits (ASCII). The sign-in decision checks it
 * and the REST schema publishes it, from this one pattern.
 */
export const PASSCODE_PATTERN = '^[0-9]{6,8}$';

/** What computing one code needs. */
export interface CodeParams {
  algorithm: OtpAlgorithm;
  digits: number;
}

/** The defaults for new tokens: the one combination every authenticator computes correctly. */
export const DEFAULT_OTP_PARAMS: OtpParams = {
  type: 'totp',
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
};

/** Seed length = the hash's output size (RFC 4226 section 4 R6 asks for at least 128 bits). */
export const SEED_LENGTH: Record<OtpAlgorithm, number> = { SHA1: 20, SHA256: 32, SHA512: 64 };

/** The HOTP value for one counter (RFC 4226 section 5.3). */
export function generateHOTP(seed: Uint8Array, counter: number, params: CodeParams): string {
  return HOTP.generate({
    // A copy: a Node Buffer may be a view into a larger shared pool.
    secret: new Secret({ buffer: new Uint8Array(seed).buffer }),
    algorithm: params.algorithm,
    digits: params.digits,
    counter,
  });
}

/** The TOTP time step T for a moment (RFC 6238 section 4.2, T0 = 0). */
export function timeStep(nowMs: number, period: number): number {
  return Math.floor(nowMs / 1000 / period);
}

/** The time steps a TOTP code is accepted for: the current one and `window` on either side. */
export function totpSteps(nowMs: number, period: number, window: number): number[] {
  const step = timeStep(nowMs, period);
  return Array.from({ length: 2 * window + 1 }, (_, i) => step - window + i);
}

/** The TOTP value for a moment (RFC 6238 section 4.2). */
export function generateTOTP(
  seed: Uint8Array,
  nowMs: number,
  params: CodeParams & { period: number },
): string {
  return generateHOTP(seed, timeStep(nowMs, params.period), params);
}
