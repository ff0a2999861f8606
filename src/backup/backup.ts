/**
 * `pforte backup`: a consistent copy of the SQLite database while servers write to it
 * (copy.ts says how). The master key is not in the copy: it stays a file in the data
 * folder or a variable, to be kept apart from the backups it unlocks.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { databasePath, type DatabaseSummary } from './database-file.js';
import { copyDatabase, fileExists, placeFile, removeQuietly } from './copy.js';

export interface BackupRequest {
  dataDir: string;
  /** Where the copy goes. */
  file: string;
  /** Replace an existing file at `file`. */
  force: boolean;
}

/** Copies the data folder's database to `file` (mode 0600) and says what the copy holds. */
export function backupDatabase({ dataDir, file, force }: BackupRequest): DatabaseSummary {
  if (!force && existsSync(file)) throw fileExists(file);
  // Written beside its place and moved there only when complete: a failed or
  // interrupted backup never leaves a file that looks like a backup.
  const partial = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  const summary = copyDatabase(databasePath(dataDir), partial);
  try {
    placeFile(partial, file, force);
  } finally {
    removeQuietly(partial);
  }
  return summary;
}
