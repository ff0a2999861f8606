/**
 * The tokens on the phone: held under a device key from activation to PIN, then kept
 * under the PIN, opened with it, wrong PINs counted before the slow derivation runs (so
 * a guess cannot be taken back by closing the app), and wiped after the last allowed
 * wrong PIN. Changes are atomic: counts and counters survive taps that overlap.
 */
import { describe, expect, it } from 'vitest';
import type { ActivatedToken } from '../../src/authenticator/activate.js';
import {
  advanceCounter,
  holdToken,
  markConfirmed,
  normalizeTokenName,
  openToken,
  protectToken,
  removeUnconfirmed,
  renameToken,
  type StoredToken,
  type TokenStorage,
} from '../../src/authenticator/keychain.js';
import { unlockSeed, type PinVault } from '../../src/authenticator/vault.js';

/** A Map whose every call yields to the event loop, as IndexedDB does, so calls can overlap. */
function memoryStorage(): TokenStorage & { tokens: Map<string, StoredToken> } {
  const tokens = new Map<string, StoredToken>();
  const later = <T>(value: T) => new Promise<T>((resolve) => setImmediate(() => resolve(value)));
  return {
    tokens,
    list: () => later([...tokens.values()]),
    get: (id) => later(tokens.get(id)),
    put: async (token) => void tokens.set(token.id, await later(token)),
    update: async (id, change) => {
      await later(undefined);
      // One step, as a readwrite transaction is: nothing else runs between read and write.
      const token = tokens.get(id);
      if (!token) return undefined;
      const changed = change(token);
      tokens.set(id, changed);
      return changed;
    },
    delete: async (id) => void tokens.delete(await later(id)),
  };
}

const SEED = new Uint8Array(Buffer.from('3132333435363738393031323334353637383930', 'hex'));
const activated: ActivatedToken = {
  serial: 'PFTE-0001',
  seed: SEED,
  type: 'totp',
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  counter: 0,
  issuer: 'Example AG',
  label: 'alice',
  pin: { minLength: 6, maxLength: 8, maxAttempts: 3 },
};
const options = { iterations: 1000, now: () => new Date('2026-11-29T09:00:00Z') };

/** Activation held, confirmed by the server, then the PIN set: a token as the app keeps it. */
async function addProtected(
  storage: TokenStorage,
  pin: string,
  from: ActivatedToken = activated,
): Promise<StoredToken> {
  const held = await holdToken(storage, from, 'Work', options);
  await markConfirmed(storage, held.id);
  return (await protectToken(storage, held.id, pin, options))!.token;
}

/** PINs this vault's check byte refuses: a guess the app can count as wrong. */
async function refusedPins(vault: PinVault, count: number): Promise<string[]> {
  const refused: string[] = [];
  for (let n = 100000; refused.length < count; n++) {
    if ((await unlockSeed(vault, String(n))) === undefined) refused.push(String(n));
  }
  return refused;
}

describe('the keychain', () => {
  it('holds a new token under a device key, then keeps the seed only under the PIN', async () => {
    const storage = memoryStorage();
    const held = await holdToken(storage, activated, 'Work', options);
    expect(held).toMatchObject({ name: 'Work', serial: 'PFTE-0001' });
    expect(held.vault).toBeUndefined();
    expect(held.held).toMatchObject({ confirmed: false });
    expect((held.held!.key as { extractable: boolean }).extractable).toBe(false);
    const raw = Buffer.from(SEED).toString('base64url');
    expect(JSON.stringify(storage.tokens.get(held.id))).not.toContain(raw);

    await markConfirmed(storage, held.id);
    const protectedToken = await protectToken(storage, held.id, '270493', options);
    expect(Buffer.from(protectedToken!.seed)).toEqual(Buffer.from(SEED));
    const kept = storage.tokens.get(held.id)!;
    expect(kept.held).toBeUndefined();
    expect(kept).toMatchObject({
      pinFailures: 0,
      maxAttempts: 3,
      addedAt: '2026-11-29T09:00:00.000Z',
    });
    expect(kept.pinPolicy).toEqual({ minLength: 6, maxLength: 8 });
    expect(JSON.stringify(kept)).not.toContain(raw);

    const opened = await openToken(storage, held.id, '270493');
    expect(opened.outcome).toBe('open');
    if (opened.outcome === 'open') expect(Buffer.from(opened.seed)).toEqual(Buffer.from(SEED));
  });

  it('forgets held tokens whose activation the server never confirmed', async () => {
    const storage = memoryStorage();
    const unconfirmed = await holdToken(storage, activated, 'Lost', options);
    const confirmed = await holdToken(
      storage,
      { ...activated, serial: 'PFTE-0002' },
      'Kept',
      options,
    );
    await markConfirmed(storage, confirmed.id);
    await removeUnconfirmed(storage);
    expect([...storage.tokens.keys()]).toEqual([confirmed.id]);
    expect(storage.tokens.has(unconfirmed.id)).toBe(false);
  });

  it('counts each wrong PIN before checking it, resets on the right one, wipes after the last', async () => {
    const storage = memoryStorage();
    const token = await addProtected(storage, '270493');
    const [first, second, third] = await refusedPins(token.vault!, 3);

    const checking = openToken(storage, token.id, first!);
    // The failure is stored before the derivation has finished.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(storage.tokens.get(token.id)!.pinFailures).toBe(1);
    expect(await checking).toEqual({ outcome: 'wrong_pin', attemptsLeft: 2 });

    expect((await openToken(storage, token.id, '270493')).outcome).toBe('open');
    expect(storage.tokens.get(token.id)!.pinFailures).toBe(0);

    await openToken(storage, token.id, first!);
    expect(await openToken(storage, token.id, second!)).toEqual({
      outcome: 'wrong_pin',
      attemptsLeft: 1,
    });
    expect(await openToken(storage, token.id, third!)).toEqual({ outcome: 'wiped', name: 'Work' });
    expect(storage.tokens.size).toBe(0);
    expect(await openToken(storage, token.id, '270493')).toEqual({ outcome: 'missing' });
  });

  it('counts wrong PINs guessed at once (two tabs) each, and wipes after the last', async () => {
    const storage = memoryStorage();
    const token = await addProtected(storage, '270493');
    const wrong = await refusedPins(token.vault!, 3);
    const results = await Promise.all(wrong.map((pin) => openToken(storage, token.id, pin)));
    expect(results.map((r) => r.outcome).sort()).toEqual(['wiped', 'wrong_pin', 'wrong_pin']);
    expect(storage.tokens.size).toBe(0);
  });

  it('renames, and advances an HOTP counter once per tap, also when taps overlap', async () => {
    const storage = memoryStorage();
    const token = await addProtected(storage, '270493', { ...activated, type: 'hotp' });
    await renameToken(storage, token.id, 'Phone');
    await Promise.all([1, 2, 3, 4, 5].map(() => advanceCounter(storage, token.id)));
    expect(storage.tokens.get(token.id)).toMatchObject({ name: 'Phone', counter: 5 });
    // Opening the token does not use up a passcode.
    await openToken(storage, token.id, '270493');
    expect(storage.tokens.get(token.id)!.counter).toBe(5);
    expect(normalizeTokenName('  My   token ')).toBe('My token');
    expect(normalizeTokenName('   ')).toBeUndefined();
    expect(normalizeTokenName('x'.repeat(65))).toBeUndefined();
  });
});
