/**
 * The tokens on the phone (DESIGN.md section 5): each kept with its seed locked under
 * the user's PIN, and opened only with that PIN. Wrong PINs are counted in storage
 * *before* the slow key derivation runs, so closing the app mid-guess does not give a
 * guess back; after the policy's number of wrong PINs the token is wiped.
 *
 * Between activation and the PIN, a token is *held*: its seed is encrypted under a
 * non-extractable device key (WebCrypto; the key cannot leave the browser) and stored
 * before the server is told the activation is complete. A reload or a closed app in
 * between then loses nothing: the app asks for the PIN again and the token is kept.
 *
 * Storage is an interface: IndexedDB in the app, a Map in the tests. Every change is
 * one atomic read-change-write (`update`), so two taps or two tabs cannot lose a count.
 */
// Types only (erased at run time): the code itself uses the global WebCrypto.
import type { webcrypto } from 'node:crypto';
import { fromBase64url, toBase64url } from '../protocol/activation.js';
import type { ActivatedToken } from './activate.js';
import type { PasscodeParams } from './passcode.js';
import type { PinPolicy } from './pin-policy.js';
import { lockSeed, unlockSeed, type PinVault } from './vault.js';

type CryptoKey = webcrypto.CryptoKey;

/** A seed waiting for its PIN, under a key only this browser can use. */
export interface HeldSeed {
  key: CryptoKey;
  /** base64url */
  iv: string;
  /** base64url of AES-GCM(seed) */
  box: string;
  /** The server has made the token active (the proof was accepted). */
  confirmed: boolean;
}

export interface StoredToken extends PasscodeParams {
  id: string;
  name: string;
  serial: string;
  issuer: string;
  label: string;
  /** The seed under the PIN; absent while the token is held. */
  vault?: PinVault;
  /** The seed between activation and the PIN; absent once the PIN is set. */
  held?: HeldSeed;
  pinPolicy: PinPolicy;
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
  /** Reads, changes and writes one token as one step; undefined when it is not there. */
  update(id: string, change: (token: StoredToken) => StoredToken): Promise<StoredToken | undefined>;
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

const subtle = globalThis.crypto.subtle;

/** Keeps a freshly derived token, before its activation is confirmed, until the PIN is set. */
export async function holdToken(
  storage: TokenStorage,
  activated: ActivatedToken,
  name: string,
  options: KeychainOptions = {},
): Promise<StoredToken> {
  const now = options.now ?? (() => new Date());
  const key = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const box = await subtle.encrypt({ name: 'AES-GCM', iv }, key, new Uint8Array(activated.seed));
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
    held: { key, iv: toBase64url(iv), box: toBase64url(new Uint8Array(box)), confirmed: false },
    pinPolicy: { minLength: activated.pin.minLength, maxLength: activated.pin.maxLength },
    pinFailures: 0,
    maxAttempts: activated.pin.maxAttempts,
    addedAt: now().toISOString(),
  };
  await storage.put(token);
  return token;
}

/** The server accepted the proof: the held token is the user's now. */
export async function markConfirmed(
  storage: TokenStorage,
  id: string,
): Promise<StoredToken | undefined> {
  return storage.update(id, (token) =>
    token.held ? { ...token, held: { ...token.held, confirmed: true } } : token,
  );
}

/** Locks a held token's seed under `pin`; the device-key copy is deleted in the same write. */
export async function protectToken(
  storage: TokenStorage,
  id: string,
  pin: string,
  options: KeychainOptions = {},
): Promise<{ token: StoredToken; seed: Uint8Array } | undefined> {
  const held = (await storage.get(id))?.held;
  if (!held) return undefined;
  const seed = new Uint8Array(
    await subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64url(held.iv) },
      held.key,
      fromBase64url(held.box),
    ),
  );
  const vault = await lockSeed(seed, pin, { iterations: options.iterations });
  const token = await storage.update(id, ({ held: _dropped, ...rest }) => ({ ...rest, vault }));
  return token ? { token, seed } : undefined;
}

/** Held tokens whose activation was never confirmed: the server has no use for them. */
export async function removeUnconfirmed(storage: TokenStorage): Promise<void> {
  for (const token of await storage.list()) {
    if (token.held && !token.held.confirmed) await storage.delete(token.id);
  }
}

/** Opens a token with its PIN, counting a wrong one and wiping the token after the last. */
export async function openToken(
  storage: TokenStorage,
  id: string,
  pin: string,
): Promise<OpenResult> {
  const counted = await storage.update(id, (token) => ({
    ...token,
    pinFailures: token.pinFailures + 1,
  }));
  if (!counted?.vault) return { outcome: 'missing' };
  const seed = await unlockSeed(counted.vault, pin);
  if (seed) {
    const opened = await storage.update(id, (token) => ({ ...token, pinFailures: 0 }));
    return opened ? { outcome: 'open', token: opened, seed } : { outcome: 'missing' };
  }
  if (counted.pinFailures >= counted.maxAttempts) {
    await storage.delete(id);
    return { outcome: 'wiped', name: counted.name };
  }
  return { outcome: 'wrong_pin', attemptsLeft: counted.maxAttempts - counted.pinFailures };
}

export async function renameToken(storage: TokenStorage, id: string, name: string): Promise<void> {
  await storage.update(id, (token) => ({ ...token, name }));
}

/** HOTP: the user asks for the next passcode; the stored counter names the one shown. */
export async function advanceCounter(
  storage: TokenStorage,
  id: string,
): Promise<StoredToken | undefined> {
  return storage.update(id, (token) => ({ ...token, counter: token.counter + 1 }));
}

/** A token name: trimmed, at least one character, at most 64. */
export function normalizeTokenName(input: string): string | undefined {
  const name = input.trim().replace(/\s+/g, ' ');
  return name.length >= 1 && name.length <= 64 ? name : undefined;
}
