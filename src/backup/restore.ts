/**
 * `pforte restore`: a backup becomes a data folder's database.
 *
 * It must not replace a database a server has open: that server would go on writing to
 * a file no longer there, or its WAL would be applied to the new one. The test is
 * SQLite's own lock: in exclusive locking mode a connection reads a WAL database only
 * when no other connection, in any process, has it open — and every server and CLI
 * command keeps its connection open for as long as it runs. (`BEGIN EXCLUSIVE` would not
 * do: under WAL it only waits for the current writer, and an idle server holds none.) The operating system drops a process's locks when it
 * ends, even by SIGKILL, so unlike a pid file nothing goes stale and nothing can name a
 * process that has since gone. The claim is held until the new file is in place.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Config } from '../config/schema.js';
import { MASTER_KEY_FILE } from '../crypto/master-key.js';
import { PforteError } from '../errors.js';
import { databasePath, DATABASE_FILE, type DatabaseSummary } from './database-file.js';
import { copyDatabase, fileExists, placeFile, removeQuietly } from './copy.js';

/** How long the claim waits for a connection that is just finishing. */
const CLAIM_WAIT_MS = 200;

export interface RestoreRequest {
  /** The backup. */
  file: string;
  dataDir: string;
  /** Replace the data folder's database if it has one. */
  force: boolean;
}

export interface RestoreResult {
  /** The database file now holding the backup. */
  path: string;
  /** There was a database before, now replaced. */
  replaced: boolean;
  summary: DatabaseSummary;
}

/** Puts the backup `file` in place as `dataDir`'s database; refuses while it is in use. */
export function restoreDatabase({ file, dataDir, force }: RestoreRequest): RestoreResult {
  const path = databasePath(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Checked before copying, so a refusal is quick; claimed again once the copy is ready.
  const replaced = existsSync(path);
  if (replaced) {
    claimDatabase(path)?.close();
    if (!force) throw fileExists(path);
  }
  const partial = join(dataDir, `.${DATABASE_FILE}.${process.pid}.restore`);
  const summary = copyDatabase(file, partial);
  let claim: SQLite.Database | undefined;
  try {
    if (existsSync(path)) claim = claimDatabase(path);
    placeFile(partial, path, force);
    // What the old file's connections left behind must not be read as the new one's.
    removeQuietly(`${path}-wal`);
    removeQuietly(`${path}-shm`);
  } finally {
    claim?.close();
    removeQuietly(partial);
  }
  return { path, replaced, summary };
}

/**
 * Takes the database at `path` for this process alone, or refuses because a server
 * has it open. The claim holds SQLite's lock until it is closed; a file SQLite cannot
 * read as a database (a damaged one) is no one's, and gets no claim.
 */
function claimDatabase(path: string): SQLite.Database | undefined {
  const db = new SQLite(path, { fileMustExist: true, timeout: CLAIM_WAIT_MS });
  try {
    // The first read takes the lock, which is kept until the connection closes; it
    // fails with SQLITE_BUSY while any other connection has the database open.
    db.pragma('locking_mode = EXCLUSIVE');
    db.prepare('select count(*) from sqlite_master').get();
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new PforteError(
        'ERR_CONFLICT',
        `${path} is in use by a running Pforte server or command: stop it first (systemctl stop pforte)`,
      );
    }
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return undefined;
    throw error;
  }
}

/**
 * Whether a server on `dataDir` would find a master key rather than make a new one: a
 * new key could open nothing the backup holds.
 */
export function hasMasterKey(config: Readonly<Config>, dataDir: string): boolean {
  return config.masterKey !== '' || existsSync(join(dataDir, MASTER_KEY_FILE));
}
