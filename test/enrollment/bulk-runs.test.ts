/**
 * Bulk enrollment as a job of the server (issue 12, item 5): a run works to its end from
 * the background job's tick; a run whose process died part-way is taken over after its
 * lease and resumes at the first row not done, mailing no one twice; of two processes on
 * one PostgreSQL one claims a run; a cancelled run stops before its next row; every
 * enrollment a run starts carries its id. The tick is called directly: no timers, no sleeps.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { loadConfig } from '../../src/config/load.js';
import type { Core } from '../../src/context.js';
import { closeCore, openCore } from '../../src/core.js';
import type { BulkRow } from '../../src/enrollment/bulk.js';
import { RUN_LEASE_MS, tickBulkRuns } from '../../src/enrollment/bulk-run-worker.js';
import {
  cancelBulkRun,
  createBulkRun,
  getBulkRun,
  listBulkRunProblems,
  listBulkRuns,
} from '../../src/enrollment/bulk-runs.js';
import { listEnrollments, startEnrollment } from '../../src/enrollment/enrollments.js';
import { listOutbox } from '../../src/mail/outbox.js';
import { createUser, updateUser } from '../../src/users/users.js';
import { ADMIN, DATABASES, FakeClock, makeCore, type TestCore } from '../helpers/core.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

const staff = (count: number, from = 0): BulkRow[] =>
  Array.from({ length: count }, (_, i) => ({
    username: `staff${from + i}`,
    email: `staff${from + i}@example.org`,
    name: `Staff ${from + i}`,
  }));

/** Every enrollment of the database (a test's look, many pages). */
async function allEnrollments(core: Core) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await listEnrollments(core, { limit: 1000, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return items;
}

describe.each(DATABASES)('bulk runs on %s', (database) => {
  let smtp: TestSmtp;
  let t: TestCore;
  /** A second process's core on the same database, with a clock of its own. */
  const otherProcess = async (clock: FakeClock) =>
    openCore(loadConfig({ env: t.env }), { clock: clock });

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.close());
  beforeEach(async () => {
    smtp.received.length = 0;
    t = await makeCore(database, { PFORTE_SMTP_URL: smtp.url });
  });
  afterEach(async () => t.close());

  it('works a queued run to its end: every row enrolled and mailed once, counted by kind, each enrollment carrying the run', async () => {
    await createUser(t.core, ADMIN, { username: 'off', email: 'off@example.org' });
    await updateUser(t.core, ADMIN, 'off', { disabled: true });
    await createUser(t.core, ADMIN, { username: 'waiting', email: 'waiting@example.org' });
    await startEnrollment(t.core, ADMIN, { username: 'waiting', sendMail: false });
    const rows = [
      ...staff(120),
      { username: 'off' },
      { username: 'waiting' },
      { username: 'ghost' },
      { username: 'bad name!' },
    ];
    const run = await createBulkRun(t.core, ADMIN, { rows, source: { kind: 'list' } });
    expect(run).toMatchObject({ state: 'queued', total: 124, done: 0, startedBy: 'cli:test' });

    expect(await tickBulkRuns(t.core, { worker: 'a' })).toBe(run.id);
    const done = await getBulkRun(t.core, run.id);
    expect(done).toMatchObject({
      state: 'done',
      done: 124,
      counts: {
        started: 120,
        resent: 0,
        replaced: 0,
        alreadyEnrolled: 0,
        openAlready: 1,
        skipped: 2,
        failed: 1,
        sent: 120,
        stored: 0,
      },
    });
    expect(done.finishedAt).not.toBeNull();
    expect(smtp.received).toHaveLength(120);
    expect(new Set(smtp.received.flatMap((m) => m.to)).size).toBe(120);
    const problems = (await listBulkRunProblems(t.core, run.id)).items;
    expect(problems).toEqual([
      { row: 121, username: 'off', kind: 'disabled', reason: 'the user is disabled' },
      {
        row: 123,
        username: 'ghost',
        kind: 'unknown',
        reason: 'no such user, and the row gives no e-mail address to create one',
      },
      {
        row: 124,
        username: 'bad name!',
        kind: 'failed',
        reason: expect.stringContaining('username must be'),
      },
    ]);
    const batch = await listEnrollments(t.core, { batch: run.id, limit: 1000 });
    expect(batch.items).toHaveLength(120);
    expect(batch.items.every((e) => e.batch === run.id)).toBe(true);
    // Nothing more to do: the next tick finds no run.
    expect(await tickBulkRuns(t.core, { worker: 'a' })).toBeUndefined();
    const audit = (await listAudit(t.core, { limit: 1000 })).items.filter((e) =>
      e.action.startsWith('bulk.'),
    );
    expect(audit.map((e) => [e.action, e.actor, e.detail.runId])).toEqual([
      ['bulk.finish', 'cli:test', run.id],
      ['bulk.start', 'cli:test', run.id],
    ]);
  });

  it('resumes a run whose process died part-way at the first row not done, and mails no one twice', async () => {
    const run = await createBulkRun(t.core, ADMIN, {
      rows: staff(200),
      source: { kind: 'csv', file: 'staff.csv' },
      options: { resend: true },
    });
    // The first process does 130 rows and dies: its last rows' mail is still queued.
    await tickBulkRuns(t.core, { worker: 'first', rowBudget: 130 });
    const halfway = await getBulkRun(t.core, run.id);
    expect(halfway).toMatchObject({ state: 'running', done: 130 });
    expect((await allEnrollments(t.core)).length).toBe(130);
    const mailedBefore = smtp.received.length;
    expect(mailedBefore).toBeLessThan(130);

    const clock = new FakeClock(t.clock.now());
    const second = await otherProcess(clock);
    try {
      // Under the dead worker's lease the run is left alone; after it, taken over.
      expect(await tickBulkRuns(second, { worker: 'second' })).toBeUndefined();
      clock.advance(RUN_LEASE_MS + 1000);
      expect(await tickBulkRuns(second, { worker: 'second' })).toBe(run.id);
    } finally {
      await closeCore(second);
    }
    const done = await getBulkRun(t.core, run.id);
    expect(done).toMatchObject({
      state: 'done',
      done: 200,
      counts: { started: 200, resent: 0, openAlready: 0, failed: 0, sent: 200 },
    });
    const recipients = smtp.received.flatMap((m) => m.to);
    expect(recipients).toHaveLength(200);
    expect(new Set(recipients).size).toBe(200);
    const enrollments = await allEnrollments(t.core);
    expect(enrollments).toHaveLength(200);
    expect(enrollments.every((e) => e.state === 'open' && e.batch === run.id)).toBe(true);
  });

  it('lets a run go when its worker stops (a server shutting down), for another to resume at once', async () => {
    const run = await createBulkRun(t.core, ADMIN, { rows: staff(40), source: { kind: 'list' } });
    let rows = 0;
    // The process host's stop: asked before each row; here it comes after 15 rows.
    await tickBulkRuns(t.core, { worker: 'leaving', stopping: () => rows++ >= 15 });
    expect(await getBulkRun(t.core, run.id)).toMatchObject({ state: 'running', done: 15 });
    // No lease to wait out: the next process takes the run over at once.
    expect(await tickBulkRuns(t.core, { worker: 'staying' })).toBe(run.id);
    expect(await getBulkRun(t.core, run.id)).toMatchObject({
      state: 'done',
      counts: { started: 40, sent: 40 },
    });
    expect(new Set(smtp.received.flatMap((m) => m.to)).size).toBe(40);
    expect(smtp.received).toHaveLength(40);
  });

  it('lists a row whose mail the SMTP server refused, and counts only the mail that went out', async () => {
    const run = await createBulkRun(t.core, ADMIN, { rows: staff(10), source: { kind: 'list' } });
    smtp.refuseNext(2);
    await tickBulkRuns(t.core, { worker: 'a' });
    const done = await getBulkRun(t.core, run.id);
    expect(done).toMatchObject({ state: 'done', counts: { started: 10, sent: 8, failed: 2 } });
    const problems = (await listBulkRunProblems(t.core, run.id)).items;
    expect(problems).toHaveLength(2);
    for (const problem of problems) {
      expect(problem.kind).toBe('mail');
      expect(problem.reason).toMatch(/^mail not delivered yet \(.*451.*\); it will be retried$/);
    }
  });

  it('stops a cancelled run before its next row; the rows done stay done', async () => {
    const run = await createBulkRun(t.core, ADMIN, { rows: staff(50), source: { kind: 'list' } });
    await tickBulkRuns(t.core, { worker: 'a', rowBudget: 20 });
    const cancelled = await cancelBulkRun(t.core, ADMIN, run.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', done: 20 });
    t.clock.advance(RUN_LEASE_MS + 1000);
    expect(await tickBulkRuns(t.core, { worker: 'b' })).toBeUndefined();
    expect((await allEnrollments(t.core)).length).toBe(20);
    await expect(cancelBulkRun(t.core, ADMIN, run.id)).rejects.toMatchObject({
      code: 'ERR_CONFLICT',
    });
  });

  it('lists every run, newest first, without the drafts no one started', async () => {
    const first = await createBulkRun(t.core, ADMIN, { rows: staff(1), source: { kind: 'list' } });
    t.clock.advance(1000);
    await createBulkRun(t.core, ADMIN, {
      rows: staff(1, 1),
      source: { kind: 'list' },
      draft: true,
    });
    t.clock.advance(1000);
    const second = await createBulkRun(t.core, ADMIN, {
      rows: staff(1, 2),
      source: { kind: 'list' },
    });
    const listed = await listBulkRuns(t.core, { limit: 1 });
    expect(listed.items.map((r) => r.id)).toEqual([second.id]);
    const rest = await listBulkRuns(t.core, { limit: 1, cursor: listed.next! });
    expect(rest.items.map((r) => r.id)).toEqual([first.id]);
    expect(rest.next).toBeUndefined();
    // A draft is not worked; a day later it is gone.
    await tickBulkRuns(t.core, { worker: 'a' });
    await tickBulkRuns(t.core, { worker: 'a' });
    expect(await tickBulkRuns(t.core, { worker: 'a' })).toBeUndefined();
    expect(smtp.received.flatMap((m) => m.to).sort()).toEqual([
      'staff0@example.org',
      'staff2@example.org',
    ]);
    expect((await listOutbox(t.core)).items).toHaveLength(2);
  });
});

describe('bulk runs with two processes on one PostgreSQL', () => {
  it('are claimed by one of them: each row enrolled and mailed once', async () => {
    const smtp = await startSmtpServer();
    const t = await makeCore('postgres', { PFORTE_SMTP_URL: smtp.url });
    const other = await openCore(loadConfig({ env: t.env }), { clock: new FakeClock() });
    try {
      const run = await createBulkRun(t.core, ADMIN, {
        rows: staff(150),
        source: { kind: 'list' },
      });
      const worked = await Promise.all([
        tickBulkRuns(t.core, { worker: 'one' }),
        tickBulkRuns(other, { worker: 'two' }),
      ]);
      expect(worked.filter((id) => id === run.id)).toHaveLength(1);
      expect(await getBulkRun(t.core, run.id)).toMatchObject({
        state: 'done',
        done: 150,
        counts: { started: 150, openAlready: 0, sent: 150 },
      });
      const recipients = smtp.received.flatMap((m) => m.to);
      expect(recipients).toHaveLength(150);
      expect(new Set(recipients).size).toBe(150);
    } finally {
      await closeCore(other);
      await t.close();
      await smtp.close();
    }
  });
});
