/**
 * What a sign-in records on the user's tokens: a failure reserved before the code is
 * checked, a code accepted, the failures forgotten, a lock set and a lock that ran out
 * lifted. Each is a single conditional UPDATE — never read-then-write — because
 * src/signin/passcode.ts's rules for parallel requests and several processes rest on it.
 */
import type { Core } from '../context.js';
import { prepareQuery, run, statementsOf } from '../store/prepared.js';
import type { TokenRow } from '../store/tables.js';
import { canUndergo, stateAfter } from './transitions.js';

/**
 * fail_count + 1 on each of the user's active tokens below the limit, in one
 * statement that also reads them: the tokens this attempt may check, with the count
 * a failure would leave.
 */
export function reserveFailures(core: Core, userId: string): Promise<TokenRow[]> {
  return run(core, signInStatements(core).reserveFailures({ userId }));
}

/**
 * The same statement as reserving a failure, on no row: the work a sign-in spends for
 * a user who does not exist, so that its answer does not come back measurably sooner.
 */
export async function reserveNoFailure(core: Core): Promise<void> {
  await core.store.db
    .updateTable('tokens')
    .set((eb) => ({ fail_count: eb('fail_count', '+', 1) }))
    .where('id', '=', '')
    .execute();
}

/** Moves the token past `match`, only if no one else got there first. */
export async function acceptCounter(
  core: Core,
  token: TokenRow,
  match: number,
  now: number,
): Promise<boolean> {
  const statements = signInStatements(core);
  const accept = token.type === 'totp' ? statements.acceptStep : statements.acceptCounter;
  const result = await core.store.db.executeQuery(
    accept({ id: token.id, match, next: match + 1, now }),
  );
  return Number(result.numAffectedRows) === 1;
}

/** The statements of every sign-in, compiled once (store/prepared.ts). */
const signInStatements = statementsOf((db, config) => ({
  reserveFailures: prepareQuery<TokenRow, 'userId'>(db, (db, p) =>
    db
      .updateTable('tokens')
      .set((eb) => ({ fail_count: eb('fail_count', '+', 1) }))
      .where('user_id', '=', p('userId'))
      .where('state', '=', 'active')
      .where('fail_count', '<', config.lockout.maxFailures)
      .returningAll(),
  ),
  acceptStep: prepareQuery<never, 'id' | 'match' | 'now'>(db, (db, p) =>
    db
      .updateTable('tokens')
      .set({ last_step: p('match'), fail_count: 0, last_used_at: p('now'), updated_at: p('now') })
      .where('id', '=', p('id'))
      .where('state', '=', 'active')
      .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', p('match'))])),
  ),
  acceptCounter: prepareQuery<never, 'id' | 'match' | 'next' | 'now'>(db, (db, p) =>
    db
      .updateTable('tokens')
      .set({ counter: p('next'), fail_count: 0, last_used_at: p('now'), updated_at: p('now') })
      .where('id', '=', p('id'))
      .where('state', '=', 'active')
      .where('counter', '<=', p('match')),
  ),
}));

/** A successful sign-in ends the run of consecutive failures on all the user's tokens. */
export async function forgetFailures(core: Core, userId: string): Promise<void> {
  await core.store.db
    .updateTable('tokens')
    .set({ fail_count: 0 })
    .where('user_id', '=', userId)
    .where('state', '=', 'active')
    .where('fail_count', '>', 0)
    .execute();
}

/** Locks the token if it is active and at the limit; false when another process did first. */
export async function lockFailedToken(core: Core, tokenId: string, now: number): Promise<boolean> {
  const locked = await core.store.db
    .updateTable('tokens')
    .set({ state: stateAfter('lock'), locked_at: now, updated_at: now })
    .where('id', '=', tokenId)
    .where((eb) => canUndergo(eb, 'lock'))
    .where('fail_count', '>=', core.config.lockout.maxFailures)
    .executeTakeFirst();
  return Number(locked.numUpdatedRows) === 1;
}

/** Lifts the user's locks that have run out (none when locks never run out). */
export async function releaseExpiredLocks(core: Core, userId: string, now: number): Promise<void> {
  const minutes = core.config.lockout.autoUnlockMinutes;
  if (minutes === 0) return;
  await core.store.db
    .updateTable('tokens')
    .set({ state: stateAfter('release'), fail_count: 0, locked_at: null, updated_at: now })
    .where('user_id', '=', userId)
    .where((eb) => canUndergo(eb, 'release'))
    .where('locked_at', '<=', now - minutes * 60_000)
    .execute();
}
