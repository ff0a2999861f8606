/**
 * Running core work in one database transaction. The work gets a core whose store is
 * the transaction, so every core function it calls writes inside it; work that is
 * already inside a transaction simply joins it (Kysely has no nested transactions).
 */
import type { Core } from '../context.js';

export async function inTransaction<T>(core: Core, work: (tx: Core) => Promise<T>): Promise<T> {
  if (core.store.db.isTransaction) return work(core);
  return core.store.db
    .transaction()
    .execute((db) => work({ ...core, store: { ...core.store, db } }));
}
