/**
 * Sealing secrets at rest with AES-256-GCM under the master key.
 *
 * A sealed value reads `v1.<key id>.<iv>.<ciphertext+tag>` (base64url). The key id
 * names the key that sealed it, so keys can be rotated: a keyring unseals with any key
 * it holds and seals with the current one. The associated data binds a sealed value
 * to its row, so a sealed seed copied onto another token does not open.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import type { Random } from '../clock.js';

export interface Keyring {
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('pforte/key-id|').update(key).digest('hex').slice(0, 12);
}

export function createKeyring(current: Buffer, older: Buffer[] = []): Keyring {
  const keys = new Map<string, Buffer>();
  for (const key of [current, ...older]) keys.set(keyIdOf(key), key);
  return { currentId: keyIdOf(current), keys };
}

export function sealSecret(
  keyring: Keyring,
  random: Random,
  secret: Uint8Array,
  context: string,
): string {
  const iv = random.bytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyring.keys.get(keyring.currentId)!, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(secret), cipher.final(), cipher.getAuthTag()]);
  return ['v1', keyring.currentId, iv.toString('base64url'), body.toString('base64url')].join('.');
}

export function unsealSecret(keyring: Keyring, sealed: string, context: string): Buffer {
  const [version, keyId, ivText, bodyText] = sealed.split('.');
  const key = keyId ? keyring.keys.get(keyId) : undefined;
  if (version !== 'v1' || !key || !ivText || !bodyText) {
    throw new Error(`sealed value with unknown key id ${String(keyId)}`);
  }
  const body = Buffer.from(bodyText, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
}
