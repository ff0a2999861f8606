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

  /** A GroupCommit of its own on a file of the test's, every statement it runs written down. */
  async function ownGroup(options: { busyTimeoutMs?: number } = {}) {
    t = await makeCore('sqlite');
    const path = join(t.dataDir, 'group.sqlite');
    const file = new SQLite(path);
    file.pragma('journal_mode = WAL');
    if (options.busyTimeoutMs !== undefined) file.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    file.exec('create table notes (id integer primary key, taken integer not null default 0)');
    const statements: string[] = [];
    const db = new Kysely<Database>({
      dialect: new SqliteWritersDialect({ database: file }),
      log: (event) => void statements.push(event.query.sql),
    });
    return { path, file, db, statements, group: new GroupCommit(db) };
  }

  it('commits the writes of one moment in one transaction', async () => {
    const { file, db, statements, group } = await ownGroup();
    try {
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

  it('has a write of a group committed when it resolves: another connection reads the group', async () => {
    const { path, db, group } = await ownGroup();
    const other = new SQLite(path, { readonly: true });
    try {
      const seen = group
        .write(insert(1).compile(db))
        .then(() => other.prepare('select id from notes order by id').all());
      await Promise.all([seen, group.write(insert(2).compile(db))]);
      expect(await seen).toEqual([{ id: 1 }, { id: 2 }]);
    } finally {
      other.close();
      await db.destroy();
    }
  });

  it('lets one of two conditional updates of a row in one group take it, as alone', async () => {
    const { file, db, group } = await ownGroup();
    try {
      file.exec('insert into notes (id) values (1)');
      const take = () =>
        group.write(sql`update notes set taken = 1 where id = 1 and taken = 0`.compile(db));
      const results = await Promise.all([take(), take()]);
      expect(results.map((result) => Number(result.numAffectedRows))).toEqual([1, 0]);
    } finally {
      await db.destroy();
    }
  });

  it('fails a group at once when another process holds the write lock past the busy timeout', async () => {
    const { path, db, statements, group } = await ownGroup({ busyTimeoutMs: 50 });
    const other = new SQLite(path);
    try {
      other.exec('begin immediate');
      const outcomes = await Promise.allSettled([
        group.write(insert(1).compile(db)),
        group.write(insert(2).compile(db)),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
      // Tried once, not once more for each write.
      expect(statements.filter((text) => /^insert/.test(text))).toEqual([]);
      other.exec('rollback');
    } finally {
      other.close();
      await db.destroy();
    }
  });

  it('commits the writes asked for before the server stops, and those their callers chain on', async () => {
    const { core, dataDir } = await makeCore('sqlite');
    try {
      await sql`create table notes (id integer primary key)`.execute(core.store.db);
      const pending = [
        runWrite(core, compiled(core, 1)).then(() => runWrite(core, compiled(core, 3))),
        runWrite(core, compiled(core, 2)),
      ];
      await closeCore(core);
      await Promise.all(pending);
      const reopened = new SQLite(join(dataDir, 'pforte.sqlite'), { readonly: true });
      try {
        expect(reopened.prepare('select id from notes order by id').all()).toEqual([
          { id: 1 },
          { id: 2 },
          { id: 3 },
        ]);
      } finally {
        reopened.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
