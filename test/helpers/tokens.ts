/** Users with imported tokens, and the codes their authenticator would show. */
import { Secret } from 'otpauth';
import { generateHOTP, generateTOTP, SEED_LENGTH, type OtpAlgorithm } from '../../src/otp/codes.js';
import type { Core } from '../../src/context.js';
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
  const secret = new Secret({ size: SEED_LENGTH[algorithm] });
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
