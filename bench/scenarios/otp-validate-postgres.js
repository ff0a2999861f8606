// @ts-check
// OTP validations on PostgreSQL: the main line (passcode only, with clientAddress)
// against a second Pforte server on a fresh database of the PostgreSQL server that
// BENCH_POSTGRES_URL names, beside the same line on SQLite measured before: ratio.
// Without BENCH_POSTGRES_URL the bench starts a throwaway cluster on loopback with the
// test suite's script (scripts/test-services/postgres.sh: fsync and synchronous_commit
// off, as SQLite's synchronous=NORMAL does not sync each commit either), and the row
// says it was skipped only where PostgreSQL is not installed. The database is made for
// the run and dropped after it; the server's CPU per validation leaves out PostgreSQL's own.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import { fmt } from '../lib/format.js';
import { isLoadRun } from '../lib/load.js';
import { execFileAsync, stopProcess, tempDirs } from '../lib/processes.js';
import { ROOT } from '../lib/settings.js';
import { createKey, serverEnv, startPforte } from '../lib/setup.js';
import { plainRow, targetRow } from '../lib/targets.js';
import { makeUsers, provision } from '../lib/users.js';
import {
  cpuPerValidation,
  latency,
  measureValidations,
  otpValidate,
  refusalProblems,
} from './otp-validate.js';

/** @typedef {import('./otp-validate.js').ValidationRun} ValidationRun */
/** @typedef {{ skipped: string } | (ValidationRun & { sqlite: number })} PostgresRun */

/**
 * `sql` on the database `url` names.
 * @param {string} url
 * @param {string} sql
 */
async function query(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A new, empty database on the server `url` names, and its URL.
 * @param {string} url
 */
async function createDatabase(url) {
  const name = `pforte_bench_${process.pid}_${Date.now().toString(36)}`;
  await query(url, `CREATE DATABASE ${name}`);
  const database = new URL(url);
  database.pathname = `/${name}`;
  return { name, url: database.toString() };
}

/**
 * A Pforte server on a fresh PostgreSQL database with OTP users of its own: their
 * validations, and everything made for them removed after.
 * @param {import('../lib/types.js').Bench} bench
 * @param {string} postgresUrl
 * @returns {Promise<ValidationRun>}
 */
async function validateOnPostgres(bench, postgresUrl) {
  const database = await createDatabase(postgresUrl);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pforte-bench-pg-'));
  tempDirs.add(dataDir);
  try {
    const { env } = serverEnv(dataDir);
    env.PFORTE_DATABASE_URL = database.url;
    const adminKey = await createKey('bench-admin', 'admin', env);
    const serviceKey = await createKey('bench-service', 'validate', env);
    const server = await startPforte(
      'pforte serve (PostgreSQL)',
      bench.settings,
      env,
      bench.pinning?.servers,
    );
    bench.processes.push(server);
    try {
      const users = makeUsers('pg', bench.settings.otpUsers, false);
      await provision(server.url, adminKey, users);
      return await measureValidations(
        'OTP validate on PostgreSQL (passcode only, clientAddress)',
        { server, serviceKey, adminKey },
        bench.settings,
        users,
        { clientAddress: true },
      );
    } finally {
      await stopProcess(server);
    }
  } finally {
    await query(postgresUrl, `DROP DATABASE IF EXISTS ${database.name} WITH (FORCE)`);
    await rm(dataDir, { recursive: true, force: true });
    tempDirs.delete(dataDir);
  }
}

const POSTGRES_SCRIPT = path.join(ROOT, 'scripts', 'test-services', 'postgres.sh');
/** Where Debian's PostgreSQL keeps pg_ctl (the script finds it the same way). */
const PG_CTL = '/usr/lib/postgresql/15/bin/pg_ctl';

/** A port no one listens on now. */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  if (!address || typeof address === 'string') throw new Error('no port for PostgreSQL');
  return address.port;
}

/**
 * A throwaway PostgreSQL cluster on loopback, or undefined when PostgreSQL is not
 * installed; `stop` removes it.
 * @returns {Promise<{ url: string, stop: () => Promise<void> } | undefined>}
 */
async function startPostgres() {
  const installed =
    existsSync(PG_CTL) || (await execFileAsync('which', ['pg_ctl']).catch(() => undefined));
  if (!installed) return undefined;
  const { stdout } = await execFileAsync('bash', [
    POSTGRES_SCRIPT,
    'start',
    String(await freePort()),
  ]);
  const value = (/** @type {string} */ name) =>
    stdout.match(new RegExp(`^${name}=(.+)$`, 'm'))?.[1];
  const root = value('PGROOT');
  const url = value('DATABASE_URL');
  if (!root || !url) throw new Error(`postgres.sh said: ${stdout}`);
  return {
    url,
    stop: async () => {
      await execFileAsync('bash', [POSTGRES_SCRIPT, 'stop', root]);
    },
  };
}

/** @type {import('../lib/types.js').Scenario<PostgresRun, undefined>} */
export const otpValidatePostgres = {
  name: 'OTP validations on PostgreSQL',
  cpus: 'split',
  yardstick: undefined,
  async run(bench, earlier) {
    const own = bench.settings.postgresUrl ? undefined : await startPostgres();
    const postgresUrl = bench.settings.postgresUrl ?? own?.url;
    if (!postgresUrl) {
      return { skipped: 'BENCH_POSTGRES_URL is not set, and PostgreSQL is not installed' };
    }
    try {
      const sqlite = earlier.get(otpValidate.name)?.run;
      const run = await validateOnPostgres(bench, postgresUrl);
      return { ...run, sqlite: isLoadRun(sqlite) ? sqlite.perSecond : NaN };
    } finally {
      await own?.stop();
    }
  },
  target: { bound: '≥', value: 0.7 },
  rows({ run }) {
    const label = 'PostgreSQL ÷ SQLite validations (with clientAddress)';
    if ('skipped' in run) return [targetRow(label, NaN, this.target, `(skipped: ${run.skipped})`)];
    return [
      plainRow(
        'OTP validations/s on PostgreSQL (passcode only, with clientAddress)',
        `${fmt(run.perSecond)} ${latency(run)}; Pforte's CPU per validation ` +
          `${fmt(cpuPerValidation(run), 2)} ms, PostgreSQL's own not counted`,
      ),
      targetRow(label, run.perSecond / run.sqlite, this.target),
    ];
  },
  problems: ({ run }) => ('skipped' in run ? [] : refusalProblems(run)),
};
