/** Users with imported tokens, and the codes their authenticator would show. */
import { Secret } from 'otpauth';
import { generateHOTP, generateTOTP, SEED_LENGTH, type OtpAlgorithm } from '../../src/otp/codes.js';
import type { Core } from '../../src/context.js';
import { DRIFT_NOTICE_MS } from '../../src/signin/clock-drift.js';
import { importToken } from '../../src/tokens/tokens.js';
import { createUser } from '../../src/users/users.js';
import { ADMIN } from './core.js';

export const PASSWORD = 'correct horse battery';

export interface TestToken {
  serial: string;
  seed: Uint8Array;
  base32: string;
  /** The code the authenticator shows at the core clock's moment (TOTP) or for a counter (HOTP). */
  code(at?: number): string;
}

export interface TestTokenOptions {
  type?: 'totp' | 'hotp';
  algorithm?: OtpAlgorithm;
  digits?: 6 | 8;
  period?: 30 | 60;
  /** A fixed seed instead of a random one: the codes are then the same in every run. */
  secret?: Secret;
}

export async function addUserWithToken(
  core: Core,
  username: string,
  options: TestTokenOptions & { password?: string | null } = {},
): Promise<TestToken> {
  const password = options.password === undefined ? PASSWORD : options.password;
  await createUser(core, ADMIN, {
    username,
    email: `${username}@example.org`,
    ...(password !== null ? { password } : {}),
  });
  return addToken(core, username, options);
}

export async function addToken(
  core: Core,
  username: string,
  options: TestTokenOptions = {},
): Promise<TestToken> {
  const algorithm = options.algorithm ?? 'SHA1';
  const secret = options.secret ?? new Secret({ size: SEED_LENGTH[algorithm] });
  const type = options.type ?? 'totp';
  const params = { algorithm, digits: options.digits ?? 6, period: options.period ?? 30 };
  const token = await importToken(core, ADMIN, {
    username,
    secret: secret.base32,
    type,
    ...params,
  });
  return {
    serial: token.serial,
    seed: secret.bytes,
    base32: secret.base32,
    code: (at) =>
      type === 'totp'
        ? generateTOTP(secret.bytes, at ?? core.clock.now(), params)
        : generateHOTP(secret.bytes, at ?? 0, params),
  };
}

/**
 * A 6-digit code that is none of the codes `codeAt` gives within DRIFT_NOTICE_MS of `now`:
 * wrong for the window and for the clock-drift search alike, whatever the seed. (A code
 * the drift search finds is refused as clock_drift, not wrong_passcode: with a random
 * seed "000000" is one of those 40 codes once in 25,000 tries.)
 */
export function wrongCodeNear(codeAt: (at: number) => string, now: number, period = 30): string {
  const reach = Math.ceil(DRIFT_NOTICE_MS / 1000 / period);
  const near = new Set<string>();
  for (let d = -reach; d <= reach; d++) near.add(codeAt(now + d * period * 1000));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!near.has(code)) return code;
  }
}
