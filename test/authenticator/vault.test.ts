/**
 * The authenticator's PIN protection, checked against an independent computation
 * with node:crypto (PBKDF2-SHA-256, AES-256-CTR, HMAC-SHA-256), as a known answer.
 */
import { createCipheriv, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPin } from '../../src/authenticator/pin-policy.js';
import { lockSeed, PIN_ITERATIONS, unlockSeed } from '../../src/authenticator/vault.js';

const SEED = Buffer.from('3132333435363738393031323334353637383930', 'hex');
const SALT = Buffer.alloc(16, 0xa5);
const COUNTER = Buffer.alloc(16, 0x0c);
const fixed = () => {
  let call = 0;
  return (n: number) => new Uint8Array(call++ === 0 ? SALT.subarray(0, n) : COUNTER.subarray(0, n));
};

describe('the PIN vault (DESIGN.md section 5)', () => {
  it('is PBKDF2-SHA-256 → AES-CTR plus one HMAC check byte (known answer)', async () => {
    const iterations = 1000;
    const vault = await lockSeed(SEED, '270493', { iterations, random: fixed() });
    const key = pbkdf2Sync('270493', SALT, iterations, 32, 'sha256');
    const cipher = createCipheriv('aes-256-ctr', key, COUNTER);
    const box = Buffer.concat([cipher.update(SEED), cipher.final()]);
    const check = createHmac('sha256', key).update('pforte/pin-check/v1').digest()[0];
    expect(vault).toEqual({
      salt: SALT.toString('base64url'),
      counter: COUNTER.toString('base64url'),
      box: box.toString('base64url'),
      check,
      iterations,
    });
  });

  it('opens with the right PIN and refuses most wrong ones by the check byte', async () => {
    // Fixed salt and counter: the outcome for each wrong PIN is the same in every run.
    const vault = await lockSeed(SEED, '270493', { iterations: 1000, random: fixed() });
    expect(Buffer.from((await unlockSeed(vault, '270493'))!)).toEqual(SEED);
    const wrong = await Promise.all(
      Array.from({ length: 20 }, (_, i) => unlockSeed(vault, String(100000 + i))),
    );
    expect(wrong.filter((s) => s === undefined).length).toBeGreaterThanOrEqual(18);
  });

  it('uses 600 000 iterations by default', async () => {
    expect(PIN_ITERATIONS).toBe(600_000);
    const vault = await lockSeed(SEED, '270493');
    expect(vault.iterations).toBe(600_000);
    expect(vault.box).not.toContain(SEED.toString('base64url'));
  });
});

describe('the PIN policy', () => {
  const policy = { minLength: 6, maxLength: 8 };
  it.each([
    ['270493', undefined],
    ['27049318', undefined],
    ['12a456', 'not_digits'],
    ['12345', 'too_short'],
    ['123456789', 'too_long'],
    ['000000', 'one_digit'],
    ['123456', 'run'],
    ['987654', 'run'],
    ['890123', 'run'],
    ['121212', 'pattern'],
    ['123123', 'pattern'],
  ])('%s → %s', (pin, problem) => {
    expect(checkPin(pin, policy)).toBe(problem);
  });
});
