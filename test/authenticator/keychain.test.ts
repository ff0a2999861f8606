/**
 * The tokens on the phone: added under a PIN, opened with it, wrong PINs counted before
 * the slow derivation runs (so a guess cannot be taken back by closing the app), and the
 * token wiped after the last allowed wrong PIN.
 */
import { describe, expect, it } from 'vitest';
import type { ActivatedToken } from '../../src/authenticator/activate.js';
import {
  addToken,
  advanceCounter,
  normalizeTokenName,
  openToken,
  renameToken,
  type StoredToken,
  type TokenStorage,
} from '../../src/authenticator/keychain.js';
import { unlockSeed } from '../../src/authenticator/vault.js';

function memoryStorage(): TokenStorage & { tokens: Map<string, StoredToken>; puts: StoredToken[] } {
  const tokens = new Map<string, StoredToken>();
  const puts: StoredToken[] = [];
  return {
    tokens,
    puts,
    list: async () => [...tokens.values()],
    get: async (id) => tokens.get(id),
    put: async (token) => {
      puts.push(token);
      tokens.set(token.id, token);
    },
    delete: async (id) => void tokens.delete(id),
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

/** PINs this vault's check byte refuses: a guess the app can count as wrong. */
async function refusedPins(token: StoredToken, count: number): Promise<string[]> {
  const refused: string[] = [];
  for (let n = 100000; refused.length < count; n++) {
    if ((await unlockSeed(token.vault, String(n))) === undefined) refused.push(String(n));
  }
  return refused;
}

describe('the keychain', () => {
  it('keeps the seed only under the PIN, and opens it with the PIN', async () => {
    const storage = memoryStorage();
    const token = await addToken(storage, activated, 'Work', '270493', options);
    expect(token).toMatchObject({
      name: 'Work',
      serial: 'PFTE-0001',
      pinFailures: 0,
      maxAttempts: 3,
      addedAt: '2026-11-29T09:00:00.000Z',
    });
    expect(JSON.stringify(storage.tokens.get(token.id))).not.toContain(
      Buffer.from(SEED).toString('base64url'),
    );
    const opened = await openToken(storage, token.id, '270493');
    expect(opened.outcome).toBe('open');
    if (opened.outcome === 'open') expect(Buffer.from(opened.seed)).toEqual(Buffer.from(SEED));
  });

  it('counts each wrong PIN before checking it, resets on the right one, wipes after the last', async () => {
    const storage = memoryStorage();
    const token = await addToken(storage, activated, 'Work', '270493', options);
    const [first, second, third] = await refusedPins(token, 3);

    storage.puts.length = 0;
    expect(await openToken(storage, token.id, first!)).toEqual({
      outcome: 'wrong_pin',
      attemptsLeft: 2,
    });
    // The failure was stored before the derivation ran: the first write already counts it.
    expect(storage.puts[0]!.pinFailures).toBe(1);

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

  it('renames, advances an HOTP counter, and reads names forgivingly', async () => {
    const storage = memoryStorage();
    const token = await addToken(
      storage,
      { ...activated, type: 'hotp' },
      'Work',
      '270493',
      options,
    );
    await renameToken(storage, token.id, 'Phone');
    expect((await advanceCounter(storage, token.id))!.counter).toBe(1);
    expect(storage.tokens.get(token.id)).toMatchObject({ name: 'Phone', counter: 1 });
    expect(normalizeTokenName('  My   token ')).toBe('My token');
    expect(normalizeTokenName('   ')).toBeUndefined();
    expect(normalizeTokenName('x'.repeat(65))).toBeUndefined();
  });
});
