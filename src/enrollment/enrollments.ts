/**
 * Self-enrollment: an administrator starts it for a user, Pforte mails the user a
 * link with a one-time activation code, and the user's authenticator completes it
 * (activation.ts, or standard-app.ts for other authenticator apps).
 *
 * An enrollment is `open` until one activation completes it (`done`), an
 * administrator cancels it or starts a newer one (`cancelled`), or its lifetime ends
 * (shown as `expired`). Only the code's SHA-256 is stored; resending makes a new
 * code, so only the latest mail's link works.
 */
import { recordAudit } from '../audit/record.js';
import { brandOf } from '../config/brand.js';
import type { Caller, Core } from '../context.js';
import { findOrImportUser } from '../directory/import.js';
import { invalid, notFound, PforteError } from '../errors.js';
import { renderEnrollmentMail } from '../mail/enrollment-mail.js';
import { cancelQueuedMail, enqueueMail, mailStates, type MailStatus } from '../mail/outbox.js';
import {
  afterKey,
  pageLimit,
  readCursor,
  toPage,
  type Page,
  type PageRequest,
} from '../store/paging.js';
import type { EnrollmentRow, EnrollmentState, UserRow } from '../store/tables.js';
import type { Lang } from '../text/i18n.js';
import { inTransaction } from '../store/transaction.js';
import { findUserRowById } from '../users/users.js';
import { effectiveState, hashActivationCode } from './lookup.js';
import { endPendingActivations } from './pending.js';
import { generateActivationCode } from '../protocol/code.js';

export interface Enrollment {
  id: string;
  username: string;
  state: EnrollmentState;
  createdAt: string;
  expiresAt: string;
  completedAt: string | null;
  activationsUsed: number;
  tokenSerial: string | null;
  mail: MailStatus | null;
  /** The bulk run that started or last mailed it (its id); null when started one by one. */
  batch: string | null;
}

export interface StartedEnrollment extends Enrollment {
  /** `<public-url>/enroll/<code>`: shown once, to the administrator who asked. */
  link: string;
}

const ID_PATTERN = /^EN[0-9A-Z]{10}$/;

export async function startEnrollment(
  core: Core,
  caller: Caller,
  input: {
    username: string;
    lifetimeMs?: number;
    sendMail?: boolean;
    user?: UserRow;
    /** The bulk run starting it. */
    batch?: string;
  },
): Promise<StartedEnrollment> {
  const user = input.user ?? (await findOrImportUser(core, caller, input.username));
  if (user.disabled) throw invalid(`user ${user.username} is disabled`);
  const lifetimeMs = checkLifetime(core, input.lifetimeMs);
  const now = core.clock.now();
  const code = generateActivationCode(core.random);
  const row: EnrollmentRow = {
    id: `EN${generateActivationCode(core.random).slice(0, 10)}`,
    user_id: user.id,
    code_hash: hashActivationCode(code),
    state: 'open',
    created_at: now,
    expires_at: now + lifetimeMs,
    activations_used: 0,
    created_by: caller.actor,
    completed_at: null,
    token_serial: null,
    mail_id: null,
    batch: input.batch ?? null,
  };
  const cancelled = await inTransaction(core, async (tx) => {
    const db = tx.store.db;
    const replaced = await db
      .updateTable('enrollments')
      .set({ state: 'cancelled' })
      .where('user_id', '=', user.id)
      .where('state', '=', 'open')
      .returning('id')
      .execute();
    for (const { id } of replaced) await endEnrollment(tx, id);
    await db.insertInto('enrollments').values(row).execute();
    return replaced;
  }).catch((error: unknown) => {
    // The one-open-enrollment index: another start for this user won the race.
    if (isUniqueViolation(error)) {
      throw new PforteError(
        'ERR_CONFLICT',
        `an enrollment for ${user.username} was started at the same moment`,
      );
    }
    throw error;
  });
  await recordAudit(core, caller, {
    action: 'enrollment.start',
    outcome: 'success',
    username: user.username,
    detail: {
      enrollmentId: row.id,
      expiresAt: new Date(row.expires_at).toISOString(),
      replaces: cancelled.map((c) => c.id).join(',') || null,
    },
  });
  const link = enrollmentLink(core, code);
  const mail = input.sendMail === false ? null : await mailEnrollment(core, user, row, link);
  row.mail_id = mail?.id ?? null;
  return { ...(await toEnrollment(core, row, user.username, mail)), link };
}

/**
 * Issues a new code for an open enrollment and mails it, with a fresh lifetime (the
 * configured one, or `lifetimeMs`): the old link stops working, and the new one is as
 * good as a first one, not the rest of the old one's days. `acceptExpired` also renews
 * one past its lifetime (its row is still open): the user's own "Send me a new link".
 * `codeHash`: renew only while the enrollment still has the code its caller holds, so
 * that a link renews once, not again after another request renewed it.
 */
export async function resendEnrollment(
  core: Core,
  caller: Caller,
  id: string,
  options: { lifetimeMs?: number; batch?: string; acceptExpired?: boolean; codeHash?: string } = {},
): Promise<StartedEnrollment> {
  const { row, user } = await getEnrollmentRow(core, id);
  const state = effectiveState(core, row);
  if (state !== 'open' && !(state === 'expired' && options.acceptExpired)) {
    throw new PforteError('ERR_ENROLLMENT_STATE', `the enrollment is ${state}; start a new one`);
  }
  if (options.codeHash !== undefined && options.codeHash !== row.code_hash) {
    throw new PforteError('ERR_ENROLLMENT_STATE', 'the link was renewed meanwhile');
  }
  const expiresAt = core.clock.now() + checkLifetime(core, options.lifetimeMs);
  const code = generateActivationCode(core.random);
  // The old link stops working altogether: its activations end, its mail is not sent,
  // and the new link gets all its attempts. Conditional: an activation completing
  // meanwhile wins, and its enrollment is not reopened; of two resends at the same
  // moment (a double-clicked "Send me a new link") only one replaces the code read.
  const renewed = await core.store.db
    .updateTable('enrollments')
    .set({
      code_hash: hashActivationCode(code),
      activations_used: 0,
      expires_at: expiresAt,
      ...(options.batch ? { batch: options.batch } : {}),
    })
    .where('id', '=', row.id)
    .where('state', '=', 'open')
    .where('code_hash', '=', row.code_hash)
    .executeTakeFirst();
  if (Number(renewed.numUpdatedRows) !== 1) {
    throw new PforteError(
      'ERR_ENROLLMENT_STATE',
      'the enrollment was completed, cancelled or resent meanwhile; start a new one',
    );
  }
  row.activations_used = 0;
  row.expires_at = expiresAt;
  row.batch = options.batch ?? row.batch;
  await endEnrollment(core, row.id);
  const link = enrollmentLink(core, code);
  const mail = await mailEnrollment(core, user, row, link);
  row.mail_id = mail.id;
  await recordAudit(core, caller, {
    action: 'enrollment.resend',
    outcome: 'success',
    username: user.username,
    detail: { enrollmentId: row.id, expiresAt: new Date(expiresAt).toISOString() },
  });
  return { ...(await toEnrollment(core, row, user.username, mail)), link };
}

export async function cancelEnrollment(
  core: Core,
  caller: Caller,
  id: string,
): Promise<Enrollment> {
  const { row, user } = await getEnrollmentRow(core, id);
  const result = await core.store.db
    .updateTable('enrollments')
    .set({ state: 'cancelled' })
    .where('id', '=', row.id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new PforteError('ERR_ENROLLMENT_STATE', `the enrollment is ${effectiveState(core, row)}`);
  }
  await endEnrollment(core, row.id);
  await recordAudit(core, caller, {
    action: 'enrollment.cancel',
    outcome: 'success',
    username: user.username,
    detail: { enrollmentId: row.id },
  });
  return toEnrollment(core, { ...row, state: 'cancelled' }, user.username);
}

export interface EnrollmentFilter {
  /** `expired`: open, past its expiry. */
  state?: string;
  username?: string;
  /** The id of the bulk run that started them. */
  batch?: string;
  /** Started at or after this moment (ms). */
  createdFrom?: number;
  /** Started before this moment (ms). */
  createdBefore?: number;
}

/**
 * A page of enrollments, newest first, each with its mail's state from the same query
 * (a left join: one query per page, however long the page).
 */
export async function listEnrollments(
  core: Core,
  request: PageRequest & EnrollmentFilter = {},
): Promise<Page<Enrollment>> {
  const limit = pageLimit(request);
  const after = readCursor(request.cursor, ['number', 'string'] as const);
  const now = core.clock.now();
  let select = core.store.db
    .selectFrom('enrollments')
    .innerJoin('users', 'users.id', 'enrollments.user_id')
    .leftJoin('mail_outbox', 'mail_outbox.id', 'enrollments.mail_id')
    .selectAll('enrollments')
    .select([
      'users.username',
      'mail_outbox.state as mail_state',
      'mail_outbox.last_error as mail_last_error',
    ]);
  if (request.state === 'open') {
    select = select.where('enrollments.state', '=', 'open').where('expires_at', '>', now);
  } else if (request.state === 'expired') {
    select = select.where('enrollments.state', '=', 'open').where('expires_at', '<=', now);
  } else if (request.state === 'done' || request.state === 'cancelled') {
    select = select.where('enrollments.state', '=', request.state);
  } else if (request.state !== undefined) {
    throw invalid('state must be open, done, expired or cancelled');
  }
  if (request.username) select = select.where('users.username', '=', request.username);
  if (request.batch) select = select.where('enrollments.batch', '=', request.batch);
  if (request.createdFrom !== undefined) {
    select = select.where('enrollments.created_at', '>=', request.createdFrom);
  }
  if (request.createdBefore !== undefined) {
    select = select.where('enrollments.created_at', '<', request.createdBefore);
  }
  if (after) {
    select = select.where(afterKey(['enrollments.created_at', 'enrollments.id'], after, true));
  }
  const rows = await select
    .orderBy('enrollments.created_at', 'desc')
    .orderBy('enrollments.id')
    .limit(limit + 1)
    .execute();
  return toPage(
    rows,
    limit,
    (row) => [row.created_at, row.id],
    (row) =>
      describeEnrollment(
        core,
        row,
        row.username,
        row.mail_id && row.mail_state !== null
          ? { id: row.mail_id, state: row.mail_state, lastError: row.mail_last_error ?? '' }
          : null,
      ),
  );
}

export async function getEnrollment(core: Core, id: string): Promise<Enrollment> {
  const { row, user } = await getEnrollmentRow(core, id);
  return toEnrollment(core, row, user.username);
}

/** What an enrollment's old link started stops: pending activations, and mail not yet sent. */
async function endEnrollment(core: Core, enrollmentId: string): Promise<void> {
  await endPendingActivations(core, enrollmentId);
  await cancelQueuedMail(core, enrollmentId);
}

/** The lifetime asked for, or the configured one; a link lives from a minute to 90 days. */
export function checkLifetime(core: Core, lifetimeMs: number | undefined): number {
  const ms = lifetimeMs ?? core.config.enrollment.lifetimeDays * 86_400_000;
  if (!Number.isSafeInteger(ms) || ms < 60_000 || ms > 90 * 86_400_000) {
    throw invalid('lifetime must be between 1 minute and 90 days');
  }
  return ms;
}

function isUniqueViolation(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: string };
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function enrollmentLink(core: Core, code: string): string {
  return `${core.config.publicUrl.replace(/\/$/, '')}/enroll/${code}`;
}

/** The brand as the enrollment mail names it: the one of every page and the app. */
function brandForMail(core: Core) {
  const { name, contact, colour } = brandOf(core.config);
  return { organisation: name, contact, colour };
}

async function mailEnrollment(
  core: Core,
  user: UserRow,
  row: EnrollmentRow,
  link: string,
): Promise<MailStatus> {
  const mail = renderEnrollmentMail({
    lang: user.lang as Lang,
    ...brandForMail(core),
    displayName: user.display_name,
    link,
    expiresAt: new Date(row.expires_at),
  });
  const queued = await enqueueMail(core, {
    kind: 'enrollment',
    enrollmentId: row.id,
    to: { name: user.display_name, address: user.email },
    ...mail,
  });
  await core.store.db
    .updateTable('enrollments')
    .set({ mail_id: queued.id })
    .where('id', '=', row.id)
    .execute();
  return queued;
}

async function getEnrollmentRow(core: Core, id: string) {
  const wanted = id.toUpperCase();
  const row = ID_PATTERN.test(wanted)
    ? await core.store.db
        .selectFrom('enrollments')
        .selectAll()
        .where('id', '=', wanted)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('enrollment');
  const user = await findUserRowById(core, row.user_id);
  if (!user) throw notFound('user');
  return { row, user };
}

async function toEnrollment(
  core: Core,
  row: EnrollmentRow,
  username: string,
  known?: MailStatus | null,
): Promise<Enrollment> {
  const mail =
    known !== undefined
      ? known
      : row.mail_id
        ? (await mailStates(core, [row.mail_id])).get(row.mail_id)
        : undefined;
  return describeEnrollment(core, row, username, mail ?? null);
}

/** What is shown of an enrollment, its mail already read. */
function describeEnrollment(
  core: Core,
  row: EnrollmentRow,
  username: string,
  mail: MailStatus | null,
): Enrollment {
  return {
    id: row.id,
    username,
    state: effectiveState(core, row),
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    completedAt: row.completed_at === null ? null : new Date(row.completed_at).toISOString(),
    activationsUsed: row.activations_used,
    tokenSerial: row.token_serial,
    mail,
    batch: row.batch,
  };
}
