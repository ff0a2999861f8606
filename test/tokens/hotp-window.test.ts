import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { generateHOTP, OTP_ALGORITHMS, type OtpAlgorithm } from '../../src/otp/codes.js';
import { findCounterInWindow } from '../../src/tokens/hotp-window.js';
import { RFC4226, RFC6238, RFC6238_SEEDS } from '../helpers/rfc-vectors.js';

// Counts the HMACs computed, calling through to node:crypto.
vi.mock('node:crypto', async (original) => {
  const actual = await original<typeof import('node:crypto')>();
  return { ...actual, createHmac: vi.fn(actual.createHmac) };
});

describe('RFC 4226 Appendix D: the server finds each HOTP value at its counter', () => {
  const window = RFC4226.codes.map((_, counter) => counter);
  const params = { algorithm: 'SHA1', digits: 6 } as const;
  it.each(RFC4226.codes.map((code, counter) => ({ counter, code })))(
    'counter $counter: $code',
    ({ counter, code }) => {
      expect(findCounterInWindow(RFC4226.seed, code, [counter], params)).toBe(counter);
      expect(findCounterInWindow(RFC4226.seed, code, window, params)).toBe(counter);
    },
  );
});

describe('RFC 6238 Appendix B: the server finds each TOTP value at its time step', () => {
  // RFC 4226 section 5.3 takes the truncated value modulo 10^Digit, so the 6-digit code
  // is the 8-digit one's last six digits.
  const cases = RFC6238.flatMap(([, stepHex, algorithm, code]) =>
    [code, code.slice(2)].map((digitsCode) => ({ stepHex, algorithm, code: digitsCode })),
  );
  it.each(cases)('step $stepHex, $algorithm: $code', ({ stepHex, algorithm, code }) => {
    const step = parseInt(stepHex, 16);
    const params = { algorithm, digits: code.length };
    const seed = RFC6238_SEEDS[algorithm];
    expect(findCounterInWindow(seed, code, [step - 1, step, step + 1], params)).toBe(step);
    expect(findCounterInWindow(seed, code, [step - 1, step + 1], params)).toBe(undefined);
  });
});

describe('the server and the authenticator compute the same codes', () => {
  // A fixed-seed generator (mulberry32), so that a failure can be run again as it was.
  function randomSource(seed: number) {
    let state = seed >>> 0;
    const next = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    };
    return {
      below: (n: number) => Math.floor(next() * n),
      bytes: (n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
    };
  }

  /** What the app's codes say: the first candidate whose otpauth code is `code`. */
  function firstMatchByOtpauth(
    seed: Uint8Array,
    code: string,
    candidates: number[],
    params: { algorithm: OtpAlgorithm; digits: number },
  ): number | undefined {
    return candidates.find((counter) => generateHOTP(seed, counter, params) === code);
  }

  it('agrees with otpauth for 600 random seeds, counters, algorithms and lengths', () => {
    const random = randomSource(17);
    // Counters near 0, around 2^32 (where the 8-byte counter's upper half starts) and
    // up to the largest safe integer.
    const counterRanges = [2 ** 10, 2 ** 33, Number.MAX_SAFE_INTEGER - 20];
    for (let run = 0; run < 600; run++) {
      const algorithm = OTP_ALGORITHMS[random.below(3)]!;
      const digits = 6 + random.below(3);
      const seed = random.bytes(1 + random.below(100));
      const counter = random.below(counterRanges[random.below(3)]!);
      const params = { algorithm, digits };
      const window = Array.from({ length: 1 + random.below(12) }, (_, i) => counter + i);
      const aimed = window[random.below(window.length)]!;
      for (const code of [
        generateHOTP(seed, aimed, params),
        String(random.below(10 ** digits)).padStart(digits, '0'),
      ]) {
        const found = findCounterInWindow(seed, code, window, params);
        expect(found, `seed ${Buffer.from(seed).toString('hex')}, ${algorithm}, ${code}`).toBe(
          firstMatchByOtpauth(seed, code, window, params),
        );
      }
    }
  });
});

describe('the window check', () => {
  const seed = RFC4226.seed;
  const params = { algorithm: 'SHA1', digits: 6 } as const;

  it('computes every candidate even when the first one matches', () => {
    const createHmac = vi.mocked(crypto.createHmac);
    createHmac.mockClear();
    expect(findCounterInWindow(seed, '755224', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], params)).toBe(0);
    expect(createHmac).toHaveBeenCalledTimes(10);
  });

  it('returns the first of the candidates that match', () => {
    expect(findCounterInWindow(seed, '287082', [3, 1, 1], params)).toBe(1);
  });

  it.each([
    ['one digit short', '75522'],
    ['one digit too many', '7552240'],
    ['a character that is not a digit', '75522\u0134'],
    ['nothing', ''],
  ])('matches no code with %s, yet computes the window', (_name, code) => {
    const createHmac = vi.mocked(crypto.createHmac);
    createHmac.mockClear();
    expect(findCounterInWindow(seed, code, [0, 1, 2], params)).toBe(undefined);
    expect(createHmac).toHaveBeenCalledTimes(3);
  });
});
