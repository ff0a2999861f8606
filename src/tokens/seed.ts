/** A token's seed, sealed at rest and bound to its row (see crypto/seal.ts). */
import type { Core } from '../context.js';
import { sealSecret, unsealSecret } from '../crypto/seal.js';

const context = (tokenId: string) => `pforte/token-seed/v1|${tokenId}`;

export function sealSeed(core: Core, tokenId: string, seed: Uint8Array): string {
  return sealSecret(core.keyring, core.random, seed, context(tokenId));
}

export function unsealSeed(core: Core, tokenId: string, sealed: string): Buffer {
  return unsealSecret(core.keyring, sealed, context(tokenId));
}
