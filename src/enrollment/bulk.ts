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
 * says why in one line. Each row costs the same few queries, however many users there are.
 */
import type { Caller, Core } from '../context.js';
import { findOrImportUser } from '../directory/import.js';
import { PforteError } from '../errors.js';
import { inTransaction } from '../store/transaction.js';
import { deliverDueMail, enrollmentMailState, mailStates } from '../mail/outbox.js';
import type { UserRow } from '../store/tables.js';
import { normalizeUsername } from '../users/fields.js';
import { createUser, findUserRow } from '../users/users.js';
import { TOKEN_STATES_IN_USE } from './enrolled.js';
import { resendEnrollment, startEnrollment } from './enrollments.js';
import { describeRowFailure } from './row-failure.js';

const MAIL_BATCH = 200;

export interface BulkRow {
  username: string;
  email?: string;
  name?: string;
  lang?: string;
  /** The directory the row was read from: the user's password is asked there. */
  directory?: string;
}

/** Why a row was skipped: a token in use, an open enrollment, no such user, a disabled user. */
export const SKIP_KINDS = ['enrolled', 'open', 'unknown', 'disabled'] as const;
export type SkipKind = (typeof SKIP_KINDS)[number];

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
}

type Outcome =
  | { made: 'started' | 'resent' | 'replaced'; mailId: string | null; username: string }
  | { skip: SkipKind; reason: string };

const SKIP_REASONS: Record<SkipKind, string> = {
  enrolled: 'already enrolled: the user holds a token (use replace to enroll them again)',
  open: 'an enrollment is open already (use resend to mail a new link)',
  unknown: 'no such user, and the row gives no e-mail address to create one',
  disabled: 'the user is disabled',
};

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
    delivering.push(
      deliverDueMail(core, { ids }).then(() => {
        delivered += ids.length;
        options.onProgress?.('mail', delivered, mails.size);
      }),
    );
  };
  for (const [index, row] of rows.entries()) {
    const number = index + 1;
    try {
      // One transaction a row: one commit instead of ten, and a failing row leaves nothing.
      const outcome = await inTransaction(core, (tx) => enrollRow(tx, caller, row, options));
      if ('skip' in outcome) {
        countSkip(summary, outcome.skip);
        summary.skipped.push({
          row: number,
          username: row.username,
          reason: outcome.reason,
          kind: outcome.skip,
        });
      } else {
        summary[outcome.made]++;
        if (outcome.mailId) {
          mails.set(outcome.mailId, { row: number, username: outcome.username });
          batch.push(outcome.mailId);
          if (batch.length >= MAIL_BATCH) flush();
        }
      }
    } catch (error) {
      const { reason, cause } = describeRowFailure(error);
      // The row's line in the summary is what the administrator reads; the detail is for
      // whoever keeps the server's log (a CLI run keeps it off the terminal).
      if (cause !== 'refused') {
        core.log[cause === 'fault' ? 'error' : 'warn'](
          { err: error, row: number },
          'bulk row failed',
        );
      }
      summary.failed.push({ row: number, username: row.username, reason });
    }
    options.onProgress?.('enroll', number, rows.length);
  }
  flush();
  await Promise.all(delivering);
  await countMail(core, summary, mails);
  summary.failed.sort((a, b) => a.row - b.row);
  return summary;
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
  const known = await readStanding(core, username);
  const user = known?.user ?? (await addUser(core, caller, username, row));
  if (!user) return skip('unknown');
  if (user.disabled) return skip('disabled');
  const lifetime = options.lifetimeMs ? { lifetimeMs: options.lifetimeMs } : {};
  if (known?.open) {
    // A user whose mail failed never got a link: running the file again mails a new one.
    const undelivered = known.open.mailState === 'failed' || known.open.mailState === 'cancelled';
    if (!options.resend && !undelivered) return skip('open');
    const resent = await resendEnrollment(core, caller, known.open.id, lifetime);
    return { made: 'resent', mailId: resent.mail?.id ?? null, username };
  }
  if (known?.enrolled && !options.replace) return skip('enrolled');
  const started = await startEnrollment(core, caller, { username, user, ...lifetime });
  const made = known?.enrolled ? 'replaced' : 'started';
  return { made, mailId: started.mail?.id ?? null, username };
}

function skip(kind: SkipKind): Outcome {
  return { skip: kind, reason: SKIP_REASONS[kind] };
}

/**
 * The user with where they stand, in one query: whether they hold a token in use, and
 * their open enrollment with its mail's state.
 */
async function readStanding(core: Core, username: string) {
  const row = await core.store.db
    .selectFrom('users')
    .selectAll('users')
    .select((eb) => [
      eb
        .selectFrom('tokens')
        .select('tokens.serial')
        .whereRef('tokens.user_id', '=', 'users.id')
        .where('tokens.state', 'in', TOKEN_STATES_IN_USE)
        .limit(1)
        .as('token_in_use'),
      eb
        .selectFrom('enrollments')
        .select('enrollments.id')
        .whereRef('enrollments.user_id', '=', 'users.id')
        .where('enrollments.state', '=', 'open')
        .where('enrollments.expires_at', '>', core.clock.now())
        .limit(1)
        .as('open_id'),
      // At most one enrollment is open; its mail's state, or null when it has none.
      eb
        .selectFrom('enrollments')
        .select((open) => enrollmentMailState(open).as('state'))
        .whereRef('enrollments.user_id', '=', 'users.id')
        .where('enrollments.state', '=', 'open')
        .limit(1)
        .as('open_mail_state'),
    ])
    .where('users.username', '=', username)
    .executeTakeFirst();
  if (!row) return undefined;
  const { token_in_use, open_id, open_mail_state, ...user } = row;
  return {
    user: user as UserRow,
    enrolled: token_in_use !== null,
    open: open_id === null ? undefined : { id: open_id, mailState: open_mail_state },
  };
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
