/**
 * The seed at rest on the phone, under the user's PIN (DESIGN.md section 5):
 *
 *   key   = PBKDF2-SHA-256(PIN, salt, 600 000 iterations), 256 bits
 *   box   = AES-CTR(key, counter block, seed)        — no authentication tag
 *   check = first byte of HMAC-SHA-256(key, "pforte/pin-check/v1")
 *
 * Without a tag a copied store cannot confirm a PIN guess; the one check byte catches
 * most mistyped PINs (255 in 256) and leaves a thief with 1 in 256 of all PINs to try
 * against the server, where the token lock stops them. WebCrypto only.
 */

// Types only (erased at run time): the code itself uses the global WebCrypto.
import type { webcrypto } from 'node:crypto';

import { fromBase64url, toBase64url } from '../enrollment/protocol.js';

type CryptoKey = webcrypto.CryptoKey;

const subtle = globalThis.crypto.subtle;
const encoder = new TextEncoder();

export const PIN_ITERATIONS = 600_000;

export interface PinVault {
  /** base64url */
  salt: string;
  /** base64url of the 16-byte AES-CTR counter block */
  counter: string;
  /** base64url of the encrypted seed */
  box: string;
  check: number;
  iterations: number;
}

export async function lockSeed(
  seed: Uint8Array,
  pin: string,
  options: { iterations?: number; random?: (length: number) => Uint8Array<ArrayBuffer> } = {},
): Promise<PinVault> {
  const random =
    options.random ?? ((n: number) => globalThis.crypto.getRandomValues(new Uint8Array(n)));
  const iterations = options.iterations ?? PIN_ITERATIONS;
  const salt = random(16);
  const counter = random(16);
  const { aes, check } = await deriveKeys(pin, salt, iterations);
  const box = new Uint8Array(
    await subtle.encrypt({ name: 'AES-CTR', counter, length: 64 }, aes, new Uint8Array(seed)),
  );
  return {
    salt: toBase64url(salt),
    counter: toBase64url(counter),
    box: toBase64url(box),
    check,
    iterations,
  };
}

/** The seed, or undefined when the check byte says the PIN is wrong. */
export async function unlockSeed(vault: PinVault, pin: string): Promise<Uint8Array | undefined> {
  const { aes, check } = await deriveKeys(pin, fromBase64url(vault.salt), vault.iterations);
  if (check !== vault.check) return undefined;
  const seed = await subtle.decrypt(
    { name: 'AES-CTR', counter: fromBase64url(vault.counter), length: 64 },
    aes,
    fromBase64url(vault.box),
  );
  return new Uint8Array(seed);
}

async function deriveKeys(
  pin: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<{ aes: CryptoKey; check: number }> {
  const material = await subtle.importKey('raw', encoder.encode(pin), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    256,
  );
  const aes = await subtle.importKey('raw', bits, 'AES-CTR', false, ['encrypt', 'decrypt']);
  const mac = await subtle.importKey('raw', bits, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const tag = new Uint8Array(await subtle.sign('HMAC', mac, encoder.encode('pforte/pin-check/v1')));
  return { aes, check: tag[0]! };
}
