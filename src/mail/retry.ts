/**
 * Retrying a message that failed: it goes back to the queue with all its attempts, and
 * the delivery loop (the server's background job) sends it at its next round.
 *
 * An enrollment's message is retried only while its link still works: the enrollment
 * open, unexpired, and this message the one that carried its latest code. Otherwise the
 * mail would bring the user a dead link; the operator resends the enrollment instead.
 * The whole check is one conditional write, so a retry racing a resend or a second
 * retry changes the message once or not at all.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import { getMail, toMessage, type MailMessage } from './outbox.js';

export async function retryMail(core: Core, caller: Caller, id: string): Promise<MailMessage> {
  const now = core.clock.now();
  const before = await getMail(core, id);
  const retried = await core.store.db
    .updateTable('mail_outbox')
    .set({ state: 'queued', attempts: 0, next_attempt_at: now })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .where((eb) =>
      eb.or([
        eb('enrollment_id', 'is', null),
        eb.exists(
          eb
            .selectFrom('enrollments')
            .select('enrollments.id')
            .whereRef('enrollments.id', '=', 'mail_outbox.enrollment_id')
            .whereRef('enrollments.mail_id', '=', 'mail_outbox.id')
            .where('enrollments.state', '=', 'open')
            .where('enrollments.expires_at', '>', now),
        ),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
  if (!retried) {
    throw new PforteError(
      'ERR_CONFLICT',
      before.state !== 'failed'
        ? `only a failed message can be retried; this one is ${before.state}`
        : 'the enrollment this message belongs to is no longer open, or has a newer link: resend the enrollment instead',
    );
  }
  await recordAudit(core, caller, {
    action: 'mail.retry',
    outcome: 'success',
    detail: { mailId: id, kind: before.kind, to: before.to, attempts: before.attempts },
  });
  return toMessage(retried);
}
