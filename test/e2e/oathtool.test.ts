/**
 * Interoperability with Debian's `oathtool`: its codes are accepted for imported
 * tokens, and the codes Pforte computes are the ones it computes.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from 'otpauth';
import { generateHOTP, generateTOTP, SEED_LENGTH, type OtpAlgorithm } from '../../src/otp/codes.js';
import { decideSignIn } from '../../src/signin/decide.js';
import { importToken } from '../../src/tokens/tokens.js';
import { createUser } from '../../src/users/users.js';
import { ADMIN, makeCore, SERVICE, type TestCore } from '../helpers/core.js';

function oathtool(args: string[]): string {
  return execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
}

const TOTP_CASES: [OtpAlgorithm, 6 | 8, 30 | 60][] = [
  ['SHA1', 6, 30],
  ['SHA1', 8, 30],
  ['SHA256', 6, 30],
  ['SHA256', 8, 60],
  ['SHA512', 8, 30],
];

describe('oathtool interoperability', () => {
  let t: TestCore;
  let n = 0;
  beforeEach(async () => {
    t = await makeCore('sqlite');
  });
  afterEach(async () => t.close());

  async function userWithToken(
    input: Parameters<typeof importToken>[2] extends infer I ? Omit<I & object, 'username'> : never,
  ) {
    const username = `user${n++}`;
    await createUser(t.core, ADMIN, { username, email: `${username}@example.org` });
    await importToken(t.core, ADMIN, { username, ...input });
    return username;
  }

  it.each(TOTP_CASES)(
    'accepts oathtool TOTP codes: %s, %i digits, %i s',
    async (algorithm, digits, period) => {
      const secret = new Secret({ size: SEED_LENGTH[algorithm] });
      const username = await userWithToken({ secretHex: secret.hex, algorithm, digits, period });
      const now = new Date(t.clock.now()).toISOString().replace('T', ' ').replace('.000Z', ' UTC');
      const code = oathtool([
        `--totp=${algorithm.toLowerCase()}`,
        `--digits=${digits}`,
        `--time-step-size=${period}s`,
        `--now=${now}`,
        secret.hex,
      ]);
      expect((await decideSignIn(t.core, SERVICE, { username, otp: code })).result).toBe('accept');
      expect(generateTOTP(secret.bytes, t.clock.now(), { algorithm, digits, period })).toBe(code);
    },
  );

  it.each([6, 8] as const)('accepts oathtool HOTP codes (%i digits) in order', async (digits) => {
    const secret = new Secret();
    const username = await userWithToken({ secret: secret.base32, type: 'hotp', digits });
    const codes = oathtool([
      '--hotp',
      `--digits=${digits}`,
      '--counter=0',
      '--window=4',
      secret.hex,
    ]).split('\n');
    expect(codes).toHaveLength(5);
    for (const [counter, code] of codes.entries()) {
      expect(generateHOTP(secret.bytes, counter, { algorithm: 'SHA1', digits })).toBe(code);
      expect((await decideSignIn(t.core, SERVICE, { username, otp: code })).result).toBe('accept');
    }
  });

  it('agrees with oathtool on the base32 form of a secret', async () => {
    const secret = new Secret();
    const now = '2026-11-29 09:00:00 UTC';
    expect(oathtool(['--totp', '--base32', `--now=${now}`, secret.base32])).toBe(
      generateTOTP(secret.bytes, Date.parse('2026-11-29T09:00:00Z'), {
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
      }),
    );
  });
});
