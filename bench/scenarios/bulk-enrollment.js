// @ts-check
// Bulk enrollment of BENCH_ENROLL_USERS users (POST /api/v1/enrollments/bulk) to a
// loopback SMTP server, on a fresh server and data folder, in mails per second beside
// nodemailer's own pooled send rate to the same SMTP server: ratio; and the server's
// peak memory. The sign-in server stops first: its memory and CPU are out of the way.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, mb, spaced } from '../lib/format.js';
import { postJson } from '../lib/post-json.js';
import { assertRunning, pforteCli, stopProcess, tempDirs } from '../lib/processes.js';
import { watch } from '../lib/proc-stats.js';
import { rawSendRate } from '../lib/raw-mail.js';
import { startPforte } from '../lib/setup.js';
import { startSmtpServer } from '../lib/smtp.js';
import { plainRow, targetRow } from '../lib/targets.js';

/** @typedef {import('../lib/types.js').Bench} Bench */
/** @typedef {Awaited<ReturnType<typeof rawSendRate>>} RawMailRun */
/** @typedef {Awaited<ReturnType<typeof bulkEnrollment>>} EnrollRun */

/** The CSV rows of `count` new users, as an administrator would upload them. @param {number} count */
function enrollmentRows(count) {
  return Array.from({ length: count }, (_, i) => ({
    username: `user${i}`,
    email: `user${i}@example.org`,
    name: `Employee ${i}`,
    lang: 'de',
  }));
}

/**
 * A fresh server and data folder: POST /api/v1/enrollments/bulk with `count` rows.
 * @param {Bench} bench
 * @param {import('../lib/types.js').Smtp} smtp
 * @param {number} count
 */
async function bulkEnrollment(bench, smtp, count) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pforte-bench-enroll-'));
  tempDirs.add(dataDir);
  try {
    const env = {
      ...bench.baseEnv,
      PFORTE_DATA_DIR: dataDir,
      PFORTE_SMTP_URL: smtp.url,
      PFORTE_LOG_LEVEL: 'warn',
      PFORTE_PUBLIC_URL: 'http://127.0.0.1',
    };
    await pforteCli(['migrate'], env);
    const key = JSON.parse(
      await pforteCli(['apikey', 'create', 'bench', '--scope', 'admin', '--json'], env),
    ).key;
    const server = await startPforte('pforte serve (enrollment)', bench.settings, env, undefined);
    bench.processes.push(server);
    try {
      const rows = enrollmentRows(count);
      process.stdout.write(`  bulk enrollment, ${count} users (pid ${server.pid}) … `);
      smtp.reset();
      const watcher = watch(server.pid);
      watcher.start();
      const began = performance.now();
      const summary = await postJson(`${server.url}/api/v1/enrollments/bulk`, key, { rows });
      const seconds = (performance.now() - began) / 1000;
      const usage = watcher.stop();
      assertRunning(server);
      const run = {
        summary: /** @type {BulkSummary} */ (summary),
        seconds,
        perSecond: summary.sent / seconds,
        received: smtp.counts.messages,
        duplicates: smtp.duplicates(),
        bytesPerMail: smtp.counts.bytes / smtp.counts.messages,
        ...usage,
      };
      console.log(
        `${fmt(run.perSecond)} mails/s (${fmt(seconds, 1)} s; sent ${summary.sent}, ` +
          `received ${run.received}, ${fmt(run.bytesPerMail)} bytes per message)`,
      );
      return run;
    } finally {
      await stopProcess(server);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    tempDirs.delete(dataDir);
  }
}

/**
 * What POST /api/v1/enrollments/bulk answers.
 * @typedef {object} BulkSummary
 * @property {number} sent
 * @property {number} stored
 * @property {{ reason: string }[]} skipped
 * @property {{ reason: string }[]} failed
 */

/** The SMTP server, started once, closed with the bench. @param {Bench} bench */
async function smtpOf(bench) {
  bench.smtp ??= await startSmtpServer();
  return bench.smtp;
}

/** @type {import('../lib/types.js').Scenario<EnrollRun, RawMailRun>} */
export const bulkEnrollmentScenario = {
  name: 'bulk enrollment',
  cpus: 'all',
  yardstick: {
    name: 'raw nodemailer send rate',
    async measure(bench) {
      await stopProcess(bench.server);
      return rawSendRate(await smtpOf(bench), bench.settings.enrollUsers);
    },
  },
  run: async (bench) => bulkEnrollment(bench, await smtpOf(bench), bench.settings.enrollUsers),
  target: { bound: '≥', value: 0.7 },
  rows({ run, yardstick: raw, bench }) {
    return [
      plainRow(
        `Bulk enrollment, ${spaced(bench.settings.enrollUsers)} users`,
        `${fmt(run.perSecond)} mails/s (${fmt(run.seconds, 1)} s for the ` +
          `request; sent ${run.summary.sent}, SMTP received ${run.received}, ` +
          `${run.duplicates} twice; ${fmt(run.bytesPerMail)} bytes per mail)`,
      ),
      plainRow(
        'Raw nodemailer send rate (pooled, 5 connections)',
        `${fmt(raw.perSecond)} mails/s (${fmt(raw.seconds, 1)} s; ` +
          `${fmt(raw.bytesPerMail)} bytes per mail)`,
      ),
      targetRow('Bulk enrollment ÷ raw send rate', run.perSecond / raw.perSecond, this.target),
      plainRow(
        '**Peak server memory during bulk enrollment (VmHWM)**',
        `**${fmt(mb(run.peakRssKb))} MB**`,
      ),
    ];
  },
  // Every mail handed over once: a bulk run that lost or doubled mail measured
  // something else.
  problems({ run, yardstick: raw, bench }) {
    const count = bench.settings.enrollUsers;
    const s = run.summary;
    return [
      s.sent !== count && `sent ${s.sent} of ${count}`,
      s.stored !== 0 && `${s.stored} stored in the outbox`,
      s.skipped.length > 0 && `${s.skipped.length} skipped (${s.skipped[0]?.reason})`,
      s.failed.length > 0 && `${s.failed.length} failed (${s.failed[0]?.reason})`,
      run.received !== count && `the SMTP server received ${run.received} messages`,
      run.duplicates > 0 && `${run.duplicates} recipients got more than one`,
      raw.received !== count && `the raw nodemailer run delivered ${raw.received} messages`,
    ].filter((problem) => typeof problem === 'string');
  },
};
