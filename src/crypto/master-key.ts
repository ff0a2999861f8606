/**
 * The master key that seals token seeds: from PFORTE_MASTER_KEY, else from the key
 * file in the data folder, which is created (mode 0600) on first start.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeMasterKeyText } from '../config/load.js';
import { PforteError } from '../errors.js';
import type { Random } from '../clock.js';

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
    // 'wx' fails if another process created the file meanwhile; then we read theirs.
    try {
      writeFileSync(path, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      text = readFileSync(path, 'utf8');
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
