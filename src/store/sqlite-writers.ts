/**
 * SQLite with several processes writing (a server and the CLI beside it): every
 * transaction takes the write lock when it begins (`BEGIN IMMEDIATE`), so writers wait
 * for each other under busy_timeout instead of failing.
 *
 * Kysely's dialect begins DEFERRED: such a transaction reads under a snapshot and asks
 * for the write lock only at its first write. If another process committed meanwhile,
 * SQLite cannot let it write on its stale snapshot and fails at once with
 * SQLITE_BUSY_SNAPSHOT, whatever the busy timeout. Taking the lock first leaves no
 * snapshot to go stale, so no retry is needed: statements outside a transaction read or
 * write alone and wait under busy_timeout, and migrations take the lock themselves
 * (open.ts `exclusive`).
 */
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

/**
 * How long a writer waits for another one. Writers hold the lock for milliseconds
 * (one sign-in, one enrolled row, one audit seal of at most 500 events); this leaves
 * room for a loaded server with the CLI beside it before a request gets a 503.
 */
export const BUSY_TIMEOUT_MS = 10_000;

/** Kysely's SQLite dialect, with write transactions that begin IMMEDIATE. */
export class SqliteWritersDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
