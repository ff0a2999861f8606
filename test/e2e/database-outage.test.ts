/**
 * A `pforte serve` process on a PostgreSQL cluster of this test's own, under a bounded
 * sign-in load, while the database goes away: its connections killed, a fast restart,
 * a stop and a start. The process stays up, every request is answered (normally, or
 * 503 ERR_DATABASE_UNAVAILABLE), no accept the client saw is lost, and sign-ins are
 * accepted again by themselves once the database is back.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { freePort } from '../helpers/ports.js';
import { withPostgresClient } from '../helpers/postgres-client.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import {
  prepareLoadUsers,
  startSignInLoad,
  type Accept,
  type LoadUser,
} from '../helpers/signin-load.js';

const SCRIPT = new URL('../../scripts/test-services/postgres.sh', import.meta.url).pathname;
/** "Within seconds": a fresh connection after the database is back, with room for a busy machine. */
const RECOVERY_DEADLINE_MS = 15_000;
const ANY_ACCEPT_DEADLINE_MS = 10_000;
/** Accepts seen before a fault and after recovery: the load runs on both sides of it. */
const ACCEPTS_AROUND = 40;

/** The cluster script, run without blocking: the load goes on while the database restarts. */
async function postgres(...args: string[]): Promise<string> {
  return (await promisify(execFile)('bash', [SCRIPT, ...args], { encoding: 'utf8' })).stdout;
}

describe('a PostgreSQL outage under sign-in load', () => {
  let pgRoot: string;
  let pgPort: string;
  let adminUrl: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  let key: string;
  let users: LoadUser[];
  const exits: (number | null)[] = [];
  const allAccepts: Accept[] = [];

  beforeAll(async () => {
    pgPort = String(await freePort());
    const values = Object.fromEntries(
      (await postgres('start', pgPort))
        .trim()
        .split('\n')
        .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]),
    );
    pgRoot = values.PGROOT!;
    adminUrl = values.DATABASE_URL!;
    await withAdmin((admin) => admin.query('create database pforte_outage'));
    const url = new URL(adminUrl);
    url.pathname = '/pforte_outage';
    env = {
      PFORTE_DATABASE_URL: url.toString(),
      PFORTE_DATA_DIR: mkdtempSync(join(tmpdir(), 'pforte-outage-')),
      PFORTE_RATE_LIMIT_PER_MINUTE: '1000000',
    };
    ({ key, users } = await prepareLoadUsers(env, 4));
    server = await startServerProcess(env);
    server.child.on('exit', (code) => exits.push(code));
  });
  afterAll(async () => {
    await server?.stop();
    if (pgRoot) await postgres('stop', pgRoot);
  });

  const withAdmin = <T>(work: (admin: pg.Client) => Promise<T>) =>
    withPostgresClient(adminUrl, work);

  /** Runs the load, lets `fault` take the database away and bring it back, and checks what every client saw. */
  async function underLoad(
    name: string,
    fault: (load: ReturnType<typeof startSignInLoad>) => Promise<void>,
  ) {
    const load = startSignInLoad(server.url, key, users);
    await load.acceptAfter(Date.now(), ANY_ACCEPT_DEADLINE_MS, ACCEPTS_AROUND);
    const faultAt = Date.now();
    await fault(load);
    const backAt = Date.now();
    const recovered = await load.acceptAfter(backAt, RECOVERY_DEADLINE_MS);
    await load.acceptAfter(backAt, ANY_ACCEPT_DEADLINE_MS, ACCEPTS_AROUND);
    const figures = await load.stop();
    allAccepts.push(...figures.accepts);
    console.log(
      `${name}: ${figures.requests} requests, ${figures.accepts.length} accepted, ` +
        `${figures.unavailable} answered 503, ${figures.rejectsAfterOutage} replays after a 503; ` +
        `fault phase ${backAt - faultAt} ms, accepted again ${recovered.at - backAt} ms after the database was back`,
    );
    expect(figures.wrong).toEqual([]);
    expect(figures.dropped).toEqual([]);
    expect(exits).toEqual([]);
    await expectNoAcceptLost();
    return figures;
  }

  /** Every accept a client saw is in the token's counter and in the audit log. */
  async function expectNoAcceptLost() {
    const rows = await withPostgresClient(env.PFORTE_DATABASE_URL!, async (db) => {
      const tokens = await db.query<{ username: string; counter: string }>(
        `select u.username, t.counter from tokens t join users u on u.id = t.user_id`,
      );
      const audited = await db.query<{ username: string; n: string }>(
        `select username, count(*) as n from audit_events
         where action = 'signin' and outcome = 'accept' group by username`,
      );
      return { tokens: tokens.rows, audited: audited.rows };
    });
    for (const user of users) {
      const seen = allAccepts.filter((a) => a.username === user.username);
      const next = Math.max(-1, ...seen.map((a) => a.counter)) + 1;
      const token = rows.tokens.find((t) => t.username === user.username);
      expect(Number(token?.counter)).toBeGreaterThanOrEqual(next);
      const audited = rows.audited.find((a) => a.username === user.username);
      expect(Number(audited?.n ?? 0)).toBeGreaterThanOrEqual(seen.length);
    }
  }

  it('stays up when its connections are killed (pg_terminate_backend)', async () => {
    await underLoad('pg_terminate_backend', async (load) => {
      for (let round = 0; round < 5; round++) {
        // A few sign-ins on the fresh connections, then they are killed again.
        await load.acceptAfter(Date.now(), RECOVERY_DEADLINE_MS, 5);
        await withAdmin((admin) =>
          admin.query(
            `select pg_terminate_backend(pid) from pg_stat_activity
             where datname = 'pforte_outage' and pid <> pg_backend_pid()`,
          ),
        );
      }
    });
  });

  it('stays up through a fast restart (pg_ctl restart -m fast)', async () => {
    const figures = await underLoad('pg_ctl restart -m fast', async () => {
      await postgres('restart', pgRoot);
    });
    expect(figures.accepts.length).toBeGreaterThan(0);
  });

  it('answers 503 while the database is stopped, on the API, /readyz and the portal, while /healthz stays 200, and recovers when it is started', async () => {
    const figures = await underLoad('stop, then start', async (load) => {
      await postgres('halt', pgRoot);
      const before = load.figures.unavailable;
      await expect
        .poll(() => load.figures.unavailable, { timeout: 10_000 })
        .toBeGreaterThan(before);

      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: { database: string } }).checks.database).toBe(
        'no answer',
      );
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const portal = await signInOnPortal();
      expect(portal.status).toBe(503);
      expect(portal.html).toContain('Der Dienst ist gerade nicht erreichbar');

      await postgres('resume', pgRoot, pgPort);
    });
    expect(figures.unavailable).toBeGreaterThan(0);
    const ready = await fetch(`${server.url}/readyz`);
    expect(((await ready.json()) as { status: string }).status).toBe('ready');
  });

  it('goes on sealing the audit log after the outages, and the chain verifies', async () => {
    const unsealed = () =>
      withPostgresClient(env.PFORTE_DATABASE_URL!, async (db) => {
        const { rows } = await db.query<{ n: string }>(
          'select count(*) as n from audit_events where seq is null',
        );
        return Number(rows[0]!.n);
      });
    await expect.poll(unsealed, { timeout: 10_000 }).toBe(0);
    const verified = await cli(env, ['audit', 'verify']);
    expect(verified.code).toBe(0);
    expect(exits).toEqual([]);
  });

  /** The portal's sign-in form, filled in and sent as a browser would. */
  async function signInOnPortal(): Promise<{ status: number; html: string }> {
    const page = await fetch(`${server.url}/login`, { headers: { 'accept-language': 'de' } });
    const html = await page.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const answer = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'accept-language': 'de',
        cookie,
      },
      body: new URLSearchParams({ username: 'load0', otp: '123456', password: 'x', _csrf: csrf }),
      redirect: 'manual',
    });
    return { status: answer.status, html: await answer.text() };
  }
});
