/**
 * The master keys on this server. The configured one comes from PFORTE_MASTER_KEY, else
 * from the key file in the data folder, which is created (mode 0600) on first start.
 * Others — the keys before a rotation, or the next one — come from PFORTE_MASTER_KEYS_PREVIOUS
 * and from `master-<key id>.key` files beside master.key (docs/key-rotation.md).
 */
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { decodeMasterKeyText } from '../config/load.js';
import { PforteError } from '../errors.js';
import type { Random } from '../clock.js';
import { keyIdOf } from './seal.js';

export const MASTER_KEY_FILE = 'master.key';

export function loadMasterKey(options: {
  masterKey: string;
  dataDir: string;
  random: Random;
}): Buffer {
  if (options.masterKey) return decodeMasterKeyText(options.masterKey)!;
  const path = join(options.dataDir, MASTER_KEY_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text === undefined) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const key = options.random.bytes(32);
    // Written whole under a name of its own, then linked into place: the link fails if
    // another process starting at the same moment put its key there first (then we read
    // theirs), and no process ever reads a master.key that is still being written.
    const content = key.toString('hex') + '\n';
    const draft = `${path}.${options.random.bytes(6).toString('hex')}.tmp`;
    try {
      writeFileSync(draft, content, { mode: 0o600, flag: 'wx' });
      chmodSync(draft, 0o600);
      linkOrCreate(draft, path, content);
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      text = readFileSync(path, 'utf8');
    } finally {
      rmSync(draft, { force: true });
    }
  }
  const key = decodeMasterKeyText(text);
  if (!key) {
    throw new PforteError('ERR_CONFIG', `the master key file ${path} does not hold a 32-byte key`);
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    throw new PforteError(
      'ERR_CONFIG',
      `the master key file ${path} is readable by others; run: chmod 600 ${path}`,
    );
  }
  return key;
}

/**
 * Links the written draft to `path`, failing with EEXIST when the file is there. A file
 * system without hard links (some network and FUSE mounts) gets the file created
 * exclusively instead, as before: there a process starting in the same moment may still
 * read it half-written.
 */
function linkOrCreate(draft: string, path: string, content: string): void {
  try {
    linkSync(draft, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(code)) throw error;
    writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
}

/** `master-<key id>.key`: a key beside master.key, kept so values sealed under it still open. */
const KEY_FILE = /^master-([0-9a-f]{12})\.key$/;

export function keyFileName(keyId: string): string {
  return `master-${keyId}.key`;
}

/**
 * The keys of the `master-<key id>.key` files in the data folder. A file whose key does
 * not have the id its name says, or that others can read, is refused like master.key.
 */
export function loadKeyFiles(dataDir: string): Buffer[] {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const keys: Buffer[] = [];
  for (const name of names.sort()) {
    const id = KEY_FILE.exec(name)?.[1];
    if (!id) continue;
    const path = join(dataDir, name);
    const key = decodeMasterKeyText(readFileSync(path, 'utf8'));
    if (!key || keyIdOf(key) !== id) {
      throw new PforteError('ERR_CONFIG', `the key file ${path} does not hold master key ${id}`);
    }
    if ((statSync(path).mode & 0o077) !== 0) {
      throw new PforteError(
        'ERR_CONFIG',
        `the key file ${path} is readable by others; run: chmod 600 ${path}`,
      );
    }
    keys.push(key);
  }
  return keys;
}

/** The keys of PFORTE_MASTER_KEYS_PREVIOUS: comma-separated, each 64 hex digits or base64. */
export function decodeKeyList(text: string): Buffer[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => decodeMasterKeyText(entry)!);
}

/** Writes `master-<key id>.key` (mode 0600); an existing file is left as it is. */
export function writeKeyFile(dataDir: string, key: Buffer): string {
  const path = join(dataDir, keyFileName(keyIdOf(key)));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return path;
}

/**
 * Makes `key` the one in master.key, keeping the key master.key held in its own
 * `master-<key id>.key` first. Both keys keep a `master-<key id>.key` file, which is
 * what running servers read for keys they lack (key-ring.ts); the rename replaces
 * master.key at once.
 */
export function promoteKeyFile(dataDir: string, key: Buffer, previous: Buffer): void {
  writeKeyFile(dataDir, previous);
  writeKeyFile(dataDir, key);
  const path = join(dataDir, MASTER_KEY_FILE);
  const next = `${path}.next`;
  writeFileSync(next, key.toString('hex') + '\n', { mode: 0o600 });
  chmodSync(next, 0o600);
  renameSync(next, path);
}

/** Removes `master-<key id>.key`; false when there was none. */
export function removeKeyFile(dataDir: string, keyId: string): boolean {
  const path = join(dataDir, keyFileName(keyId));
  if (!existsSync(path)) return false;
  rmSync(path);
  return true;
}
