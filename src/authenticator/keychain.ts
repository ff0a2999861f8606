/**
 * The tokens on the phone (DESIGN.md section 5): each kept with its seed locked under
 * the user's PIN, and opened only with that PIN. Wrong PINs are counted in storage
 * *before* the slow key derivation runs, so closing the app mid-guess does not give a
 * guess back; after the policy's number of wrong PINs the token is wiped.
 *
 * Storage is an interface: IndexedDB in the app, a Map in the tests.
 */
import type { ActivatedToken } from './activate.js';
import type { PasscodeParams } from './passcode.js';
import { lockSeed, unlockSeed, type PinVault } from './vault.js';

export interface StoredToken extends PasscodeParams {
  id: string;
  name: string;
  serial: string;
  issuer: string;
  label: string;
  vault: PinVault;
  /** Wrong PINs since the last right one. */
  pinFailures: number;
  maxAttempts: number;
  /** ISO 8601 */
  addedAt: string;
}

export interface TokenStorage {
  list(): Promise<StoredToken[]>;
  get(id: string): Promise<StoredToken | undefined>;
  put(token: StoredToken): Promise<void>;
  delete(id: string): Promise<void>;
}

export type OpenResult =
  | { outcome: 'open'; token: StoredToken; seed: Uint8Array }
  | { outcome: 'wrong_pin'; attemptsLeft: number }
  | { outcome: 'wiped'; name: string }
  | { outcome: 'missing' };

export interface KeychainOptions {
  /** PBKDF2 iterations; tests lower it, the app keeps the default. */
  iterations?: number;
  now?: () => Date;
}

/** Locks a freshly activated token's seed under `pin` and keeps it. */
export async function addToken(
  storage: TokenStorage,
  activated: ActivatedToken,
  name: string,
  pin: string,
  options: KeychainOptions = {},
): Promise<StoredToken> {
  const now = options.now ?? (() => new Date());
  const token: StoredToken = {
    id: globalThis.crypto.randomUUID(),
    name,
    serial: activated.serial,
    issuer: activated.issuer,
    label: activated.label,
    type: activated.type,
    algorithm: activated.algorithm,
    digits: activated.digits,
    period: activated.period,
    counter: activated.counter,
    vault: await lockSeed(activated.seed, pin, { iterations: options.iterations }),
    pinFailures: 0,
    maxAttempts: activated.pin.maxAttempts,
    addedAt: now().toISOString(),
  };
  await storage.put(token);
  return token;
}

/** Opens a token with its PIN, counting a wrong one and wiping the token after the last. */
export async function openToken(
  storage: TokenStorage,
  id: string,
  pin: string,
): Promise<OpenResult> {
  const token = await storage.get(id);
  if (!token) return { outcome: 'missing' };
  const counted = { ...token, pinFailures: token.pinFailures + 1 };
  await storage.put(counted);
  const seed = await unlockSeed(token.vault, pin);
  if (seed) {
    const opened = { ...token, pinFailures: 0 };
    await storage.put(opened);
    return { outcome: 'open', token: opened, seed };
  }
  if (counted.pinFailures >= token.maxAttempts) {
    await storage.delete(id);
    return { outcome: 'wiped', name: token.name };
  }
  return { outcome: 'wrong_pin', attemptsLeft: token.maxAttempts - counted.pinFailures };
}

export async function renameToken(storage: TokenStorage, id: string, name: string): Promise<void> {
  const token = await storage.get(id);
  if (token) await storage.put({ ...token, name });
}

/** HOTP: the shown passcode is used up; the next one is for the next counter. */
export async function advanceCounter(
  storage: TokenStorage,
  id: string,
): Promise<StoredToken | undefined> {
  const token = await storage.get(id);
  if (!token) return undefined;
  const advanced = { ...token, counter: token.counter + 1 };
  await storage.put(advanced);
  return advanced;
}

/** A token name: trimmed, at least one character, at most 64. */
export function normalizeTokenName(input: string): string | undefined {
  const name = input.trim().replace(/\s+/g, ' ');
  return name.length >= 1 && name.length <= 64 ? name : undefined;
}
