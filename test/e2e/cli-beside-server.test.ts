/**
 * The README's own workflow: `npm start`, then `pforte enroll --csv staff.csv` in a
 * second terminal while services sign users in. On the embedded database the two
 * processes write the same SQLite file; they wait for each other, and nobody loses a
 * row or gets a 500. The same holds on PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, freshPostgresDatabase } from '../helpers/core.js';
import { BIN, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { prepareLoadUsers, startSignInLoad, type LoadUser } from '../helpers/signin-load.js';

const ROWS = 300;

const OPEN_ENROLLMENTS = `select count(*) as n from enrollments e join users u on u.id = e.user_id
  where e.state = 'open' and u.username like 'staff%'`;

describe.each(DATABASES)('the CLI beside a running server on %s', (database) => {
  let dataDir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  let key: string;
  let users: LoadUser[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pforte-beside-'));
    env = {
      PFORTE_DATA_DIR: dataDir,
      PFORTE_RATE_LIMIT_PER_MINUTE: '1000000',
      ...(database === 'postgres' ? { PFORTE_DATABASE_URL: await freshPostgresDatabase() } : {}),
    };
    ({ key, users } = await prepareLoadUsers(env, 4));
    server = await startServerProcess(env);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(
    `enrolls all ${ROWS} rows of a CSV while the server answers sign-ins`,
    { timeout: 120_000 },
    async () => {
      const csv = join(dataDir, 'staff.csv');
      const lines = Array.from(
        { length: ROWS },
        (_, i) => `staff${i},staff${i}@example.org,Staff Member ${i},${i % 2 ? 'en' : 'de'}`,
      );
      writeFileSync(csv, ['username,email,name,lang', ...lines].join('\n') + '\n');

      const load = startSignInLoad(server.url, key, users);
      const started = Date.now();
      const run = await runCli(['enroll', '--csv', csv]);
      const seconds = (Date.now() - started) / 1000;
      const figures = await load.stop();
      console.log(
        `cli beside server on ${database}: ${ROWS} rows in ${seconds.toFixed(1)} s, exit ${run.code}; ` +
          `${figures.requests} sign-ins meanwhile (${figures.accepts.length} accepted, ` +
          `${figures.unavailable} answered 503); the CLI said: ${run.stdout.split('\n')[0]}`,
      );

      expect(run.stdout).toContain(
        `${ROWS} rows: 0 mailed, ${ROWS} in the outbox, 0 skipped, 0 failed`,
      );
      expect(run.stderr).not.toMatch(/^\s+at |Error:|SQLITE_/m);
      expect(run.code).toBe(0);
      expect(figures.wrong).toEqual([]);
      expect(figures.dropped).toEqual([]);
      expect(figures.unavailable).toBe(0);
      expect(figures.accepts.length).toBeGreaterThan(0);

      expect(await countOpenEnrollments()).toBe(ROWS);
      expect(server.child.exitCode).toBeNull();
    },
  );

  async function countOpenEnrollments(): Promise<number> {
    if (database === 'postgres') {
      const client = new pg.Client({ connectionString: env.PFORTE_DATABASE_URL });
      await client.connect();
      try {
        return Number((await client.query<{ n: string }>(OPEN_ENROLLMENTS)).rows[0]!.n);
      } finally {
        await client.end();
      }
    }
    const db = new SQLite(join(dataDir, 'pforte.sqlite'), { readonly: true });
    try {
      return (db.prepare(OPEN_ENROLLMENTS).get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  function runCli(
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += String(chunk)));
      child.stderr.on('data', (chunk) => (stderr += String(chunk)));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }
});
