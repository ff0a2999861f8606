/**
 * The probes as a load balancer sees them: /healthz answers while the process runs and
 * asks the database nothing; /readyz answers 200 only while the database answers, has
 * every migration and the server is not stopping, and says which check failed otherwise.
 * Neither needs a key, counts against a rate limit, or leaves an audit event.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DATABASES } from '../helpers/core.js';
import { startSlowRequest } from '../helpers/slow-request.js';

const LATEST = Object.keys(migrations('sqlite')).sort().at(-1)!;

const READY = {
  status: 'ready',
  checks: { database: 'ok', migrations: 'ok', server: 'ok' },
};

async function probe(t: TestApp, url: string) {
  const answer = await t.call({ method: 'GET', url, key: null });
  return { status: answer.statusCode, body: answer.json() as unknown };
}

async function auditCount(t: TestApp): Promise<number> {
  const { n } = await t.core.store.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

describe.each(DATABASES)('the health probes on %s', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp(database, { PFORTE_RATE_LIMIT_PER_MINUTE: '1' });
  });
  afterEach(async () => t.close());

  it('answer 200 without a key, as often as asked (no rate limit), and write no audit event', async () => {
    const before = await auditCount(t);
    for (let i = 0; i < 5; i++) {
      expect(await probe(t, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await probe(t, '/readyz')).toEqual({ status: 200, body: READY });
    }
    expect(await auditCount(t)).toBe(before);
  });

  it('/readyz answers 503 "database: no answer" once the database is gone, while /healthz, which never asks it, answers 200', async () => {
    await t.core.store.close();
    expect(await probe(t, '/readyz')).toEqual({
      status: 503,
      body: {
        status: 'not ready',
        checks: { database: 'no answer', migrations: 'not checked', server: 'ok' },
      },
    });
    expect(await probe(t, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('/readyz answers 503 "migrations: pending" when the database lacks a migration of this version', async () => {
    const latest = await t.core.store.db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, '=', LATEST as never)
      .executeTakeFirst();
    expect(Number(latest.numDeletedRows)).toBe(1);
    expect(await probe(t, '/readyz')).toEqual({
      status: 503,
      body: {
        status: 'not ready',
        checks: { database: 'ok', migrations: 'pending', server: 'ok' },
      },
    });
  });

  it('once stopping, /readyz answers 503 "server: stopping" first, the request in progress is answered, new ones are refused, and the stop ends', async () => {
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const slow = await startSlowRequest(
      url,
      '/api/v1/validate',
      { username: 'nobody', otp: '123456' },
      { authorization: `Bearer ${t.validateKey}` },
    );
    const closing = t.app.close();
    // The listener stays open while the slow request is in progress, so this ends.
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status).toBe(503);
    const readyz = await fetch(`${url}/readyz`);
    expect({ status: readyz.status, body: await readyz.json() }).toEqual({
      status: 503,
      body: {
        status: 'not ready',
        checks: { database: 'not checked', migrations: 'not checked', server: 'stopping' },
      },
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const refused = await fetch(`${url}/api/v1/users`, {
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    expect([
      refused.status,
      ((await refused.json()) as { error: { code: string } }).error.code,
    ]).toEqual([503, 'ERR_SHUTTING_DOWN']);
    expect(await slow.finish()).toEqual({ status: 200, body: '{"result":"reject"}' });
    await closing;
  });
});

describe('/readyz on a PostgreSQL that does not answer', () => {
  let t: TestApp;
  let name: string;
  let admin: pg.Client;
  beforeEach(async () => {
    t = await makeApp('postgres');
    const url = new URL(t.env.PFORTE_DATABASE_URL!);
    name = url.pathname.slice(1);
    url.pathname = '/postgres';
    admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
  });
  afterEach(async () => {
    await admin.query(`alter database ${name} allow_connections true`);
    await admin.end();
    await t.close();
  });

  it('answers 503 while the database refuses connections, and 200 again once it takes them', async () => {
    await admin.query(`alter database ${name} allow_connections false`);
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    expect(await probe(t, '/readyz')).toMatchObject({
      status: 503,
      body: { checks: { database: 'no answer' } },
    });
    await admin.query(`alter database ${name} allow_connections true`);
    // Ready again by itself, once the pool has let go of the connections that were ended.
    await expect.poll(async () => (await probe(t, '/readyz')).status).toBe(200);
    expect(await probe(t, '/readyz')).toEqual({ status: 200, body: READY });
  });

  it('answers 503 when the trivial query does not come back within its 2 s', async () => {
    const holder = new pg.Client({ connectionString: t.env.PFORTE_DATABASE_URL! });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table kysely_migration in access exclusive mode');
      expect(await probe(t, '/readyz')).toMatchObject({
        status: 503,
        body: { checks: { database: 'no answer' } },
      });
      await holder.query('rollback');
    } finally {
      await holder.end();
    }
    expect(await probe(t, '/readyz')).toEqual({ status: 200, body: READY });
  });
});
