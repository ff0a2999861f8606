/**
 * Working bulk runs (bulk-runs.ts), called by the process host's background job.
 *
 * The concurrency rules:
 * - A worker claims a run with one conditional write: `queued`, or `running` under a
 *   lease that ran out (its worker died). Of several processes on one database, one wins.
 * - Each row's record (the run's position, its count, its problem) is written in the
 *   row's own transaction (`enrollMany`'s ledger), conditional on the run still being
 *   this worker's and at that row. So a row is done and recorded together or not at all:
 *   after a kill -9 the next worker resumes at the first row not recorded, and no one
 *   is enrolled or mailed twice. Each record renews the lease.
 * - A cancelled run, or a worker told to stop, stops before its next row (the row in
 *   hand is undone); a stopping worker lets the lease go so another process resumes it.
 * - Mail the rows queued goes out in batches while the run goes on; at the end the run
 *   delivers what a worker before it left queued, and counts its mail from the outbox.
 */
import { recordAudit } from '../audit/record.js';
import type { Core } from '../context.js';
import { deliverDueMail, mailStates } from '../mail/outbox.js';
import type { BulkRunRow } from '../store/tables.js';
import { inTransaction } from '../store/transaction.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import { BulkStopped, enrollMany, type BulkSummary, type RowRecord } from './bulk.js';
import type { BulkRow } from './bulk-plan.js';
import { callerOfRun, type BulkRunOptions } from './bulk-runs.js';

/** A worker that stops renewing this long is taken for dead, and its run is taken over. */
export const RUN_LEASE_MS = 2 * 60_000;
/** Rows enrolled between two mail tallies. */
const CHUNK = 100;
/** A draft (a preview no one started) is dropped after a day. */
const DRAFT_LIFETIME_MS = 86_400_000;

export interface WorkerOptions {
  /** This process's name in the runs it claims. */
  worker: string;
  /** Asked before each row: true stops the run there, to be resumed later. */
  stopping?: () => boolean;
  /** Stop after this many rows (a test's stand-in for a process that dies). */
  rowBudget?: number;
}

/**
 * One turn of the job: drops old drafts, claims a run that is due and works it to its end
 * (or until stopped). Returns the id of the run worked, if any.
 */
export async function tickBulkRuns(
  core: Core,
  options: WorkerOptions,
): Promise<string | undefined> {
  await core.store.db
    .deleteFrom('bulk_runs')
    .where('state', '=', 'draft')
    .where('created_at', '<', core.clock.now() - DRAFT_LIFETIME_MS)
    .execute();
  const run = await claimRun(core, options.worker);
  if (!run) return undefined;
  try {
    await workRun(core, run, options);
  } catch (error) {
    if (error instanceof BulkStopped) {
      // A worker out of its budget leaves the run as a dead one would: under its lease.
      if (options.stopping?.()) await releaseRun(core, run, options.worker);
    } else if (isDatabaseUnavailable(error)) {
      // The lease runs out and the run is resumed when the database is back.
      throw error;
    } else {
      await failRun(core, run, options.worker, error);
      throw error;
    }
  }
  return run.id;
}

/** The oldest run that is due, if this worker wins it. */
async function claimRun(core: Core, worker: string): Promise<BulkRunRow | undefined> {
  const now = core.clock.now();
  const due = await core.store.db
    .selectFrom('bulk_runs')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('state', '=', 'queued'),
        eb.and([eb('state', '=', 'running'), eb('lease_until', '<', now)]),
      ]),
    )
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  if (!due) return undefined;
  return core.store.db
    .updateTable('bulk_runs')
    .set((eb) => ({
      state: 'running',
      worker,
      lease_until: now + RUN_LEASE_MS,
      claims: eb('claims', '+', 1),
      started_at: eb.fn.coalesce('started_at', eb.val(now)),
    }))
    .where('id', '=', due.id)
    .where((eb) =>
      eb.or([
        eb('state', '=', 'queued'),
        eb.and([eb('state', '=', 'running'), eb('lease_until', '<', now)]),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
}

async function workRun(core: Core, run: BulkRunRow, options: WorkerOptions): Promise<void> {
  const rows = JSON.parse(run.rows) as BulkRow[];
  const runOptions = JSON.parse(run.options) as BulkRunOptions;
  const caller = callerOfRun(run);
  let position = run.position;
  let budget = options.rowBudget ?? Infinity;
  while (position < rows.length) {
    const failedHere = new Set<number>();
    const ledger = async (db: Core, record: RowRecord) => {
      if (options.stopping?.() || budget <= 0) throw new BulkStopped('the worker stops');
      await inTransaction(db, (tx) => recordRow(tx, run.id, options.worker, record));
      if ('failed' in record) failedHere.add(record.row);
      budget--;
    };
    const summary = await enrollMany(core, caller, rows.slice(position, position + CHUNK), {
      resend: runOptions.resend,
      replace: runOptions.replace,
      ...(runOptions.lifetimeMs ? { lifetimeMs: runOptions.lifetimeMs } : {}),
      batch: run.id,
      firstRow: position + 1,
      ledger,
    });
    await recordMail(core, run.id, summary, failedHere);
    position += summary.total;
  }
  await finishRun(core, run, options.worker);
}

const COUNT_OF = {
  started: 'started',
  resent: 'resent',
  replaced: 'replaced',
  enrolled: 'already_enrolled',
  open: 'open_already',
  unknown: 'skipped',
  disabled: 'skipped',
} as const;

/** A row's record, in the row's transaction: only while the run is this worker's and at this row. */
async function recordRow(core: Core, runId: string, worker: string, record: RowRecord) {
  const count =
    'made' in record ? COUNT_OF[record.made] : 'skip' in record ? COUNT_OF[record.skip] : 'failed';
  const moved = await core.store.db
    .updateTable('bulk_runs')
    .set((eb) => ({
      position: record.row,
      lease_until: core.clock.now() + RUN_LEASE_MS,
      [count]: eb(count, '+', 1),
    }))
    .where('id', '=', runId)
    .where('state', '=', 'running')
    .where('worker', '=', worker)
    .where('position', '=', record.row - 1)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw new BulkStopped('the run is no longer ours');
  const problem =
    'failed' in record
      ? { kind: 'failed' as const, reason: record.failed }
      : 'skip' in record && (record.skip === 'unknown' || record.skip === 'disabled')
        ? { kind: record.skip, reason: record.reason }
        : undefined;
  if (problem) {
    await core.store.db
      .insertInto('bulk_run_problems')
      .values({ run_id: runId, row: record.row, username: record.username, ...problem })
      .execute();
  }
}

/**
 * A chunk's mail, as its summary counts it. Whoever holds the run now, these rows are
 * done: the tally is the run's whatever became of the lease.
 */
async function recordMail(
  core: Core,
  runId: string,
  summary: BulkSummary,
  failedRows: ReadonlySet<number>,
): Promise<void> {
  const undelivered = summary.failed.filter((f) => !failedRows.has(f.row));
  await inTransaction(core, async (tx) => {
    await tx.store.db
      .updateTable('bulk_runs')
      .set((eb) => ({
        sent: eb('sent', '+', summary.sent),
        stored: eb('stored', '+', summary.stored),
        failed: eb('failed', '+', undelivered.length),
      }))
      .where('id', '=', runId)
      .execute();
    for (const f of undelivered) {
      await tx.store.db
        .insertInto('bulk_run_problems')
        .values({ run_id: runId, row: f.row, username: f.username, kind: 'mail', reason: f.reason })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
}

/**
 * The end of a run: mail that a worker before this one queued and did not deliver goes
 * out now, and the mail figures are counted from the outbox (so a resumed run counts the
 * mail of the rows it did before the restart too).
 */
async function finishRun(core: Core, run: BulkRunRow, worker: string): Promise<void> {
  const mailIds = (
    await core.store.db
      .selectFrom('enrollments')
      .select('mail_id')
      .where('batch', '=', run.id)
      .where('mail_id', 'is not', null)
      .execute()
  ).map((row) => row.mail_id!);
  const states = await mailStates(core, mailIds);
  const queued = [...states.values()].filter((m) => m.state === 'queued').map((m) => m.id);
  for (let i = 0; i < queued.length; i += 500) {
    await deliverDueMail(core, { ids: queued.slice(i, i + 500) });
  }
  const final = queued.length > 0 ? await mailStates(core, mailIds) : states;
  const tally = (state: string) => [...final.values()].filter((m) => m.state === state).length;
  const done = await core.store.db
    .updateTable('bulk_runs')
    .set({
      state: 'done',
      finished_at: core.clock.now(),
      lease_until: null,
      sent: tally('sent'),
      stored: tally('stored'),
    })
    .where('id', '=', run.id)
    .where('state', '=', 'running')
    .where('worker', '=', worker)
    .returning(['total', 'started', 'resent', 'replaced', 'sent', 'stored', 'failed'])
    .executeTakeFirst();
  if (!done) return;
  await recordAudit(core, callerOfRun(run), {
    action: 'bulk.finish',
    outcome: 'success',
    detail: {
      runId: run.id,
      rows: done.total,
      started: done.started,
      resent: done.resent,
      replaced: done.replaced,
      sent: done.sent,
      stored: done.stored,
      failed: done.failed,
    },
  });
}

/** A stopping worker lets its run go at once, for another process to resume. */
async function releaseRun(core: Core, run: BulkRunRow, worker: string): Promise<void> {
  await core.store.db
    .updateTable('bulk_runs')
    .set({ lease_until: 0 })
    .where('id', '=', run.id)
    .where('state', '=', 'running')
    .where('worker', '=', worker)
    .execute();
}

/** A fault of ours ends the run as failed, saying so, rather than retrying it for ever. */
async function failRun(core: Core, run: BulkRunRow, worker: string, error: unknown) {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  await core.store.db
    .updateTable('bulk_runs')
    .set({ state: 'failed', finished_at: core.clock.now(), error: message.slice(0, 200) })
    .where('id', '=', run.id)
    .where('state', '=', 'running')
    .where('worker', '=', worker)
    .execute();
  await recordAudit(core, callerOfRun(run), {
    action: 'bulk.finish',
    outcome: 'failure',
    reason: 'fault',
    detail: { runId: run.id, done: run.position },
  });
}
