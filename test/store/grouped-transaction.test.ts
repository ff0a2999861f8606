/**
 * Units of work sharing one transaction (store/grouped-transaction.ts), as bulk
 * enrollment's rows do: a failing unit leaves nothing while the others stay, and a group
 * whose commit fails leaves nothing and gives its connection back (Kysely keeps the
 * connection of a failed commit; on SQLite it is the only one, and the server would wait
 * for it for ever).
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/context.js';
import { GroupedTransaction } from '../../src/store/grouped-transaction.js';
import { DATABASES, makeCore, type TestCore } from '../helpers/core.js';

describe.each(DATABASES)('a grouped transaction on %s', (database) => {
  let t: TestCore;
  afterEach(async () => {
    await t?.close();
  });

  /** Two tables of the test's own: a child's parent is checked only at commit. */
  async function tables(core: Core) {
    await sql`create table parents (id integer primary key)`.execute(core.store.db);
    await sql`create table children (id integer primary key, parent integer
      references parents (id) deferrable initially deferred)`.execute(core.store.db);
    if (database === 'sqlite') await sql`pragma defer_foreign_keys = on`.execute(core.store.db);
  }
  const ids = async (core: Core, table: 'parents' | 'children') =>
    (
      await sql<{ id: number }>`select id from ${sql.table(table)} order by id`.execute(
        core.store.db,
      )
    ).rows.map((row) => Number(row.id));

  it('keeps the units before and after a failing one, and nothing of the failing one', async () => {
    t = await makeCore(database);
    await tables(t.core);
    const group = new GroupedTransaction(t.core, { maxUnits: 50, maxMs: 60_000 });
    await group.run(
      async (tx) => void (await sql`insert into parents values (1)`.execute(tx.store.db)),
    );
    await expect(
      group.run(async (tx) => {
        await sql`insert into parents values (2)`.execute(tx.store.db);
        throw new Error('the unit fails after its write');
      }),
    ).rejects.toThrow('the unit fails after its write');
    await group.run(
      async (tx) => void (await sql`insert into parents values (3)`.execute(tx.store.db)),
    );
    await group.commit();
    expect(await ids(t.core, 'parents')).toEqual([1, 3]);
  });

  it('keeps nothing of a group whose commit fails, and gives its connection back', async () => {
    t = await makeCore(database);
    await tables(t.core);
    const group = new GroupedTransaction(t.core, { maxUnits: 50, maxMs: 60_000 });
    await group.run(async (tx) => {
      if (database === 'sqlite') await sql`pragma defer_foreign_keys = on`.execute(tx.store.db);
      await sql`insert into parents values (1)`.execute(tx.store.db);
    });
    // A child of no parent: refused only by the commit.
    await group.run(
      async (tx) => void (await sql`insert into children values (1, 99)`.execute(tx.store.db)),
    );
    await expect(group.commit()).rejects.toThrow(/foreign key/i);

    // The connection is free again: the next statements run, and the group left nothing.
    expect(await ids(t.core, 'parents')).toEqual([]);
    expect(await ids(t.core, 'children')).toEqual([]);
    if (t.core.store.pool) expect(t.core.store.pool.idleCount).toBe(t.core.store.pool.totalCount);
  });
});
