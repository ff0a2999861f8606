/**
 * The State of an Access-Challenge (RFC 2865 section 5.24) in `challenge` mode: the
 * username and password of the first request, sealed with AES-256-GCM under a key
 * derived from the master key and bound to the client, so that the second request —
 * with the token code — can be decided as one sign-in, on whichever server process it
 * reaches. Nothing is decided before the code comes: the challenge is sent whatever the
 * password, so it tells a stranger nothing.
 */
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { Core } from '../context.js';

/** Long enough to read the prompt and open the app; a State older than this is refused. */
export const CHALLENGE_SECONDS = 120;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
/** RFC 2865: an attribute holds at most 253 octets. */
const MAX_STATE = 253;

const keys = new WeakMap<Buffer, Buffer>();

/** The State key derived from one master key. */
function stateKey(master: Buffer): Buffer {
  let key = keys.get(master);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'pforte/radius-state/v1', 32));
    keys.set(master, key);
  }
  return key;
}

/**
 * The State keys to try, the current master key's first: a State sealed by a process
 * that had not yet switched to a new master key (or had, before this one) still opens.
 */
function stateKeys(core: Core): Buffer[] {
  const { currentId, keys: masters } = core.keyring;
  return [
    masters.get(currentId)!,
    ...[...masters].filter(([id]) => id !== currentId).map(([, m]) => m),
  ].map(stateKey);
}

export interface ChallengeState {
  username: string;
  password: string;
}

/** The sealed State; undefined when username and password do not fit in one attribute. */
export function sealChallengeState(
  core: Core,
  client: string,
  state: ChallengeState,
): Buffer | undefined {
  const name = Buffer.from(state.username, 'utf8');
  const password = Buffer.from(state.password, 'utf8');
  if (name.length > 255) return undefined;
  const expires = Buffer.alloc(8);
  expires.writeBigUInt64BE(BigInt(core.clock.now() + CHALLENGE_SECONDS * 1000));
  const plain = Buffer.concat([expires, Buffer.from([name.length]), name, password]);
  const iv = core.random.bytes(IV_LENGTH);
  const master = core.keyring.keys.get(core.keyring.currentId)!;
  const cipher = createCipheriv('aes-256-gcm', stateKey(master), iv, {
    authTagLength: TAG_LENGTH,
  });
  cipher.setAAD(Buffer.from(`radius-state|${client}`));
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return sealed.length <= MAX_STATE ? sealed : undefined;
}

/** The State's username and password, if this server sealed it for this client and it is recent. */
export function openChallengeState(
  core: Core,
  client: string,
  sealed: Buffer,
): ChallengeState | undefined {
  if (sealed.length < IV_LENGTH + 9 + TAG_LENGTH) return undefined;
  const plain = stateKeys(core)
    .map((key) => openWith(key, client, sealed))
    .find((opened) => opened !== undefined);
  if (!plain) return undefined;
  if (Number(plain.readBigUInt64BE(0)) < core.clock.now()) return undefined;
  const nameLength = plain[8]!;
  if (plain.length < 9 + nameLength) return undefined;
  return {
    username: plain.subarray(9, 9 + nameLength).toString('utf8'),
    password: plain.subarray(9 + nameLength).toString('utf8'),
  };
}

function openWith(key: Buffer, client: string, sealed: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_LENGTH), {
      authTagLength: TAG_LENGTH,
    });
    decipher.setAAD(Buffer.from(`radius-state|${client}`));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_LENGTH, sealed.length - TAG_LENGTH)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}
