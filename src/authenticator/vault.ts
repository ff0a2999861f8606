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

import { fromBase64url, toBase64url } from '../protocol/activation.js';

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
  const { key, check } = await derivePinKey(pin, salt, iterations);
  return {
    salt: toBase64url(salt),
    counter: toBase64url(counter),
    box: toBase64url(await aesCTR(key, counter, seed)),
    check,
    iterations,
  };
}

/** The seed, or undefined when the check byte says the PIN is wrong. */
export async function unlockSeed(vault: PinVault, pin: string): Promise<Uint8Array | undefined> {
  const { key, check } = await derivePinKey(pin, fromBase64url(vault.salt), vault.iterations);
  if (check !== vault.check) return undefined;
  return aesCTR(key, fromBase64url(vault.counter), fromBase64url(vault.box));
}

async function derivePinKey(
  pin: string,
  salt: Uint8Array,
  iterations: number,
): Promise<{ key: Uint8Array; check: number }> {
  const key = await pbkdf2SHA256(pin, salt, iterations, 32);
  const mac = await subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const tag = new Uint8Array(await subtle.sign('HMAC', mac, encoder.encode('pforte/pin-check/v1')));
  return { key, check: tag[0]! };
}

/** PBKDF2 with HMAC-SHA-256 (RFC 8018 section 5.2): `length` bytes derived from a password. */
export async function pbkdf2SHA256(
  password: string,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  const material = await subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations },
    material,
    length * 8,
  );
  return new Uint8Array(bits);
}

/**
 * AES-256 in counter mode (NIST SP 800-38A section 6.5), the 16-byte initial counter
 * block's last 64 bits counting. Encrypting and decrypting are the same operation.
 */
export async function aesCTR(
  key: Uint8Array,
  counter: Uint8Array,
  data: Uint8Array,
): Promise<Uint8Array> {
  const aes = await subtle.importKey('raw', new Uint8Array(key), 'AES-CTR', false, ['encrypt']);
  const out = await subtle.encrypt(
    { name: 'AES-CTR', counter: new Uint8Array(counter), length: 64 },
    aes,
    new Uint8Array(data),
  );
  return new Uint8Array(out);
}
