/**
 * Bulk enrollment: one row per user, from a CSV file or a directory filter (CLI) or a
 * JSON list (REST). A row is a username (the user exists, or a directory knows them),
 * or username, email, name, lang (the user is created if missing).
 *
 * Running it again mails no one twice. Each user is in one of these places:
 *
 *   holds a token in use    → skipped ("already enrolled"), unless `replace`: a new
 *                             enrollment, whose token replaces the old one once active
 *   has an open enrollment  → skipped ("open already"), unless `resend`: a new link with
 *                             a fresh lifetime; a link whose mail never went out is
 *                             mailed again without asking
 *   neither                 → a new enrollment and its mail
 *
 * Every row ends in the summary, counted by what happened to it, and a row that fails
 * says why in one line. Each row costs the same few queries, however many users there are,
 * and rows share their transaction's commit a few dozen at a time.
 */
import type { Caller, Core } from '../context.js';
import { findOrImportUser } from '../directory/import.js';
import { PforteError } from '../errors.js';
import { GroupedTransaction } from '../store/grouped-transaction.js';
import { deliverDueMail, mailStates } from '../mail/outbox.js';
import type { UserRow } from '../store/tables.js';
import { normalizeUsername } from '../users/fields.js';
import { createUser, findUserRow } from '../users/users.js';
import { planRow, readStandings, SKIP_REASONS, type BulkRow, type SkipKind } from './bulk-plan.js';
import { resendEnrollment, startEnrollment } from './enrollments.js';
import { describeRowFailure } from './row-failure.js';

export { SKIP_KINDS, type BulkRow, type SkipKind } from './bulk-plan.js';

const MAIL_BATCH = 200;
/**
 * Rows that share a transaction (store/grouped-transaction.ts): a commit per 50 rows
 * instead of per row, and no other writer waits longer than 20 ms for the write lock.
 */
const ROW_GROUP = { maxUnits: 50, maxMs: 20 };

export interface BulkSummary {
  total: number;
  /** Mails handed to the SMTP server. */
  sent: number;
  /** Mails kept in the outbox (no SMTP configured). */
  stored: number;
  /** New enrollments for users who had none. */
  started: number;
  /** Open enrollments mailed a new link with a fresh lifetime. */
  resent: number;
  /** New enrollments for users who hold a token already (`replace`). */
  replaced: number;
  /** Skipped: the user holds a token in use. */
  alreadyEnrolled: number;
  /** Skipped: the user's enrollment is open already. */
  openAlready: number;
  skipped: { row: number; username: string; reason: string; kind: SkipKind }[];
  failed: { row: number; username: string; reason: string }[];
}

export interface BulkOptions {
  /** Mail open enrollments a new link. */
  resend?: boolean;
  /** Enroll users who hold a token in use again. */
  replace?: boolean;
  lifetimeMs?: number;
  /** Called after each row and while mail is delivered: done of total. */
  onProgress?: (phase: 'enroll' | 'mail', done: number, total: number) => void;
  /** The bulk run the rows belong to: each enrollment started or mailed carries its id. */
  batch?: string;
  /** The number of the first row (a run resumed part-way numbers rows as in its file). */
  firstRow?: number;
  /**
   * A bulk run's ledger (bulk-run-worker.ts), told what became of each row, in the
   * transaction the row's work commits in, so the two commit together or not at all (for
   * a row that failed, after its work was rolled back: nothing of it was kept; for the
   * rows of a group whose commit failed, afresh, each failed). Throwing `BulkStopped`
   * undoes the row in hand and ends the loop; the rows before it are kept.
   */
  ledger?: (core: Core, record: RowRecord) => Promise<void>;
}

/** What became of one row, as a ledger is told. */
export type RowRecord = { row: number; username: string } & (
  | { made: 'started' | 'resent' | 'replaced' }
  | { skip: SkipKind; reason: string }
  | { failed: string }
);

/** Thrown by a ledger to stop between rows (the run was cancelled, or its worker stops). */
export class BulkStopped extends Error {}

type Outcome =
  | { made: 'started' | 'resent' | 'replaced'; mailId: string | null; username: string }
  | { skip: SkipKind; reason: string };

export async function enrollMany(
  core: Core,
  caller: Caller,
  rows: BulkRow[],
  options: BulkOptions = {},
): Promise<BulkSummary> {
  const summary: BulkSummary = {
    total: rows.length,
    sent: 0,
    stored: 0,
    started: 0,
    resent: 0,
    replaced: 0,
    alreadyEnrolled: 0,
    openAlready: 0,
    skipped: [],
    failed: [],
  };
  const mails = new Map<string, { row: number; username: string }>();
  // Mail goes out in batches while the next rows are enrolled: the database work and
  // the SMTP round trips overlap.
  const delivering: Promise<unknown>[] = [];
  let batch: string[] = [];
  let delivered = 0;
  const flush = () => {
    if (batch.length === 0 || !core.mailer) return;
    const ids = batch;
    batch = [];
    const delivery = deliverDueMail(core, { ids }).then(() => {
      delivered += ids.length;
      options.onProgress?.('mail', delivered, mails.size);
    });
    // Awaited after the loop; until then a failure (the database gone) must not count as
    // unhandled, which would end the process.
    delivery.catch(() => undefined);
    delivering.push(delivery);
  };
  // What each row of the open group did: counted, and its mail sent, once it committed.
  const group = new GroupedTransaction(core, ROW_GROUP);
  let done: Done[] = [];
  const count = (row: Done) => {
    if ('failed' in row) {
      summary.failed.push({ row: row.row, username: row.username, reason: row.failed });
    } else if ('skip' in row.outcome) {
      countSkip(summary, row.outcome.skip);
      summary.skipped.push({
        row: row.row,
        username: row.username,
        reason: row.outcome.reason,
        kind: row.outcome.skip,
      });
    } else {
      summary[row.outcome.made]++;
      if (row.outcome.mailId) {
        mails.set(row.outcome.mailId, { row: row.row, username: row.outcome.username });
        batch.push(row.outcome.mailId);
        if (batch.length >= MAIL_BATCH) flush();
      }
    }
  };
  /** Commits the group and counts its rows; a group that cannot commit fails its rows. */
  const commit = async () => {
    const rowsOfGroup = done;
    done = [];
    try {
      await group.commit();
      rowsOfGroup.forEach(count);
    } catch (error) {
      // group.commit() has rolled the group back: none of its rows happened.
      const { reason } = noteFailure(core, error, rowsOfGroup[0]?.row);
      for (const row of rowsOfGroup) {
        const failed = { row: row.row, username: row.username, failed: reason };
        await options.ledger?.(core, failed);
        count(failed);
      }
    }
  };
  /** Ends the loop early: the rows before the row in hand are kept. */
  const stop = async (stopped: unknown): Promise<never> => {
    await commit();
    throw stopped;
  };
  try {
    for (const [index, row] of rows.entries()) {
      const number = (options.firstRow ?? 1) + index;
      const username = row.username;
      try {
        // Each row in a savepoint: a failing row leaves nothing, the group's others stay.
        const outcome = await group.run(async (tx) => {
          const made = await enrollRow(tx, caller, row, options);
          await options.ledger?.(
            tx,
            'skip' in made
              ? { row: number, username, skip: made.skip, reason: made.reason }
              : { row: number, username, made: made.made },
          );
          return made;
        });
        done.push({ row: number, username, outcome });
      } catch (error) {
        if (error instanceof BulkStopped) await stop(error);
        const { reason } = noteFailure(core, error, number);
        const failed = { row: number, username, failed: reason };
        const { ledger } = options;
        if (ledger) await group.write((tx) => ledger(tx, failed)).catch(stop);
        done.push(failed);
      }
      if (group.due) await commit();
      options.onProgress?.('enroll', index + 1, rows.length);
    }
    await commit();
  } catch (error) {
    // Mail already handed over goes on; what is still batched waits for the mail job.
    await group.rollback().catch(() => undefined);
    await Promise.allSettled(delivering);
    throw error;
  }
  flush();
  await Promise.all(delivering);
  await countMail(core, summary, mails);
  summary.failed.sort((a, b) => a.row - b.row);
  return summary;
}

/** A row as the open group holds it, until the group commits. */
type Done = { row: number; username: string } & ({ outcome: Outcome } | { failed: string });

/**
 * The row's line in the summary is what the administrator reads; the detail is for
 * whoever keeps the server's log (a CLI run keeps it off the terminal).
 */
function noteFailure(core: Core, error: unknown, row: number | undefined) {
  const failure = describeRowFailure(error);
  if (failure.cause !== 'refused') {
    core.log[failure.cause === 'fault' ? 'error' : 'warn']({ err: error, row }, 'bulk row failed');
  }
  return failure;
}

function countSkip(summary: BulkSummary, kind: SkipKind): void {
  if (kind === 'enrolled') summary.alreadyEnrolled++;
  else if (kind === 'open') summary.openAlready++;
}

async function enrollRow(
  core: Core,
  caller: Caller,
  row: BulkRow,
  options: BulkOptions,
): Promise<Outcome> {
  const username = normalizeUsername(row.username);
  const known = (await readStandings(core, [username])).get(username);
  const plan = planRow(known, row, options, core.directories.length > 0);
  if ('skip' in plan) return skip(plan.skip);
  const user = known?.user ?? (await addUser(core, caller, username, row));
  if (!user) return skip('unknown');
  if (user.disabled) return skip('disabled');
  const extra = {
    ...(options.lifetimeMs ? { lifetimeMs: options.lifetimeMs } : {}),
    ...(options.batch ? { batch: options.batch } : {}),
  };
  if (plan.make === 'resent') {
    const resent = await resendEnrollment(core, caller, plan.enrollmentId, extra);
    return { made: 'resent', mailId: resent.mail?.id ?? null, username };
  }
  const started = await startEnrollment(core, caller, { username, user, ...extra });
  return { made: plan.make, mailId: started.mail?.id ?? null, username };
}

function skip(kind: SkipKind): Outcome {
  return { skip: kind, reason: SKIP_REASONS[kind] };
}

/** A user the row names but Pforte does not know yet: from a directory, or from the row. */
async function addUser(
  core: Core,
  caller: Caller,
  username: string,
  row: BulkRow,
): Promise<UserRow | undefined> {
  if (!row.email && core.directories.length > 0) {
    // A username alone: the directory may know the user.
    const imported = await findOrImportUser(core, caller, username).catch((error: unknown) => {
      if (error instanceof PforteError && error.code === 'ERR_NOT_FOUND') return undefined;
      throw error;
    });
    if (imported) return imported;
  }
  if (!row.email) return undefined;
  await createUser(core, caller, {
    username,
    email: row.email,
    ...(row.name ? { name: row.name } : {}),
    ...(row.lang ? { lang: row.lang } : {}),
    ...(row.directory ? { directory: row.directory } : {}),
  });
  return findUserRow(core, username);
}

/** Whether each mail went out, is kept in the outbox, or failed (then its row failed). */
async function countMail(
  core: Core,
  summary: BulkSummary,
  mails: Map<string, { row: number; username: string }>,
): Promise<void> {
  const states = await mailStates(core, [...mails.keys()]);
  for (const [mailId, { row, username }] of mails) {
    const mail = states.get(mailId);
    if (mail?.state === 'sent') summary.sent++;
    else if (mail?.state === 'stored') summary.stored++;
    else {
      const why = mail?.lastError || mail?.state;
      // A mail given up on is mailed again, with a new link, when the rows are run again.
      const reason =
        mail?.state === 'failed'
          ? `mail not delivered (${why}); run the same rows again to mail a new link`
          : `mail not delivered yet (${why}); it will be retried`;
      summary.failed.push({ row, username, reason });
    }
  }
}
