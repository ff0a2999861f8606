/**
 * The store: Kysely over the embedded SQLite file (default) or PostgreSQL (when a
 * postgres:// URL is configured). Opening it runs the pending migrations, or only checks
 * that there are none (migrate.ts).
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type pg from 'pg';
import { Kysely, PostgresDialect, type KyselyConfig, type SqliteDatabase } from 'kysely';
import { GroupCommit } from './group-commit.js';
import { checkMigrations, runMigrations } from './migrate.js';
import type { Dialect } from './migrations.js';
import { BUSY_TIMEOUT_MS, SqliteWritersDialect } from './sqlite-writers.js';
import type { Database } from './tables.js';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
  /** The PostgreSQL pool's connections, for the metrics (SQLite has no pool). */
  pool?: { totalCount: number; idleCount: number; waitingCount: number };
  /** Runs `work` while no other process can write (SQLite; PostgreSQL's migrator locks itself). */
  exclusive?: (work: () => Promise<void>) => Promise<void>;
  /** Writes committed together (SQLite only: group-commit.ts); `runWrite` uses it. */
  groupCommit?: GroupCommit;
}

export interface StoreOptions {
  /** A postgres:// URL, or empty for SQLite. */
  url: string;
  /** Folder of the SQLite file. */
  dataDir: string;
  poolSize?: number;
  /** Told when a kept connection breaks (a database restart, a failover); the store goes on. */
  onConnectionLost?: (error: Error) => void;
  /**
   * `run` the pending migrations (the server; the default), `check` there are none (the
   * CLI), or `leave` them to the caller (`pforte migrate`).
   */
  migrations?: 'run' | 'check' | 'leave';
  /** Told of every statement that fails (the metrics count them). */
  onQueryError?: (error: unknown) => void;
}

const INT8_OID = 20;
/**
 * While the database is down a request waits at most this long for a connection, then
 * answers 503, instead of hanging until the client gives up.
 */
const CONNECT_TIMEOUT_MS = 5000;
/** Pforte has a few hundred statement shapes; past this many (lists of varying length) the cache starts afresh. */
const STATEMENT_CACHE_SIZE = 1000;

export async function openStore(options: StoreOptions): Promise<Store> {
  // pg is loaded only for PostgreSQL: a SQLite server does not carry it.
  const store = options.url
    ? openPostgres((await import('pg')).default, options)
    : openSQLite(options);
  try {
    if (options.migrations === 'check') await checkMigrations(store);
    else if (options.migrations !== 'leave') await runMigrations(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

function openSQLite({ dataDir, onQueryError }: StoreOptions): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'pforte.sqlite');
  // Owner-only before SQLite writes anything; its -wal and -shm files copy this mode.
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
  const file = new SQLite(path);
  // WAL lets readers run beside the one writer; busy_timeout makes a second process
  // (another server, the CLI) wait for the lock instead of failing at once.
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = NORMAL');
  file.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  file.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({
    dialect: new SqliteWritersDialect({ database: withStatementCache(file) }),
    ...failedQueries(onQueryError),
  });
  const groupCommit = new GroupCommit(db);
  return {
    db,
    dialect: 'sqlite',
    groupCommit,
    close: async () => {
      await groupCommit.settled();
      await db.destroy();
    },
    // Kysely takes no lock for SQLite migrations and SQLite DDL is transactional: one
    // IMMEDIATE transaction makes a second process starting at once wait, then find
    // the work done.
    exclusive: async (work) => {
      file.exec('BEGIN IMMEDIATE');
      try {
        await work();
        file.exec('COMMIT');
      } catch (error) {
        file.exec('ROLLBACK');
        throw error;
      }
    },
  };
}

function openPostgres(
  pg: typeof import('pg').default,
  { url, poolSize, onConnectionLost, onQueryError }: StoreOptions,
): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A connection whose server vanished without a word (a failover) is noticed.
    keepAlive: true,
    // Times and counters are bigint columns; as JavaScript numbers they stay exact
    // far beyond any millisecond timestamp or HOTP counter Pforte will see.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? Number
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  survivePostgresRestarts(pool, onConnectionLost ?? (() => undefined));
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...failedQueries(onQueryError),
  });
  return { db, dialect: 'postgres', close: () => db.destroy(), pool };
}

/** Kysely's log, listening for the statements that fail only. */
function failedQueries(onQueryError: StoreOptions['onQueryError']): Pick<KyselyConfig, 'log'> {
  if (!onQueryError) return {};
  return {
    log: (event) => {
      if (event.level === 'error') onQueryError(event.error);
    },
  };
}

/**
 * A connection the server ends (restart, pg_terminate_backend, failover) emits 'error'
 * on its client, and an 'error' without a listener ends the process. The pool listens
 * for idle clients only, so every client gets a listener of its own for the time it is
 * lent out; the query it was running fails on its own (and answers 503), the pool drops
 * the broken client and connects afresh when the database is back.
 */
function survivePostgresRestarts(pool: pg.Pool, onConnectionLost: (error: Error) => void): void {
  pool.on('error', onConnectionLost);
  pool.on('connect', (client) => client.on('error', onConnectionLost));
}

/**
 * Kysely prepares every statement afresh; preparing costs more than running most of
 * Pforte's statements. The same SQL text always gets the same prepared statement.
 */
function withStatementCache(file: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => file.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = file.prepare(sql);
        // Schema changes (migrations) must not run through stale statements.
        if (!/^\s*(create|alter|drop)\b/i.test(sql)) {
          if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
          cache.set(sql, statement);
        }
      }
      return statement;
    },
  };
}
