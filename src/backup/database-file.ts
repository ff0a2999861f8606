/**
 * Backup and restore of the embedded SQLite database (`pforte backup`, `pforte restore`).
 * This file reads a database file as such: is it Pforte's, what does it hold, which
 * master key sealed it. It never writes, and it never needs the master key.
 */
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { PforteError } from '../errors.js';
import { migrations } from '../store/migrations.js';

/** The database's file name in the data folder, as store/open.ts opens it. */
export const DATABASE_FILE = 'pforte.sqlite';

/** Kysely's migration table: its rows say which schema versions a database has. */
const MIGRATION_TABLE = 'kysely_migration';

export interface DatabaseSummary {
  /** Size of the file in bytes. */
  bytes: number;
  users: number;
  tokens: number;
  auditEvents: number;
  /** The id of the master key the seeds are sealed with, if a server ever started on it. */
  sealedWith: string | undefined;
}

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/**
 * Opens a file read-only after checking that it is a Pforte database this version
 * knows (its migrations are ours); the caller closes it.
 */
export function openPforteFile(path: string): SQLite.Database {
  let db: SQLite.Database;
  try {
    db = new SQLite(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new PforteError('ERR_VALIDATION', `cannot open ${path}: ${(error as Error).message}`);
  }
  try {
    checkPforteSchema(db, path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function checkPforteSchema(db: SQLite.Database, path: string): void {
  let names: string[];
  try {
    const table = db
      .prepare(`select name from sqlite_master where type = 'table' and name = ?`)
      .get(MIGRATION_TABLE);
    if (!table) throw new Error('it has no migrations table');
    names = db
      .prepare(`select name from ${MIGRATION_TABLE} order by name`)
      .pluck()
      .all() as string[];
  } catch (error) {
    const reason =
      (error as { code?: string }).code === 'SQLITE_NOTADB'
        ? 'it is not an SQLite database'
        : (error as Error).message;
    throw new PforteError('ERR_VALIDATION', `${path} is not a Pforte database: ${reason}`);
  }
  const known = Object.keys(migrations('sqlite'));
  if (!names.includes(known[0]!)) {
    throw new PforteError(
      'ERR_VALIDATION',
      `${path} is not a Pforte database: its migrations are not Pforte's`,
    );
  }
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new PforteError(
      'ERR_VALIDATION',
      `${path} was made by a newer Pforte (migration ${unknown[0]} is unknown here): restore it with that version`,
    );
  }
}

/** What a Pforte database file holds, counted in one read transaction. */
export function summarizeDatabase(db: SQLite.Database, bytes: number): DatabaseSummary {
  const count = (table: string) =>
    db.prepare(`select count(*) from ${table}`).pluck().get() as number;
  return db.transaction(() => ({
    bytes,
    users: count('users'),
    tokens: count('tokens'),
    auditEvents: count('audit_events'),
    sealedWith: db.prepare('select key_id from sealing_key where id = 1').pluck().get() as
      string | undefined,
  }))();
}
