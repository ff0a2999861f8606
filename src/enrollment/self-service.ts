/**
 * What an employee may start for themselves: a new enrollment link (an expired link's
 * "Send me a new link", the portal's "New phone"). The link goes only to the address
 * the organisation registered, so asking for one proves nothing and gains a stranger
 * nothing; still, each is counted, so that nobody can fill a mailbox: at most
 * `enrollment.selfServicePerDay` in 24 hours per user, counted in the audit log (the
 * record of each such start, with the user as its actor).
 */
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import type { UserRow } from '../store/tables.js';
import { inTransaction } from '../store/transaction.js';

const DAY_MS = 86_400_000;
const SELF_SERVICE_ACTIONS = ['enrollment.start', 'enrollment.resend'];

/** The caller for what a user does for themselves on `face`: the user is the actor. */
export function selfCaller(
  user: Pick<UserRow, 'username'>,
  face: Caller['face'],
  address: string,
): Caller {
  return { face, actor: user.username, address };
}

/**
 * Throws `ERR_RATE_LIMITED` (with the seconds until one is free again) when policy
 * does not allow self-service or the user's allowance for 24 hours is spent.
 */
export async function checkSelfServiceAllowed(
  core: Core,
  user: Pick<UserRow, 'username'>,
): Promise<void> {
  if (!core.config.enrollment.selfService) {
    throw new PforteError('ERR_FORBIDDEN', 'self-service enrollment is turned off by policy');
  }
  const since = core.clock.now() - DAY_MS;
  const starts = await core.store.db
    .selectFrom('audit_events')
    .select('at')
    .where('username', '=', user.username)
    .where('actor', '=', user.username)
    .where('action', 'in', SELF_SERVICE_ACTIONS)
    .where('outcome', '=', 'success')
    .where('at', '>', since)
    .orderBy('at', 'asc')
    .execute();
  const limit = core.config.enrollment.selfServicePerDay;
  if (starts.length < limit) return;
  const freeAt = starts[starts.length - limit]!.at + DAY_MS;
  throw new PforteError(
    'ERR_RATE_LIMITED',
    `${user.username} asked for ${limit} new enrollment links in 24 hours`,
    { retryAfter: Math.max(1, Math.ceil((freeAt - core.clock.now()) / 1000)) },
  );
}

/**
 * Runs `start` inside the allowance, one at a time per user: the check and the start's
 * audit record are one transaction that first writes the user's row (a no-op, for its
 * lock on PostgreSQL; SQLite runs one transaction at a time). Otherwise requests sent at
 * the same moment would all pass the check before any of them is recorded. Work that
 * must wait for the commit (sending the mail) comes after.
 */
export async function startWithinAllowance<T>(
  core: Core,
  user: Pick<UserRow, 'id' | 'username'>,
  start: (tx: Core) => Promise<T>,
): Promise<T> {
  return inTransaction(core, async (tx) => {
    await tx.store.db
      .updateTable('users')
      .set((eb) => ({ updated_at: eb.ref('updated_at') }))
      .where('id', '=', user.id)
      .execute();
    await checkSelfServiceAllowed(tx, user);
    return start(tx);
  });
}
