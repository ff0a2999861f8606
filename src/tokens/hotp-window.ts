/**
 * The server's check of a passcode against a window of counters (HOTP, RFC 4226) or time
 * steps (TOTP, RFC 6238 section 4: HOTP over the step). Server-only: it computes with
 * node:crypto directly, the HMAC key made once per check instead of once per candidate.
 * The authenticator app computes its codes with src/otp/codes.ts (otpauth); a test holds
 * the two to the same codes, so the app and the server never disagree.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { CodeParams, OtpAlgorithm } from '../otp/codes.js';

const HMAC_NAMES: Record<OtpAlgorithm, string> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
};

/**
 * The first counter among `candidates` whose code equals `code`, or undefined.
 * Every candidate is computed and compared in constant time, with no early exit, so the
 * time taken does not tell which one (or whether any) matched.
 */
export function findCounterInWindow(
  seed: Uint8Array,
  code: string,
  candidates: readonly number[],
  params: CodeParams,
): number | undefined {
  const key = createSecretKey(seed);
  // A code of another length (in UTF-8 bytes, so no other character passes for a digit)
  // matches nothing, yet the window is computed all the same.
  const typed = Buffer.from(code, 'utf8');
  const sameLength = typed.length === params.digits;
  const expected = sameLength ? typed : Buffer.alloc(params.digits);
  const message = Buffer.alloc(8);
  const computed = Buffer.alloc(params.digits);
  let found: number | undefined;
  for (const counter of candidates) {
    writeCode(computed, key, message, counter, params.algorithm);
    const matches = timingSafeEqual(computed, expected) && sameLength;
    if (matches && found === undefined) found = counter;
  }
  return found;
}

/**
 * Writes the HOTP value for `counter` into `into` as ASCII digits, `into.length` of them:
 * HMAC over the 8-byte big-endian counter, then the dynamic truncation of RFC 4226
 * section 5.3 (the same arithmetic as its reference code).
 */
function writeCode(
  into: Buffer,
  key: KeyObject,
  message: Buffer,
  counter: number,
  algorithm: OtpAlgorithm,
): void {
  // Two's complement over 64 bits, as otpauth encodes the counter.
  message.writeInt32BE(Math.floor(counter / 2 ** 32), 0);
  message.writeUInt32BE(counter >>> 0, 4);
  const hmac = createHmac(HMAC_NAMES[algorithm], key).update(message).digest();
  const offset = hmac[hmac.length - 1]! & 0x0f;
  let value = hmac.readUInt32BE(offset) & 0x7fffffff;
  for (let i = into.length - 1; i >= 0; i--) {
    into[i] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
}
