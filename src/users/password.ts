/**
 * Password hashing with argon2id, m = 19 MiB, t = 2, p = 1 (OWASP Password Storage
 * Cheat Sheet). Verifying against a missing hash still costs one full verification
 * against a dummy hash, so an unknown user takes as long as a wrong password.
 */
import type { Algorithm } from '@node-rs/argon2';

/** Loaded at the first password, not with the server: the native library is some 4 MB of RSS. */
let loaded: Promise<typeof import('@node-rs/argon2')> | undefined;
const argon2 = () => (loaded ??= import('@node-rs/argon2'));

export const ARGON2_OPTIONS = {
  // Algorithm.Argon2id; the enum is a `const enum` that verbatimModuleSyntax cannot import.
  algorithm: 2 as Algorithm,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export async function hashPassword(password: string): Promise<string> {
  return (await argon2()).hash(password, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/** True only when `storedHash` exists and the password matches it. */
export async function verifyPassword(
  storedHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  const { verify } = await argon2();
  if (!storedHash) {
    dummyHash ??= hashPassword('pforte dummy password that matches nothing');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
