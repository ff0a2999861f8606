/**
 * Bulk enrollment as a job of the server: a run holds its rows and options, and the
 * process host's background job works it (bulk-run-worker.ts), so it goes on when the
 * operator who started it closes the tab, and resumes where it stopped after a restart.
 * Every operator sees every run. A run is `draft` while previewed in the console (not
 * worked), `queued` once started, `running` while a worker holds it, and ends `done`,
 * `failed` or `cancelled`. This file makes, starts, shows, lists and cancels runs.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { invalid, notFound, PforteError } from '../errors.js';
import { generateActivationCode } from '../protocol/code.js';
import {
  afterKey,
  pageLimit,
  readCursor,
  toPage,
  type Page,
  type PageRequest,
} from '../store/paging.js';
import type { BulkRunRow, BulkRunState, BulkRunsTable } from '../store/tables.js';
import type { BulkRow } from './bulk-plan.js';
import { MAX_BULK_ROWS } from './bulk-source.js';
import { checkLifetime } from './enrollments.js';

/** Where a run's rows came from, as shown to operators. */
export type BulkRunSource =
  | { kind: 'csv'; file: string }
  | { kind: 'directory'; directory: string; filter: string }
  | { kind: 'list' };

export interface BulkRunOptions {
  resend: boolean;
  replace: boolean;
  lifetimeMs: number | null;
}

/** A run's figures: what became of its rows so far, by the BulkSummary's kinds. */
export interface BulkRunCounts {
  started: number;
  resent: number;
  replaced: number;
  alreadyEnrolled: number;
  openAlready: number;
  /** Skipped for another reason: no such user, a disabled user. */
  skipped: number;
  failed: number;
  sent: number;
  stored: number;
}

export interface BulkRun {
  id: string;
  state: BulkRunState;
  startedBy: string;
  source: BulkRunSource;
  options: BulkRunOptions;
  total: number;
  /** Rows done. */
  done: number;
  counts: BulkRunCounts;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the run failed; empty otherwise. */
  failure: string;
}

/** A row that needs a look: it failed, its mail failed, or it named no usable user. */
export interface BulkRunProblem {
  row: number;
  username: string;
  kind: 'failed' | 'mail' | 'unknown' | 'disabled';
  reason: string;
}

/** The states in which a run still has work ahead of it. */
export const OPEN_RUN_STATES: readonly BulkRunState[] = ['draft', 'queued', 'running'];

const ID_PATTERN = /^BR[0-9A-Z]{10}$/;

/**
 * Makes a run of `rows`: `queued` for the job, or a `draft` that `startBulkRun` queues
 * after the operator saw its preview. Nothing is enrolled here.
 */
export async function createBulkRun(
  core: Core,
  caller: Caller,
  input: {
    rows: BulkRow[];
    source: BulkRunSource;
    options?: Partial<BulkRunOptions>;
    draft?: boolean;
  },
): Promise<BulkRun> {
  if (input.rows.length === 0) throw invalid('there are no rows to enroll');
  if (input.rows.length > MAX_BULK_ROWS) {
    throw invalid(`one run takes at most ${MAX_BULK_ROWS} rows`);
  }
  const lifetimeMs = input.options?.lifetimeMs ?? null;
  if (lifetimeMs !== null) checkLifetime(core, lifetimeMs);
  const options: BulkRunOptions = {
    resend: input.options?.resend === true,
    replace: input.options?.replace === true,
    lifetimeMs,
  };
  const row: BulkRunsTable = {
    id: `BR${generateActivationCode(core.random).slice(0, 10)}`,
    state: input.draft ? 'draft' : 'queued',
    started_by: caller.actor,
    face: caller.face,
    address: caller.address,
    source: JSON.stringify(input.source),
    rows: JSON.stringify(input.rows),
    options: JSON.stringify(options),
    total: input.rows.length,
    position: 0,
    worker: null,
    lease_until: null,
    claims: 0,
    created_at: core.clock.now(),
    started_at: null,
    finished_at: null,
    error: '',
    started: 0,
    resent: 0,
    replaced: 0,
    already_enrolled: 0,
    open_already: 0,
    skipped: 0,
    failed: 0,
    sent: 0,
    stored: 0,
  };
  await core.store.db.insertInto('bulk_runs').values(row).execute();
  if (!input.draft) await auditStart(core, caller, row);
  return toBulkRun(row);
}

/** Queues a previewed run for the job (once: a second start finds it queued already). */
export async function startBulkRun(core: Core, caller: Caller, id: string): Promise<BulkRun> {
  const row = await getRunHead(core, id);
  const queued = await core.store.db
    .updateTable('bulk_runs')
    .set({ state: 'queued', created_at: core.clock.now() })
    .where('id', '=', row.id)
    .where('state', '=', 'draft')
    .executeTakeFirst();
  if (Number(queued.numUpdatedRows) !== 1) {
    throw new PforteError('ERR_CONFLICT', `the run was started already (it is ${row.state})`);
  }
  await auditStart(core, caller, row);
  return getBulkRun(core, row.id);
}

export async function getBulkRun(core: Core, id: string): Promise<BulkRun> {
  return toBulkRun(await getRunHead(core, id));
}

/** The runs, newest first; drafts (previews not started) are not listed. */
export async function listBulkRuns(core: Core, request: PageRequest = {}): Promise<Page<BulkRun>> {
  const limit = pageLimit(request);
  const after = readCursor(request.cursor, ['number', 'string'] as const);
  let select = core.store.db.selectFrom('bulk_runs').select(HEAD).where('state', '!=', 'draft');
  if (after) select = select.where(afterKey(['created_at', 'id'], after, true));
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [row.created_at, row.id], toBulkRun);
}

/**
 * Cancels a run that has not ended: the job stops it before its next row (the row in
 * hand is undone); rows done stay done, and their mail goes out.
 */
export async function cancelBulkRun(core: Core, caller: Caller, id: string): Promise<BulkRun> {
  const row = await getRunHead(core, id);
  if (row.state === 'draft') {
    // A preview no one started was never a run: it goes, and leaves no trace in the list.
    await core.store.db
      .deleteFrom('bulk_runs')
      .where('id', '=', row.id)
      .where('state', '=', 'draft')
      .execute();
    return toBulkRun({ ...row, state: 'cancelled', finished_at: core.clock.now() });
  }
  const cancelled = await core.store.db
    .updateTable('bulk_runs')
    .set({ state: 'cancelled', finished_at: core.clock.now() })
    .where('id', '=', row.id)
    .where('state', 'in', OPEN_RUN_STATES)
    .executeTakeFirst();
  if (Number(cancelled.numUpdatedRows) !== 1) {
    throw new PforteError('ERR_CONFLICT', `the run has ended (it is ${row.state})`);
  }
  await recordAudit(core, caller, {
    action: 'bulk.cancel',
    outcome: 'success',
    detail: { runId: row.id, done: row.position, total: row.total },
  });
  return getBulkRun(core, row.id);
}

/** A page of the rows of a run that need a look, in the order of the file. */
export async function listBulkRunProblems(
  core: Core,
  id: string,
  request: PageRequest = {},
): Promise<Page<BulkRunProblem>> {
  const run = await getRunHead(core, id);
  const limit = pageLimit(request);
  const after = readCursor(request.cursor, ['number', 'string'] as const);
  let select = core.store.db
    .selectFrom('bulk_run_problems')
    .select(['row', 'username', 'kind', 'reason'])
    .where('run_id', '=', run.id);
  if (after) select = select.where(afterKey(['row', 'kind'], after));
  const rows = await select
    .orderBy('row')
    .orderBy('kind')
    .limit(limit + 1)
    .execute();
  return toPage(
    rows,
    limit,
    (row) => [row.row, row.kind],
    (row) => ({ ...row }),
  );
}

/** A run with its rows: for what works on them (a preview). */
export async function getBulkRunRow(core: Core, id: string): Promise<BulkRunRow> {
  const head = await getRunHead(core, id);
  const { rows } = await core.store.db
    .selectFrom('bulk_runs')
    .select('rows')
    .where('id', '=', head.id)
    .executeTakeFirstOrThrow();
  return { ...head, rows };
}

/**
 * Every column but the rows: what showing a run reads. A run's rows can be megabytes,
 * and its page asks for its progress every second.
 */
const HEAD = [
  'id',
  'state',
  'started_by',
  'face',
  'address',
  'source',
  'options',
  'total',
  'position',
  'worker',
  'lease_until',
  'claims',
  'created_at',
  'started_at',
  'finished_at',
  'error',
  'started',
  'resent',
  'replaced',
  'already_enrolled',
  'open_already',
  'skipped',
  'failed',
  'sent',
  'stored',
] as const satisfies readonly (keyof BulkRunsTable)[];
type RunHead = Omit<BulkRunsTable, 'rows'>;

async function getRunHead(core: Core, id: string): Promise<RunHead> {
  const wanted = id.toUpperCase();
  const row = ID_PATTERN.test(wanted)
    ? await core.store.db
        .selectFrom('bulk_runs')
        .select(HEAD)
        .where('id', '=', wanted)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('bulk run');
  return row;
}

/** The caller a run's work is done as: whoever started it, so the audit log names them. */
export function callerOfRun(row: RunHead): Caller {
  return { face: row.face as Caller['face'], actor: row.started_by, address: row.address };
}

async function auditStart(core: Core, caller: Caller, row: RunHead): Promise<void> {
  const options = JSON.parse(row.options) as BulkRunOptions;
  await recordAudit(core, caller, {
    action: 'bulk.start',
    outcome: 'success',
    detail: { runId: row.id, rows: row.total, resend: options.resend, replace: options.replace },
  });
}

function toBulkRun(row: RunHead): BulkRun {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: row.id,
    state: row.state,
    startedBy: row.started_by,
    source: JSON.parse(row.source) as BulkRunSource,
    options: JSON.parse(row.options) as BulkRunOptions,
    total: row.total,
    done: row.position,
    counts: {
      started: row.started,
      resent: row.resent,
      replaced: row.replaced,
      alreadyEnrolled: row.already_enrolled,
      openAlready: row.open_already,
      skipped: row.skipped,
      failed: row.failed,
      sent: row.sent,
      stored: row.stored,
    },
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    failure: row.error,
  };
}
