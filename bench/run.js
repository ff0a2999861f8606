// @ts-check
// `npm run bench`: how fast is a real Pforte server, measured against yardsticks run
// on the same machine in the same run. Each measure is a scenario in bench/scenarios/
// (`{ name, yardstick, run, target }`, listed in scenarios/index.js):
//
//   1. OTP validations per second (passcode only, with clientAddress as services are
//      told to send it) beside a bare Fastify JSON route: target ≥ 0.25 (issue 17); the
//      same without clientAddress, and with it at 50 connections (p99 < 5 ms); the
//      server's CPU per validation (from /proc) with and without clientAddress: ≤ 0.4 /
//      0.3 ms. Every valid code of a measured run must be accepted, or the bench fails
//      with the audit log's reasons.
//   1a. The same on PostgreSQL beside SQLite: target ≥ 0.7 (on BENCH_POSTGRES_URL, or on
//      a throwaway cluster of the bench's own; said to be skipped without PostgreSQL).
//   1b. RADIUS passcode-only authentications per second (UDP, a client with as many
//      Access-Requests in flight as there are connections) beside REST passcode-only
//      validations of the same users, measured just before: target ≥ 0.9.
//   2. Password + passcode sign-ins per second beside the raw argon2id verify rate
//      with as many verifies in parallel as there are cores: target ≥ 0.8.
//   2b. Portal sign-ins per second (the sign-in form with its CSRF token) beside the
//      same raw rate: target ≥ 0.7.
//   2c. RADIUS password + passcode authentications per second (the passcode appended
//      to the password) beside the same raw rate: target ≥ 0.8.
//   2d. Directory sign-ins per second (a local OpenLDAP slapd) beside raw ldapts binds
//      per second with as many in parallel: target ≥ 0.5 (issue 17).
//   3. The server's peak resident memory (VmHWM) under that load: target < 200 MB; and
//      its resident memory just after start: target < 100 MB.
//   4. Bulk enrollment of BENCH_ENROLL_USERS users to a loopback SMTP server, on a
//      fresh server and data folder, beside nodemailer's own pooled send rate:
//      target ≥ 0.7 (issue 17); and the server's peak memory.
//   5. The console's lists (users: first page, search, a later page; audit: first page,
//      a later page, filtered) with BENCH_CONSOLE_USERS (50000) users and
//      BENCH_CONSOLE_EVENTS (1000000) events written into SQLite before the server
//      starts, p50/p99 per page beside the bare route and beside the same pages with 50
//      users: slowest ratio < 2; every page's plan and rows read checked on the database.
//
// The shared setup (servers, keys, users) is bench/lib/setup.js; the pinning of CPUs
// bench/lib/pinning.js. Everything runs on 127.0.0.1, for a bounded time; every child
// process is stopped at the end, also when something fails.
//
// Settings (environment): BENCH_DURATION (seconds per run, 10), BENCH_WARMUP (seconds,
// 2; the server is let go idle before each measured run), BENCH_CONNECTIONS (10),
// BENCH_USERS (500, at least 50), BENCH_PASSWORD_USERS (50), BENCH_ENROLL_USERS
// (10000), BENCH_PIN (0: no CPU pinning), BENCH_CPU_PROF (a folder: the server writes a
// V8 CPU profile there when it stops), BENCH_POSTGRES_URL (a PostgreSQL server, e.g.
// postgres://postgres@127.0.0.1:5432/postgres; unset: a throwaway cluster of its own), BENCH_ONLY
// (scenario names, comma-separated, e.g. "console lists" or "RADIUS passcode,RADIUS
// password+passcode": only those run). A quick check that every scenario still runs: BENCH_DURATION=2
// BENCH_WARMUP=0 BENCH_ENROLL_USERS=200 BENCH_CONSOLE_USERS=2000 BENCH_CONSOLE_EVENTS=20000.
import { printReport } from './lib/report.js';
import { runScenarios } from './lib/run-scenarios.js';
import { readSettings } from './lib/settings.js';
import { closeBench, startBench } from './lib/setup.js';
import { SCENARIOS } from './scenarios/index.js';

const settings = readSettings();
/** @type {Parameters<typeof closeBench>[0]} */
const cleanup = {};
try {
  const bench = await startBench(settings, cleanup);
  const scenarios = settings.only.length
    ? SCENARIOS.filter(({ name }) => settings.only.includes(name))
    : SCENARIOS;
  if (scenarios.length !== (settings.only.length || SCENARIOS.length)) {
    throw new Error(
      `BENCH_ONLY names no scenario of: ${SCENARIOS.map(({ name }) => name).join(', ')}`,
    );
  }
  const outcomes = await runScenarios(bench, scenarios);
  if (!printReport(bench, scenarios, outcomes)) process.exitCode = 1;
} catch (error) {
  console.error(`\nbench failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  await closeBench(cleanup);
}
