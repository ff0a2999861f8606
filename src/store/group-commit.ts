/**
 * Group commit on SQLite: writes that need no transaction of their own (the OpenID
 * Provider's codes, tokens and sessions; audit records made outside a transaction) are
 * gathered for one turn of the event loop and committed together.
 *
 * On SQLite a commit is most of a small write's cost, and it is paid on the event loop
 * (better-sqlite3 is synchronous): the commit writes every page the statement touched to
 * the log, and a row of `oidc_payloads` or `audit_events` touches one page per index. A
 * code-flow sign-in made thirteen such commits. Writes made within one turn (the requests
 * that arrived together) now share one; each still resolves only once its group is
 * committed, so a caller that answers after its write never answers for a write that
 * could be lost.
 *
 * A group whose transaction fails (a statement refused, a full disk) is rolled back
 * whole, and its writes are then made one by one, each with its own answer or error:
 * one bad write never takes the others with it.
 *
 * PostgreSQL has no group: there each statement is a round trip, the server commits, and
 * a transaction around them would add two round trips instead of saving any.
 */
import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './tables.js';

interface Waiting {
  query: CompiledQuery;
  resolve(result: QueryResult<unknown>): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  private waiting: Waiting[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `query` with the other writes of this turn; resolves with its result once they are committed. */
  write<R>(query: CompiledQuery<R>): Promise<QueryResult<R>> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ query, resolve: resolve as Waiting['resolve'], reject });
    });
  }

  /** Resolves once every write asked for so far is committed (or has failed): before the store closes. */
  async settled(): Promise<void> {
    while (this.waiting.length > 0) this.flush();
    await this.flushing;
  }

  private flush(): void {
    const group = this.waiting;
    if (group.length === 0) return;
    this.waiting = [];
    this.flushing = this.flushing.then(() => this.commit(group));
  }

  private async commit(group: Waiting[]): Promise<void> {
    if (group.length > 1) {
      let results: QueryResult<unknown>[] | undefined;
      try {
        results = await this.db.transaction().execute(async (tx) => {
          const done: QueryResult<unknown>[] = [];
          for (const { query } of group) done.push(await tx.executeQuery(query));
          return done;
        });
      } catch {
        // Rolled back whole: each write alone below, with its own answer.
      }
      if (results) {
        group.forEach((write, i) => write.resolve(results[i]!));
        return;
      }
    }
    for (const write of group) {
      try {
        write.resolve(await this.db.executeQuery(write.query));
      } catch (error) {
        write.reject(error);
      }
    }
  }
}
