/**
 * Which real driver errors count as "the database is unavailable" (503, try again)
 * and which stay faults or client errors: an outage must never be a 500, and a broken
 * rule must never pass for an outage.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { toPforteError } from '../../src/http/shared/errors.js';
import { isDatabaseUnavailable } from '../../src/store/unavailable.js';
import { freePort } from '../helpers/ports.js';

async function errorOf(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('database unavailable', () => {
  it('is a PostgreSQL that refuses connections, answered 503 ERR_DATABASE_UNAVAILABLE', async () => {
    const pool = new pg.Pool({
      connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`,
    });
    const error = await errorOf(() => pool.query('select 1'));
    await pool.end();
    expect(isDatabaseUnavailable(error)).toBe(true);
    const answer = toPforteError(error);
    expect([answer.code, answer.status, answer.retryAfter]).toEqual([
      'ERR_DATABASE_UNAVAILABLE',
      503,
      5,
    ]);
  });

  it('is a connection PostgreSQL ended (57P01, then "not queryable")', async () => {
    const client = new pg.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    client.on('error', () => undefined);
    const killed = await errorOf(() =>
      client.query('select pg_terminate_backend(pg_backend_pid())'),
    );
    const after = await errorOf(() => client.query('select 1'));
    expect([isDatabaseUnavailable(killed), isDatabaseUnavailable(after)]).toEqual([true, true]);
  });

  it('is a SQLite write lock held past the busy timeout', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pforte-busy-')), 'db.sqlite');
    const holder = new SQLite(path);
    holder.pragma('journal_mode = WAL');
    holder.exec('create table t (x integer)');
    const waiter = new SQLite(path);
    waiter.pragma('busy_timeout = 0');
    holder.exec('begin immediate');
    const error = await errorOf(() => waiter.exec('insert into t values (1)'));
    holder.exec('rollback');
    holder.close();
    waiter.close();
    expect((error as { code: string }).code).toBe('SQLITE_BUSY');
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('is not a broken rule or a bad statement, which stay what they are', async () => {
    const client = new pg.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    try {
      const division = await errorOf(() => client.query('select 1/0'));
      const syntax = await errorOf(() => client.query('selec 1'));
      expect([isDatabaseUnavailable(division), isDatabaseUnavailable(syntax)]).toEqual([
        false,
        false,
      ]);
      expect(toPforteError(syntax).code).toBe('ERR_INTERNAL');
    } finally {
      await client.end();
    }
    const sqlite = new SQLite(':memory:');
    sqlite.exec('create table t (x integer primary key)');
    sqlite.exec('insert into t values (1)');
    const constraint = await errorOf(() => sqlite.exec('insert into t values (1)'));
    sqlite.close();
    expect(isDatabaseUnavailable(constraint)).toBe(false);
  });
});
