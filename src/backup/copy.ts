/**
 * Copying a Pforte database into a new file and moving the finished file into its
 * place, for backup and restore alike.
 *
 * The database runs in WAL mode, so a plain file copy can miss committed pages still in
 * the -wal file or catch a page half-checkpointed. `VACUUM INTO` reads the whole
 * database in one read transaction — one snapshot, whatever servers commit meanwhile,
 * and it does not block them — and writes a compact, self-contained file. (The online
 * backup API starts over each time another process writes, which under steady
 * sign-ins may never end.)
 */
import { closeSync, linkSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { PforteError } from '../errors.js';
import { openPforteFile, summarizeDatabase, type DatabaseSummary } from './database-file.js';

/**
 * Writes a consistent copy of the Pforte database at `source` to the new file
 * `partial` (mode 0600) and says what the copy holds. Nothing is left behind on failure.
 */
export function copyDatabase(source: string, partial: string): DatabaseSummary {
  const db = openPforteFile(source);
  try {
    // Created owner-only before SQLite writes into it (it accepts an empty file).
    closeSync(openSync(partial, 'wx', 0o600));
    db.prepare('vacuum into ?').run(partial);
  } catch (error) {
    removeQuietly(partial);
    throw error;
  } finally {
    db.close();
  }
  try {
    const copy = openPforteFile(partial);
    try {
      return summarizeDatabase(copy, statSync(partial).size);
    } finally {
      copy.close();
    }
  } catch (error) {
    removeQuietly(partial);
    throw error;
  }
}

/**
 * Moves `partial` to `file` in one step. Without `force` it never replaces a file, not
 * even one made since the caller looked (a hard link fails when the name is taken).
 */
export function placeFile(partial: string, file: string, force: boolean): void {
  if (force) return renameSync(partial, file);
  try {
    linkSync(partial, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw fileExists(file);
    throw error;
  }
  unlinkSync(partial);
}

export function fileExists(file: string): PforteError {
  return new PforteError('ERR_CONFLICT', `${file} exists; give --force to replace it`);
}

/** Removes a file that may already be gone. */
export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
