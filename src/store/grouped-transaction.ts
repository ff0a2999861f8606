/**
 * Many small units of work (bulk enrollment's rows) in few transactions. A commit costs
 * more than most units (SQLite writes the pages a unit touched to its log at each commit;
 * PostgreSQL waits for its log), so units share a transaction: each runs in a savepoint
 * of it, and one that fails is rolled back to its savepoint alone, leaving nothing, while
 * the units before it stay. The transaction is committed after `maxUnits` units or once
 * it has been open `maxMs` (whichever comes first): on SQLite it holds the one write
 * lock, so nothing else waits on it for longer than that.
 *
 * What a unit did counts only once its group has committed: the caller keeps each
 * unit's result until `commit()` hands them back (a failed commit throws, and none of
 * the group happened). Inside a transaction already, units simply join it.
 *
 * Writes from many callers that arrive at one moment (each request's own) share their
 * commit through group-commit.ts instead: there no caller holds the transaction open.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';
import type { ControlledTransaction } from 'kysely';
import type { Core } from '../context.js';
import type { Database } from './tables.js';

export interface GroupLimits {
  maxUnits: number;
  maxMs: number;
}

export class GroupedTransaction {
  private open: { tx: ControlledTransaction<Database>; core: Core; since: number } | undefined;
  private units = 0;
  /**
   * Why the open transaction is gone, when a savepoint could not be rolled back to (SQLite
   * ends the whole transaction on a full disk or an I/O error): the group then fails whole.
   */
  private lost: unknown;

  constructor(
    private readonly core: Core,
    private readonly limits: GroupLimits,
  ) {}

  /**
   * Runs `work` in a savepoint of the group's transaction (begun when needed). When it
   * throws, the unit is rolled back to its savepoint and its error rethrown; the group
   * and the units before it stay.
   */
  async run<T>(work: (tx: Core) => Promise<T>): Promise<T> {
    if (this.core.store.db.isTransaction) return work(this.core);
    try {
      return await this.inSavepoint(work);
    } finally {
      this.units++;
      // On SQLite a unit is a chain of promises that resolve at once (better-sqlite3 is
      // synchronous), which never gives Node's event loop a turn: without this, a long
      // run would answer no other request and send no mail until its end.
      await setImmediate();
    }
  }

  /** Writes in the group, outside any unit (a failed unit's record), in a savepoint too. */
  async write(work: (tx: Core) => Promise<void>): Promise<void> {
    if (this.core.store.db.isTransaction) return work(this.core);
    await this.inSavepoint(work);
  }

  /** Whether the group has reached its limits (or lost its transaction) and should be committed now. */
  get due(): boolean {
    return (
      this.open !== undefined &&
      (this.lost !== undefined ||
        this.units >= this.limits.maxUnits ||
        performance.now() - this.open.since >= this.limits.maxMs)
    );
  }

  /**
   * Commits what the group holds (nothing to do when it holds nothing). When that fails,
   * nothing of the group happened: the transaction is rolled back (Kysely keeps the
   * connection of a failed commit, and on SQLite the one connection would stay taken).
   */
  async commit(): Promise<void> {
    const { group, lost } = this.detach();
    if (!group) return;
    try {
      if (lost) throw lost;
      await group.tx.commit().execute();
    } catch (error) {
      await group.tx
        .rollback()
        .execute()
        .catch(() => undefined);
      throw error;
    }
  }

  /** Undoes what the group holds. */
  async rollback(): Promise<void> {
    await this.detach().group?.tx.rollback().execute();
  }

  /** The open group and why it is lost, if it is; the next unit begins a new one. */
  private detach() {
    const detached = { group: this.open, lost: this.lost };
    this.open = undefined;
    this.lost = undefined;
    this.units = 0;
    return detached;
  }

  private async inSavepoint<T>(work: (tx: Core) => Promise<T>): Promise<T> {
    if (this.lost) throw this.lost;
    const group = await this.begin();
    const name = `unit${this.units}`;
    const saved = await group.tx.savepoint(name).execute();
    try {
      const result = await work(group.core);
      await saved.releaseSavepoint(name).execute();
      return result;
    } catch (error) {
      await saved
        .rollbackToSavepoint(name)
        .execute()
        .catch((failed: unknown) => void (this.lost ??= failed));
      throw error;
    }
  }

  private async begin() {
    if (!this.open) {
      const tx = await this.core.store.db.startTransaction().execute();
      this.open = {
        tx,
        core: { ...this.core, store: { ...this.core.store, db: tx } },
        since: performance.now(),
      };
    }
    return this.open;
  }
}
