/**
 * The holder's status check (issue 13, item 7): the server tells the state of a token
 * only to whoever holds its seed, so an old phone learns that its token was replaced
 * and nobody else learns anything about a serial. In WebCrypto, so the app and the
 * tests compute exactly what the server checks:
 *
 *   statusKey = HMAC-SHA-256(seed, "pforte/token-status-key/v1")
 *   proof     = HMAC-SHA-256(statusKey, "pforte/token-status/v1|" + serial + "|" + challenge)
 *
 * HMAC is a pseudo-random function keyed by the seed (RFC 2104 section 6; the same use as
 * HKDF-Expand, RFC 5869), so the status key says nothing about the seed or its passcodes.
 * That is why the server may keep it after a revocation wipes the seed: the proof still
 * comes only from the seed's holder. The challenge is fresh and single-use, so a proof
 * seen once is worth nothing later.
 */
import { toBase64url } from './activation.js';

export const STATUS_KEY_LABEL = 'pforte/token-status-key/v1';

export function statusProofMessage(serial: string, challenge: string): string {
  return `pforte/token-status/v1|${serial}|${challenge}`;
}

/** What the server answers the holder. */
export interface HolderStatus {
  state: 'pending' | 'active' | 'disabled' | 'locked' | 'revoked';
  /** Revoked because a new enrollment of the same user replaced it (a new phone). */
  replaced: boolean;
  /** ISO 8601: when the token was revoked; null while it is in use. */
  changedAt: string | null;
}

const subtle = globalThis.crypto.subtle;
const encoder = new TextEncoder();

async function hmacSHA256(key: Uint8Array, message: string): Promise<Uint8Array> {
  const imported = await subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await subtle.sign('HMAC', imported, encoder.encode(message)));
}

/** The proof the app sends for `serial` and the server's `challenge`, base64url. */
export async function computeStatusProof(
  seed: Uint8Array,
  serial: string,
  challenge: string,
): Promise<string> {
  const statusKey = await hmacSHA256(seed, STATUS_KEY_LABEL);
  try {
    return toBase64url(await hmacSHA256(statusKey, statusProofMessage(serial, challenge)));
  } finally {
    statusKey.fill(0);
  }
}
