/**
 * A token's seed, sealed at rest and bound to its row (see crypto/seal.ts); and its
 * status key (src/protocol/token-status.ts), sealed the same way but kept after a
 * revocation wipes the seed, so the old phone can still prove it holds the seed.
 */
import { createHmac } from 'node:crypto';
import type { Core } from '../context.js';
import { sealSecret, unsealSecret, type Keyring } from '../crypto/seal.js';
import { STATUS_KEY_LABEL } from '../protocol/token-status.js';

const context = (tokenId: string) => `pforte/token-seed/v1|${tokenId}`;
const statusContext = (tokenId: string) => `pforte/token-status-key/v1|${tokenId}`;

export function sealSeed(core: Core, tokenId: string, seed: Uint8Array): string {
  return sealSecret(core.keyring, core.random, seed, context(tokenId));
}

export function unsealSeed(core: Core, tokenId: string, sealed: string): Buffer {
  return unsealSecret(core.keyring, sealed, context(tokenId));
}

/** HMAC-SHA-256(seed, label), sealed to the row: what the holder's proofs are keyed with. */
export function sealStatusKey(core: Core, tokenId: string, seed: Uint8Array): string {
  const key = createHmac('sha256', seed).update(STATUS_KEY_LABEL).digest();
  try {
    return sealSecret(core.keyring, core.random, key, statusContext(tokenId));
  } finally {
    key.fill(0);
  }
}

export function unsealStatusKey(core: Core, tokenId: string, sealed: string): Buffer {
  return unsealSecret(core.keyring, sealed, statusContext(tokenId));
}

/** The sealed seed opened and sealed again under `target`'s current key (a master key rotation). */
export function resealSeed(core: Core, target: Keyring, tokenId: string, sealed: string): string {
  return reseal(core, target, sealed, context(tokenId));
}

export function resealStatusKey(
  core: Core,
  target: Keyring,
  tokenId: string,
  sealed: string,
): string {
  return reseal(core, target, sealed, statusContext(tokenId));
}

function reseal(core: Core, target: Keyring, sealed: string, boundTo: string): string {
  const secret = unsealSecret(core.keyring, sealed, boundTo);
  try {
    return sealSecret(target, core.random, secret, boundTo);
  } finally {
    secret.fill(0);
  }
}
