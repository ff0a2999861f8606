/**
 * Group commit on SQLite: writes that need no transaction of their own (the OpenID
 * Provider's codes, tokens and sessions; audit records made outside a transaction; a new
 * portal session; the back-off's reservation) are gathered for one turn of the event
 * loop and committed together. Callers write through `runWrite` (prepared.ts). (Bulk
 * enrollment's rows, a long chain of work of one caller, share theirs through
 * grouped-transaction.ts instead.)
 *
 * On SQLite a commit is most of a small write's cost, and it is paid on the event loop
 * (better-sqlite3 is synchronous): the commit writes every page the statement touched to
 * the log, and a row of `oidc_payloads` or `audit_events` touches one page per index. A
 * code-flow sign-in made thirteen such commits. Writes made within one turn (the requests
 * that arrived together) now share one; each still resolves only once its group is
 * committed, so a caller that answers after its write never answers for a write that
 * could be lost.
 *
 * A group whose transaction fails (a statement refused, a full disk at the commit) is
 * rolled back whole, and its other writes are then made one by one, each with its own
 * answer: one bad write never takes the others with it. A group that cannot take the
 * write lock (another process held it past the busy timeout) fails whole, at once.
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

  /**
   * Resolves once every write asked for is committed (or has failed), those made by callers
   * whose earlier write resolved meanwhile included: before the store closes.
   */
  async settled(): Promise<void> {
    do {
      this.flush();
      await this.flushing;
    } while (this.waiting.length > 0);
  }

  private flush(): void {
    const group = this.waiting;
    if (group.length === 0) return;
    this.waiting = [];
    this.flushing = this.flushing.then(() => this.commit(group));
  }

  private async commit(group: Waiting[]): Promise<void> {
    if (group.length === 1) return this.alone(group[0]!);
    let begun = false;
    let refused: { index: number; error: unknown } | undefined;
    try {
      const results = await this.db.transaction().execute(async (tx) => {
        begun = true;
        const done: QueryResult<unknown>[] = [];
        for (const [index, { query }] of group.entries()) {
          try {
            done.push(await tx.executeQuery(query));
          } catch (error) {
            refused = { index, error };
            throw error;
          }
        }
        return done;
      });
      group.forEach((write, i) => write.resolve(results[i]!));
      return;
    } catch (error) {
      // The lock was not had (another process held it past the busy timeout): the writes
      // alone would wait as long again, each.
      if (!begun) return group.forEach((write) => write.reject(error));
    }
    // Rolled back whole: the others alone, in their order. The refused one keeps its error
    // (alone, after the ones before it, it would meet the same refusal).
    for (const [index, write] of group.entries()) {
      if (index === refused?.index) write.reject(refused.error);
      else await this.alone(write);
    }
  }

  private async alone(write: Waiting): Promise<void> {
    try {
      write.resolve(await this.db.executeQuery(write.query));
    } catch (error) {
      write.reject(error);
    }
  }
}
