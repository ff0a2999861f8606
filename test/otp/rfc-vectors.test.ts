import { describe, expect, it } from 'vitest';
import { generateHOTP, generateTOTP, timeStep } from '../../src/otp/codes.js';
import { RFC4226, RFC6238, RFC6238_SEEDS } from '../helpers/rfc-vectors.js';

describe('RFC 4226 Appendix D: HOTP test values', () => {
  it.each(RFC4226.codes.map((code, counter) => ({ counter, code })))(
    'counter $counter gives $code',
    ({ counter, code }) => {
      expect(generateHOTP(RFC4226.seed, counter, { algorithm: 'SHA1', digits: 6 })).toBe(code);
    },
  );
});

describe('RFC 6238 Appendix B: TOTP test vectors', () => {
  it.each(RFC6238)('T = %i s (step %s), %s gives %s', (seconds, stepHex, algorithm, code) => {
    const now = seconds * 1000;
    expect(timeStep(now, 30)).toBe(parseInt(stepHex, 16));
    expect(generateTOTP(RFC6238_SEEDS[algorithm], now, { algorithm, digits: 8, period: 30 })).toBe(
      code,
    );
  });
});
