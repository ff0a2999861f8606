/**
 * Bulk enrollment: one row per user, from a CSV file (CLI) or a JSON list (REST).
 * A row is a username (the user exists), or username, email, name, lang (the user is
 * created if missing). Running it twice sends no second mail to users whose
 * enrollment is still open, unless `resend` is asked for. Every row ends in the
 * summary: sent (or stored in the outbox), skipped with the reason, failed with the
 * reason.
 */
import type { Caller, Core } from '../core.js';
import { findOrImportUser } from '../directory/import.js';
import { PforteError } from '../errors.js';
import { inTransaction } from '../store/transaction.js';
import { deliverDueMail } from '../mail/outbox.js';
import { normalizeUsername } from '../users/fields.js';
import { createUser, findUserRow } from '../users/users.js';
import { resendEnrollment, startEnrollment } from './enrollments.js';

const MAIL_BATCH = 200;

export interface BulkRow {
  username: string;
  email?: string;
  name?: string;
  lang?: string;
  /** The directory the row was read from: the user's password is asked there. */
  directory?: string;
}

export interface BulkSummary {
  total: number;
  sent: number;
  /** Kept in the outbox (no SMTP configured). */
  stored: number;
  skipped: { row: number; username: string; reason: string }[];
  failed: { row: number; username: string; reason: string }[];
}

export interface BulkOptions {
  resend?: boolean;
  lifetimeMs?: number;
  /** Called after each row and while mail is delivered: done of total. */
  onProgress?: (phase: 'enroll' | 'mail', done: number, total: number) => void;
}

export async function enrollMany(
  core: Core,
  caller: Caller,
  rows: BulkRow[],
  options: BulkOptions = {},
): Promise<BulkSummary> {
  const summary: BulkSummary = { total: rows.length, sent: 0, stored: 0, skipped: [], failed: [] };
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
      if (typeof outcome === 'string') {
        summary.skipped.push({ row: number, username: row.username, reason: outcome });
      } else if (outcome.mailId) {
        mails.set(outcome.mailId, { row: number, username: outcome.username });
        batch.push(outcome.mailId);
        if (batch.length >= MAIL_BATCH) flush();
      }
    } catch (error) {
      const reason = error instanceof PforteError ? error.message : 'internal error';
      if (!(error instanceof PforteError))
        core.log.error({ err: error, row: number }, 'bulk row failed');
      summary.failed.push({ row: number, username: row.username, reason });
    }
    options.onProgress?.('enroll', number, rows.length);
  }
  flush();
  await Promise.all(delivering);
  const states = await mailStates(core, [...mails.keys()]);
  for (const [mailId, { row, username }] of mails) {
    const mail = states.get(mailId);
    if (mail?.state === 'sent') summary.sent++;
    else if (mail?.state === 'stored') summary.stored++;
    else {
      summary.failed.push({
        row,
        username,
        reason: `mail not delivered yet (${mail?.last_error || mail?.state}); it will be retried`,
      });
    }
  }
  summary.failed.sort((a, b) => a.row - b.row);
  return summary;
}

async function enrollRow(
  core: Core,
  caller: Caller,
  row: BulkRow,
  options: BulkOptions,
): Promise<string | { mailId: string | null; username: string }> {
  const username = normalizeUsername(row.username);
  let user = await findUserRow(core, username);
  const created = !user;
  if (!user && !row.email && core.directories.length > 0) {
    // A username alone: the directory may know the user.
    user = await findOrImportUser(core, caller, username).catch((error: unknown) => {
      if (error instanceof PforteError && error.code === 'ERR_NOT_FOUND') return undefined;
      throw error;
    });
  }
  if (!user) {
    if (!row.email) return 'no such user, and the row gives no e-mail address to create one';
    await createUser(core, caller, {
      username,
      email: row.email,
      ...(row.name ? { name: row.name } : {}),
      ...(row.lang ? { lang: row.lang } : {}),
      ...(row.directory ? { directory: row.directory } : {}),
    });
    user = (await findUserRow(core, username))!;
  } else if (user.disabled) {
    return 'the user is disabled';
  }
  // A user created just now has no enrollment to look for.
  const open = created
    ? undefined
    : await core.store.db
        .selectFrom('enrollments')
        .leftJoin('mail_outbox', 'mail_outbox.id', 'enrollments.mail_id')
        .select(['enrollments.id', 'mail_outbox.state as mailState'])
        .where('enrollments.user_id', '=', user.id)
        .where('enrollments.state', '=', 'open')
        .where('enrollments.expires_at', '>', core.clock.now())
        .executeTakeFirst();
  // A user whose mail failed never got a link: running the file again mails a new one.
  const undelivered = open?.mailState === 'failed' || open?.mailState === 'cancelled';
  if (open && !options.resend && !undelivered) {
    return 'an enrollment is open already (use resend to mail it again)';
  }
  const started = open
    ? await resendEnrollment(core, caller, open.id)
    : await startEnrollment(core, caller, {
        username,
        user,
        ...(options.lifetimeMs ? { lifetimeMs: options.lifetimeMs } : {}),
      });
  return { mailId: started.mail?.id ?? null, username };
}

async function mailStates(core: Core, ids: string[]) {
  const states = new Map<string, { state: string; last_error: string }>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await core.store.db
      .selectFrom('mail_outbox')
      .select(['id', 'state', 'last_error'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) states.set(row.id, row);
  }
  return states;
}
