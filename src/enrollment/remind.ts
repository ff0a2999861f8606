/**
 * Reminding everyone whose enrollment is still open ("Alle offenen erinnern"): each open
 * enrollment, and only those (not done, cancelled or expired), gets one new mail with a
 * new link and a renewed lifetime, by `resendEnrollment`, the rule a single resend
 * follows. The enrollments are walked a page at a time in the order they were started,
 * so each is reminded once however many there are; mail goes out a page at a time.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { deliverDueMail, mailStates } from '../mail/outbox.js';
import { afterKey } from '../store/paging.js';
import { describeRowFailure } from './row-failure.js';
import { checkLifetime, resendEnrollment } from './enrollments.js';

export interface ReminderSummary {
  /** Open enrollments mailed a new link. */
  reminded: number;
  /** Mails handed to the SMTP server. */
  sent: number;
  /** Mails kept in the outbox (no SMTP configured). */
  stored: number;
  /** Enrollments not reminded (completed meanwhile, say), or whose mail failed. */
  failed: { id: string; username: string; reason: string }[];
}

const PAGE = 200;

/** How many enrollments are open now (of one bulk run, when given): what a reminder would mail. */
export async function countPending(core: Core, filter: { batch?: string } = {}): Promise<number> {
  let select = core.store.db
    .selectFrom('enrollments')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('state', '=', 'open')
    .where('expires_at', '>', core.clock.now());
  if (filter.batch) select = select.where('batch', '=', filter.batch);
  const row = await select.executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function remindPending(
  core: Core,
  caller: Caller,
  options: { lifetimeMs?: number; batch?: string } = {},
): Promise<ReminderSummary> {
  if (options.lifetimeMs !== undefined) checkLifetime(core, options.lifetimeMs);
  const summary: ReminderSummary = { reminded: 0, sent: 0, stored: 0, failed: [] };
  // Open at the moment asked: enrollments started while it runs are not reminded of
  // the mail they just got.
  const asOf = core.clock.now();
  const lifetime = options.lifetimeMs ? { lifetimeMs: options.lifetimeMs } : {};
  let after: [number, string] | undefined;
  for (;;) {
    let select = core.store.db
      .selectFrom('enrollments')
      .innerJoin('users', 'users.id', 'enrollments.user_id')
      .select(['enrollments.id', 'enrollments.created_at', 'users.username'])
      .where('enrollments.state', '=', 'open')
      .where('enrollments.expires_at', '>', asOf)
      .where('enrollments.created_at', '<=', asOf);
    if (options.batch) select = select.where('enrollments.batch', '=', options.batch);
    if (after) {
      select = select.where(afterKey(['enrollments.created_at', 'enrollments.id'], after));
    }
    const page = await select
      .orderBy('enrollments.created_at')
      .orderBy('enrollments.id')
      .limit(PAGE)
      .execute();
    if (page.length === 0) break;
    const mails = new Map<string, { id: string; username: string }>();
    for (const { id, username } of page) {
      try {
        const resent = await resendEnrollment(core, caller, id, lifetime);
        summary.reminded++;
        if (resent.mail) mails.set(resent.mail.id, { id, username });
      } catch (error) {
        summary.failed.push({ id, username, reason: describeRowFailure(error).reason });
      }
    }
    await tallyMail(core, summary, mails);
    const last = page[page.length - 1]!;
    after = [last.created_at, last.id];
  }
  await recordAudit(core, caller, {
    action: 'enrollment.remind',
    outcome: 'success',
    detail: {
      batch: options.batch ?? null,
      reminded: summary.reminded,
      sent: summary.sent,
      stored: summary.stored,
      failed: summary.failed.length,
    },
  });
  return summary;
}

/** Delivers a page's mail now and counts where each stands. */
async function tallyMail(
  core: Core,
  summary: ReminderSummary,
  mails: Map<string, { id: string; username: string }>,
): Promise<void> {
  if (mails.size === 0) return;
  const ids = [...mails.keys()];
  if (core.mailer) await deliverDueMail(core, { ids });
  const states = await mailStates(core, ids);
  for (const [mailId, enrollment] of mails) {
    const mail = states.get(mailId);
    if (mail?.state === 'sent') summary.sent++;
    else if (mail?.state === 'stored') summary.stored++;
    else {
      summary.failed.push({
        ...enrollment,
        reason: `mail not delivered yet (${mail?.lastError || mail?.state}); it will be retried`,
      });
    }
  }
}
