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

const TAG_LENGTH = 16;

export interface Keyring {
  /** The key that seals; the database names it (sealing_key), see key-ring.ts. */
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
  /** Looks for a key the ring does not hold yet: one written to a key file since it was loaded. */
  find?(keyId: string): Buffer | undefined;
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
  const cipher = createCipheriv('aes-256-gcm', keyring.keys.get(keyring.currentId)!, iv, {
    authTagLength: TAG_LENGTH,
  });
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(secret), cipher.final(), cipher.getAuthTag()]);
  return ['v1', keyring.currentId, iv.toString('base64url'), body.toString('base64url')].join('.');
}

export function unsealSecret(keyring: Keyring, sealed: string, context: string): Buffer {
  const [version, keyId, ivText, bodyText, extra] = sealed.split('.');
  if (version !== 'v1' || !keyId || ivText === undefined || bodyText === undefined || extra) {
    throw new Error('not a sealed value');
  }
  const key = keyring.keys.get(keyId) ?? keyring.find?.(keyId);
  if (!key) throw new Error(`sealed under master key ${keyId}, which this server does not have`);
  const iv = Buffer.from(ivText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  if (iv.length !== 12 || body.length < TAG_LENGTH) throw new Error('sealed value is damaged');
  // The tag length is fixed: a shortened tag would make forgeries easier to guess.
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_LENGTH });
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(body.subarray(body.length - TAG_LENGTH));
  return Buffer.concat([
    decipher.update(body.subarray(0, body.length - TAG_LENGTH)),
    decipher.final(),
  ]);
}
