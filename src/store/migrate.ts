/**
 * Schema versions. The migrations (migrations.ts) run once per database: by `pforte migrate`
 * or when a server starts (`runMigrations`), never by the other CLI commands, which only
 * check (`checkMigrations`) so that an upgraded CLI cannot change the schema under a
 * running older server. A database that has migrations this version does not know was
 * upgraded by a newer Pforte: nothing of this version opens it.
 */
import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely } from 'kysely';
import { PforteError } from '../errors.js';
import { migrations, type Dialect } from './migrations.js';
import type { Database } from './tables.js';

/** What migrating needs of a store (open.ts opens it; this file must not import it back). */
interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  exclusive?: (work: () => Promise<void>) => Promise<void>;
}

export interface MigrationStatus {
  /** Known migrations the database has, in order. */
  applied: string[];
  /** Known migrations the database does not have yet, in order. */
  pending: string[];
  /** Migrations the database has that this version does not know (a newer Pforte ran them). */
  unknown: string[];
}

/** Which of this version's migrations the database has, which it lacks, and which it has beyond them. */
export async function readMigrationStatus(store: Store): Promise<MigrationStatus> {
  const known = Object.keys(migrations(store.dialect)).sort();
  const done = new Set(await appliedNames(store));
  return {
    applied: known.filter((name) => done.has(name)),
    pending: known.filter((name) => !done.has(name)),
    unknown: [...done].filter((name) => !known.includes(name)).sort(),
  };
}

/**
 * Runs the pending migrations and returns their names (none: the database was current).
 * Refuses a database newer than this version before changing anything.
 */
export async function runMigrations(store: Store): Promise<string[]> {
  refuseNewer(await readMigrationStatus(store));
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store.dialect) },
  });
  const ran: string[] = [];
  const run = async () => {
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error;
    for (const result of results ?? [])
      if (result.status === 'Success') ran.push(result.migrationName);
  };
  await (store.exclusive ? store.exclusive(run) : run());
  return ran;
}

/** Refuses a database that lacks migrations (run `pforte migrate`) or has unknown ones. */
export async function checkMigrations(store: Store): Promise<void> {
  const status = await readMigrationStatus(store);
  refuseNewer(status);
  if (status.pending.length > 0) {
    throw new PforteError(
      'ERR_START_FAILED',
      `the database needs ${plural(status.pending, 'migration')} ${status.pending.join(', ')}: run pforte migrate or start the server`,
    );
  }
}

/**
 * Whether the migrations this server started with are all in the database (for /readyz).
 * One query on a small table, so it doubles as the check that the database answers.
 */
export async function hasPendingMigrations(store: Store): Promise<boolean> {
  const done = new Set(await selectApplied(store));
  return Object.keys(migrations(store.dialect)).some((name) => !done.has(name));
}

function refuseNewer({ unknown }: MigrationStatus): void {
  if (unknown.length === 0) return;
  throw new PforteError(
    'ERR_START_FAILED',
    `the database has ${plural(unknown, 'migration')} this version of Pforte does not know (${unknown.join(', ')}): it was upgraded by a newer version; run that version`,
  );
}

async function appliedNames(store: Store): Promise<string[]> {
  const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === DEFAULT_MIGRATION_TABLE)) return [];
  return selectApplied(store);
}

async function selectApplied(store: Store): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(
    DEFAULT_MIGRATION_TABLE,
  )}`.execute(store.db);
  return rows.map((row) => row.name);
}

function plural(names: string[], word: string): string {
  return names.length === 1 ? word : `${word}s`;
}
