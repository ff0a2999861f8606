/**
 * A small authenticator, written from DESIGN.md section 4's text alone (not from the
 * server's code): WebCrypto ECDH P-256, HKDF-SHA-256, HMAC-SHA-256, base64url.
 */
import type { webcrypto } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
const { subtle } = globalThis.crypto;
const enc = new TextEncoder();
const b64u = (bytes: ArrayBuffer | Uint8Array) =>
  Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('base64url');

export interface Offer {
  activationId: string;
  publicKey: string;
  salt: string;
  token: {
    serial: string;
    type: string;
    algorithm: string;
    digits: number;
    period: number;
    issuer: string;
    label: string;
  };
  pin: { minLength: number; maxAttempts: number };
  expiresAt: string;
}

/** A JSON answer, read loosely as tests do. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export type Send = (
  method: 'POST',
  path: string,
  body: unknown,
) => Promise<{ status: number; body: Json }>;

/** Sends through an app's `inject`; the app is asked for at each call (tests make one each). */
export function sendTo(app: () => FastifyInstance): Send {
  return async (method, path, body) => {
    const response = await app().inject({ method, url: path, payload: body as object });
    return { status: response.statusCode, body: response.json() };
  };
}

export async function activate(send: Send, code: string) {
  const keys = (await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
    'deriveBits',
  ])) as webcrypto.CryptoKeyPair;
  const appPublicKey = b64u(await subtle.exportKey('raw', keys.publicKey));
  const started = await send('POST', '/api/v1/activations', { code, publicKey: appPublicKey });
  if (started.status !== 201) return { started, seed: undefined, confirm: undefined };
  const offer = started.body as Offer;
  const serverKey = await subtle.importKey(
    'raw',
    Buffer.from(offer.publicKey, 'base64url'),
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    [],
  );
  const x = await subtle.deriveBits({ name: 'ECDH', public: serverKey }, keys.privateKey, 256);
  const hkdfKey = await subtle.importKey('raw', x, 'HKDF', false, ['deriveBits']);
  const length = { SHA1: 20, SHA256: 32, SHA512: 64 }[offer.token.algorithm as 'SHA1']!;
  const info = `pforte/otp-seed/v1|${offer.token.serial}|${appPublicKey}|${offer.publicKey}`;
  const seed = new Uint8Array(
    await subtle.deriveBits(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: Buffer.from(offer.salt, 'base64url'),
        info: enc.encode(info),
      },
      hkdfKey,
      length * 8,
    ),
  );
  const macKey = await subtle.importKey('raw', seed, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const proof = b64u(
    await subtle.sign('HMAC', macKey, enc.encode(`pforte/confirm/v1|${offer.activationId}`)),
  );
  return {
    started,
    offer,
    seed,
    proof,
    confirm: (override?: string) =>
      send('POST', `/api/v1/activations/${offer.activationId}/confirm`, {
        proof: override ?? proof,
      }),
  };
}
