/**
 * The self-enrollment key agreement of DESIGN.md section 4, in WebCrypto only, so the
 * authenticator app and the server run the same code:
 *
 *   seed  = HKDF-SHA-256(ikm = ECDH P-256 x-coordinate, salt,
 *                        info = "pforte/otp-seed/v1|" + serial + "|" + appPublicKey + "|" + serverPublicKey)
 *   proof = HMAC-SHA-256(seed, "pforte/confirm/v1|" + activationId)
 *
 * Public keys are 65-byte uncompressed points; every binary value travels as
 * base64url without padding, and the info string uses those strings.
 */
// Types only (erased at run time): the code itself uses nothing but the global WebCrypto.
import type { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const subtle = globalThis.crypto.subtle;
const encoder = new TextEncoder();
const P256 = { name: 'ECDH', namedCurve: 'P-256' } as const;

export interface KeyPair {
  privateKey: CryptoKey;
  /** base64url of the 65-byte uncompressed point */
  publicKey: string;
}

/** The server's answer to `POST /api/v1/activations` (step 2); its schema is the one source. */
export type { ActivationOffer } from './activation-offer.js';

export async function generateKeyPair(): Promise<KeyPair> {
  const pair = (await subtle.generateKey(P256, false, ['deriveBits'])) as CryptoKeyPair;
  const raw = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey: toBase64url(raw) };
}

/** Imports a peer's public key; throws when it is not a point on P-256. */
export async function importPublicKey(base64url: string): Promise<CryptoKey> {
  const raw = fromBase64url(base64url);
  if (raw.length !== 65 || raw[0] !== 0x04) throw new Error('not an uncompressed P-256 point');
  return subtle.importKey('raw', raw, P256, false, []);
}

export function seedInfo(serial: string, appPublicKey: string, serverPublicKey: string): string {
  return `pforte/otp-seed/v1|${serial}|${appPublicKey}|${serverPublicKey}`;
}

export async function deriveSeed(options: {
  privateKey: CryptoKey;
  peerPublicKey: string;
  salt: Uint8Array;
  serial: string;
  appPublicKey: string;
  serverPublicKey: string;
  length: number;
}): Promise<Uint8Array> {
  const peer = await importPublicKey(options.peerPublicKey);
  const shared = await subtle.deriveBits({ name: 'ECDH', public: peer }, options.privateKey, 256);
  const info = seedInfo(options.serial, options.appPublicKey, options.serverPublicKey);
  return hkdfSHA256(new Uint8Array(shared), options.salt, encoder.encode(info), options.length);
}

/** HKDF with SHA-256 (RFC 5869): `length` bytes of output keying material. */
export async function hkdfSHA256(
  ikm: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  const key = await subtle.importKey('raw', new Uint8Array(ikm), 'HKDF', false, ['deriveBits']);
  const bits = await subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(salt), info: new Uint8Array(info) },
    key,
    length * 8,
  );
  return new Uint8Array(bits);
}

export async function computeProof(seed: Uint8Array, activationId: string): Promise<string> {
  const key = await subtle.importKey(
    'raw',
    new Uint8Array(seed),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await subtle.sign('HMAC', key, encoder.encode(`pforte/confirm/v1|${activationId}`));
  return toBase64url(new Uint8Array(mac));
}

export function toBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
