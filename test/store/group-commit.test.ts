/**
 * Writes committed together (store/group-commit.ts, through `runWrite`): what a caller
 * gets is what it would get alone — its own result, its own error, its row in the
 * database once it resolves — while the writes made at the same moment share one commit
 * on SQLite. Inside a transaction a write joins it; PostgreSQL writes at once.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql, type CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/context.js';
import { closeCore } from '../../src/core.js';
import { GroupCommit } from '../../src/store/group-commit.js';
import { runWrite } from '../../src/store/prepared.js';
import { SqliteWritersDialect } from '../../src/store/sqlite-writers.js';
import type { Database } from '../../src/store/tables.js';
import { inTransaction } from '../../src/store/transaction.js';
import { DATABASES, makeCore, type TestCore } from '../helpers/core.js';

const insert = (id: number) => sql`insert into notes (id) values (${id})`;
const compiled = (core: Core, id: number) => insert(id).compile(core.store.db) as CompiledQuery;
const noteIds = async (core: Core) =>
  (await sql<{ id: number }>`select id from notes order by id`.execute(core.store.db)).rows.map(
    (row) => Number(row.id),
  );

describe.each(DATABASES)('writes through runWrite on %s', (database) => {
  let t: TestCore;
  afterEach(async () => {
    await t?.close();
  });
  const withNotes = async () => {
    t = await makeCore(database);
    await sql`create table notes (id integer primary key)`.execute(t.core.store.db);
    return t.core;
  };

  it('gives each write made at once its own result, and keeps every row', async () => {
    const core = await withNotes();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => runWrite(core, compiled(core, i + 1))),
    );
    expect(results.map((result) => Number(result.numAffectedRows))).toEqual(new Array(30).fill(1));
    expect(await noteIds(core)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('fails a refused write alone: the others made with it are kept', async () => {
    const core = await withNotes();
    await runWrite(core, compiled(core, 7));
    const outcomes = await Promise.allSettled([
      runWrite(core, compiled(core, 1)),
      runWrite(core, compiled(core, 7)),
      runWrite(core, compiled(core, 2)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/unique|duplicate/i);
    expect(await noteIds(core)).toEqual([1, 2, 7]);
  });

  it('writes inside the transaction it is called in: a rollback takes it back', async () => {
    const core = await withNotes();
    await expect(
      inTransaction(core, async (tx) => {
        await runWrite(tx, compiled(tx, 1));
        expect(await noteIds(tx)).toEqual([1]);
        throw new Error('the transaction fails after the write');
      }),
    ).rejects.toThrow('the transaction fails after the write');
    expect(await noteIds(core)).toEqual([]);
  });
});

describe('group commit on SQLite', () => {
  let t: TestCore | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('commits the writes of one moment in one transaction', async () => {
    t = await makeCore('sqlite');
    const file = new SQLite(join(t.dataDir, 'group.sqlite'));
    file.exec('create table notes (id integer primary key)');
    const statements: string[] = [];
    const db = new Kysely<Database>({
      dialect: new SqliteWritersDialect({ database: file }),
      log: (event) => void statements.push(event.query.sql),
    });
    try {
      const group = new GroupCommit(db);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => group.write(insert(i + 1).compile(db))),
      );
      expect(statements.filter((text) => /^(begin|commit)/.test(text))).toEqual([
        'begin immediate',
        'commit',
      ]);
      expect(file.prepare('select count(*) as n from notes').get()).toEqual({ n: 20 });
    } finally {
      await db.destroy();
    }
  });

  it('has a write committed when it resolves: another connection reads it', async () => {
    t = await makeCore('sqlite');
    await sql`create table notes (id integer primary key)`.execute(t.core.store.db);
    await runWrite(t.core, compiled(t.core, 5));
    const other = new SQLite(join(t.dataDir, 'pforte.sqlite'), { readonly: true });
    try {
      expect(other.prepare('select id from notes').all()).toEqual([{ id: 5 }]);
    } finally {
      other.close();
    }
  });

  it('commits the writes asked for before the server stops', async () => {
    const { core, dataDir } = await makeCore('sqlite');
    try {
      await sql`create table notes (id integer primary key)`.execute(core.store.db);
      const pending = [runWrite(core, compiled(core, 1)), runWrite(core, compiled(core, 2))];
      await closeCore(core);
      await Promise.all(pending);
      const reopened = new SQLite(join(dataDir, 'pforte.sqlite'), { readonly: true });
      try {
        expect(reopened.prepare('select id from notes order by id').all()).toEqual([
          { id: 1 },
          { id: 2 },
        ]);
      } finally {
        reopened.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
