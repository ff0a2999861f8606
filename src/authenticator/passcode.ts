/**
 * The passcode the app shows for an open token: TOTP for the current moment with the
 * seconds until the next one, or HOTP for the token's next counter (RFC 4226 / 6238,
 * the same code the server checks with).
 */
import { generateHOTP, generateTOTP, type OtpAlgorithm } from '../otp/codes.js';

export interface PasscodeParams {
  type: 'totp' | 'hotp';
  algorithm: OtpAlgorithm;
  digits: number;
  /** TOTP only */
  period: number;
  /** HOTP only: the counter of the next passcode */
  counter: number;
}

export type Passcode =
  | { type: 'totp'; code: string; secondsLeft: number; period: number }
  | { type: 'hotp'; code: string; counter: number };

export function computePasscode(seed: Uint8Array, token: PasscodeParams, nowMs: number): Passcode {
  if (token.type === 'hotp') {
    return { type: 'hotp', code: generateHOTP(seed, token.counter, token), counter: token.counter };
  }
  const periodMs = token.period * 1000;
  return {
    type: 'totp',
    code: generateTOTP(seed, nowMs, token),
    secondsLeft: Math.ceil((periodMs - (nowMs % periodMs)) / 1000),
    period: token.period,
  };
}
