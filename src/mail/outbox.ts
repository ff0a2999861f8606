/**
 * The outbox: every message Pforte sends is first written here, then delivered.
 *
 * With SMTP configured, messages are `queued` and delivered by `deliverDueMail`
 * (the CLI right away, the server every few seconds), retried with a doubling wait,
 * and marked `failed` after `mail.maxAttempts`; a sent message's body is erased,
 * since an enrollment mail carries a live code. Without SMTP, messages are `stored`
 * and stay readable (`pforte outbox list|show`), and each is logged with its links,
 * so that `npm start` alone can be tried end to end.
 */
import type { ExpressionBuilder } from 'kysely';
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { notFound } from '../errors.js';
import {
  afterKey,
  pageLimit,
  readCursor,
  toPage,
  type Page,
  type PageRequest,
} from '../store/paging.js';
import type { Database, MailRow, MailState } from '../store/tables.js';
import { inTransaction } from '../store/transaction.js';
import { describeMailError, type OutgoingMail } from './mailer.js';
import { MAIL_STATES } from './states.js';

const SYSTEM: Caller = { face: 'system', actor: 'mailer', address: 'local' };
/** A message being sent is someone's for this long; then another process may retry it. */
const SENDING_LEASE_MS = 5 * 60_000;
/**
 * A new message is its sender's to deliver for its first minute: the REST routes, the CLI
 * and bulk enrollment deliver what they queue at once (by id), and the background job,
 * in this or another process, must not claim it in between — the sender would find it
 * "sending" and report it as not delivered. After that minute the job sends whatever its
 * sender did not (a CLI stopped half-way, a crashed process).
 */
const FIRST_SEND_MS = 60_000;
/** Messages handed to the pooled transport at once; it queues them over its connections. */
const PARALLEL_SENDS = 50;
/** Messages claimed, and marked sent, together. */
const HANDFUL = 25;

export interface MailMessage {
  id: string;
  kind: string;
  to: string;
  subject: string;
  state: MailState;
  attempts: number;
  lastError: string;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
  enrollmentId: string | null;
}

/** A message's id and where it stands: what an enrollment shows of its mail. */
export interface MailStatus {
  id: string;
  state: MailState;
  lastError: string;
}

export async function enqueueMail(
  core: Core,
  mail: OutgoingMail & { kind: string; enrollmentId?: string },
): Promise<MailStatus> {
  const now = core.clock.now();
  // Hex: an id is typed after `pforte outbox show`, and a base64url one that began with
  // '-' was read there as an option.
  const id = core.random.bytes(9).toString('hex');
  const row: MailRow = {
    id,
    kind: mail.kind,
    to_address: mail.to.address,
    to_name: mail.to.name,
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html,
    state: core.mailer ? 'queued' : 'stored',
    attempts: 0,
    next_attempt_at: core.mailer ? now + FIRST_SEND_MS : now,
    last_error: '',
    created_at: now,
    sent_at: null,
    enrollment_id: mail.enrollmentId ?? null,
  };
  await core.store.db.insertInto('mail_outbox').values(row).execute();
  if (!core.mailer) {
    core.log.info(
      { mailId: id, to: mail.to.address, subject: mail.subject, links: linksIn(mail.text) },
      'no SMTP configured: mail stored in the outbox (pforte outbox show <id>)',
    );
  }
  return { id, state: row.state, lastError: '' };
}

/**
 * Cancels an enrollment's mail not yet sent, and erases its body: the link it carries
 * no longer works, and no one should receive it later.
 */
export async function cancelQueuedMail(core: Core, enrollmentId: string): Promise<void> {
  await core.store.db
    .updateTable('mail_outbox')
    .set({ state: 'cancelled', text_body: '', html_body: '' })
    .where('enrollment_id', '=', enrollmentId)
    .where('state', '=', 'queued')
    .execute();
}

/** The state of an enrollment's message, as a subquery: for a read that must stay one statement. */
export function enrollmentMailState(eb: ExpressionBuilder<Database, 'enrollments'>) {
  return eb
    .selectFrom('mail_outbox')
    .select('mail_outbox.state')
    .whereRef('mail_outbox.id', '=', 'enrollments.mail_id');
}

/** Where each of the messages `ids` stands, in one query per 500 of them (never one per message). */
export async function mailStates(
  core: Core,
  ids: readonly string[],
): Promise<Map<string, MailStatus>> {
  const states = new Map<string, MailStatus>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await core.store.db
      .selectFrom('mail_outbox')
      .select(['id', 'state', 'last_error'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      states.set(row.id, { id: row.id, state: row.state, lastError: row.last_error });
    }
  }
  return states;
}

/**
 * Delivers one message now (when SMTP is configured) and says where it stands: the
 * faces show an administrator at once whether a new enrollment's mail went out; what
 * fails is retried by the server's delivery loop.
 */
export async function deliverNow(core: Core, id: string): Promise<MailStatus> {
  if (core.mailer) await deliverDueMail(core, { ids: [id] });
  const { state, lastError } = await getMail(core, id);
  return { id, state, lastError };
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * Delivers the messages that are due, a few dozen at a time; returns what happened to
 * them. Each handful is claimed in one statement and, once sent, marked sent with its
 * audit records in one transaction: a bulk enrollment's ten thousand mails cost a few
 * hundred commits, not thirty thousand.
 */
export async function deliverDueMail(
  core: Core,
  options: { limit?: number; ids?: string[] } = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0 };
  const mailer = core.mailer;
  if (!mailer) return report;
  const now = core.clock.now();
  const own = options.ids !== undefined;
  let due = core.store.db
    .selectFrom('mail_outbox')
    .select('id')
    .where((eb) => dueNow(eb, now, own))
    .orderBy('next_attempt_at')
    .limit(options.limit ?? 1000);
  if (options.ids) due = due.where('id', 'in', options.ids.length ? options.ids : ['']);
  const ids = (await due.execute()).map((r) => r.id);

  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const handful = ids.slice(next, (next += HANDFUL));
      for (const outcome of await deliverHandful(core, handful, own)) report[outcome]++;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_SENDS / HANDFUL }, worker));
  return report;
}

/**
 * Due: waiting for a (re)try whose time has come, or a lease that ran out; for its own
 * sender (`own`, delivering by id) also a new message in its first minute.
 */
function dueNow(eb: ExpressionBuilder<Database, 'mail_outbox'>, now: number, own: boolean) {
  const waited = eb.and([
    eb('state', 'in', ['queued', 'sending']),
    eb('next_attempt_at', '<=', now),
  ]);
  if (!own) return waited;
  return eb.or([waited, eb.and([eb('state', '=', 'queued'), eb('attempts', '=', 0)])]);
}

/** Claims the messages `ids` that are still due (of several processes, one sends each) and sends them. */
async function deliverHandful(
  core: Core,
  ids: string[],
  own: boolean,
): Promise<(keyof DeliveryReport)[]> {
  // The time of the claim, not of the batch: a lease from a stale clock would already
  // have run out, and another process would send the message again.
  const now = core.clock.now();
  const claimed = await core.store.db
    .updateTable('mail_outbox')
    .set((eb) => ({
      state: 'sending',
      attempts: eb('attempts', '+', 1),
      next_attempt_at: now + SENDING_LEASE_MS,
    }))
    .where('id', 'in', ids)
    .where((eb) => dueNow(eb, now, own))
    .returningAll()
    .execute();
  const results = await Promise.all(
    claimed.map(async (mail) => {
      try {
        await core.mailer!.send({
          to: { name: mail.to_name, address: mail.to_address },
          subject: mail.subject,
          text: mail.text_body,
          html: mail.html_body,
        });
        return { mail };
      } catch (error) {
        return { mail, error };
      }
    }),
  );
  const sent = results.filter((result) => !('error' in result)).map(({ mail }) => mail);
  const outcomes: (keyof DeliveryReport)[] = [];
  try {
    if (sent.length > 0) await markSent(core, sent);
    outcomes.push(...sent.map(() => 'sent' as const));
  } finally {
    // The refused ones are noted even when marking the others failed.
    for (const result of results) {
      if ('error' in result) outcomes.push(await noteSendFailure(core, result.mail, result.error));
    }
  }
  return outcomes;
}

/**
 * Sent messages lose their bodies (an enrollment mail carries a live code), each with its
 * audit record, in one transaction. Only while the claim is still ours (the same attempt):
 * a message whose lease ran out and that another process claimed again is theirs to mark.
 * A process that dies before this sends them again when the lease runs out: mail goes out
 * at least once, never not at all.
 */
async function markSent(core: Core, sent: MailRow[]): Promise<void> {
  const attempts = [...new Set(sent.map((mail) => mail.attempts))];
  await inTransaction(core, async (tx) => {
    for (const attempt of attempts) {
      await tx.store.db
        .updateTable('mail_outbox')
        .set({
          state: 'sent',
          sent_at: tx.clock.now(),
          text_body: '',
          html_body: '',
          last_error: '',
        })
        .where(
          'id',
          'in',
          sent.filter((mail) => mail.attempts === attempt).map((mail) => mail.id),
        )
        .where('attempts', '=', attempt)
        .execute();
    }
    for (const mail of sent) {
      await recordAudit(tx, SYSTEM, {
        action: 'mail.send',
        outcome: 'success',
        detail: { mailId: mail.id, kind: mail.kind, to: mail.to_address },
      });
    }
  });
}

/** A message the SMTP server did not take: retried later with a doubling wait, or given up. */
async function noteSendFailure(
  core: Core,
  claimed: MailRow,
  error: unknown,
): Promise<'failed' | 'retrying'> {
  const failed = claimed.attempts >= core.config.mail.maxAttempts;
  const lastError = describeMailError(error);
  await core.store.db
    .updateTable('mail_outbox')
    .set({
      state: failed ? 'failed' : 'queued',
      last_error: lastError,
      next_attempt_at: core.clock.now() + 60_000 * 2 ** Math.min(claimed.attempts - 1, 10),
    })
    .where('id', '=', claimed.id)
    .where('state', '=', 'sending')
    .where('attempts', '=', claimed.attempts)
    .execute();
  await recordAudit(core, SYSTEM, {
    action: 'mail.send',
    outcome: 'failure',
    reason: failed ? 'gave_up' : 'will_retry',
    detail: {
      mailId: claimed.id,
      kind: claimed.kind,
      attempts: claimed.attempts,
      error: lastError,
    },
  });
  core.log.warn(
    { mailId: claimed.id, attempts: claimed.attempts, error: lastError },
    'mail not sent',
  );
  core.metrics.countMailFailure(failed ? 'gave_up' : 'will_retry');
  return failed ? 'failed' : 'retrying';
}

export { MAIL_STATES };

/** A page of messages, newest first (in one state, when given). */
export async function listOutbox(
  core: Core,
  request: PageRequest & { state?: MailState } = {},
): Promise<Page<MailMessage>> {
  const limit = pageLimit(request);
  const after = readCursor(request.cursor, ['number', 'string'] as const);
  let select = core.store.db.selectFrom('mail_outbox').selectAll();
  if (request.state) select = select.where('state', '=', request.state);
  if (after) select = select.where(afterKey(['created_at', 'id'], after, true));
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [row.created_at, row.id], toMessage);
}

/** How many messages the outbox holds (in one state, when given). */
export async function countOutbox(core: Core, filter: { state?: MailState } = {}): Promise<number> {
  let select = core.store.db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll<string | number>().as('n'));
  if (filter.state) select = select.where('state', '=', filter.state);
  const row = await select.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many messages are in each state, in one query (the metrics' queue depth). */
export async function countOutboxByState(core: Core): Promise<Record<MailState, number>> {
  const rows = await core.store.db
    .selectFrom('mail_outbox')
    .select('state')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .groupBy('state')
    .execute();
  const counts = Object.fromEntries(MAIL_STATES.map((state) => [state, 0])) as Record<
    MailState,
    number
  >;
  for (const row of rows) counts[row.state] = Number(row.n);
  return counts;
}

/** One message with its text (while it has one: sent messages' bodies are erased). */
export async function getMail(
  core: Core,
  id: string,
): Promise<MailMessage & { text: string; html: string }> {
  const row = await core.store.db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('message');
  return { ...toMessage(row), text: row.text_body, html: row.html_body };
}

/** A message as lists show it: never its text. */
export function toMessage(row: MailRow): MailMessage {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: row.id,
    kind: row.kind,
    to: row.to_address,
    subject: row.subject,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: new Date(row.created_at).toISOString(),
    sentAt: iso(row.sent_at),
    nextAttemptAt: ['queued', 'sending'].includes(row.state) ? iso(row.next_attempt_at) : null,
    enrollmentId: row.enrollment_id,
  };
}

function linksIn(text: string): string[] {
  return text.match(/https?:\/\/\S+/g) ?? [];
}
