/**
 * The passcode half of the sign-in decision: find the user's token whose window
 * holds the code, refuse replays, and count failures towards the token lock.
 *
 * Accepting is a single conditional UPDATE ("only if the last accepted step is
 * still below this one"), never read-then-write, so of two server processes that
 * get the same code at the same moment exactly one accepts.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../core.js';
import { findMatchingCounter, timeStep } from '../otp/codes.js';
import type { TokenRow } from '../store/tables.js';
import { unsealSeed } from '../tokens/seed.js';
import { lockExpiry } from '../tokens/view.js';

export interface PasscodeResult {
  accepted: boolean;
  /** The real reason, for the audit log only. */
  reason: 'ok' | 'no_active_token' | 'token_locked' | 'replayed' | 'wrong_passcode';
  serial?: string;
  /** Seconds until a locked token unlocks by itself. */
  retryAfter?: number;
}

export async function checkPasscode(
  core: Core,
  caller: Caller,
  user: { id: string; username: string },
  code: string,
): Promise<PasscodeResult> {
  const now = core.clock.now();
  await releaseExpiredLocks(core, user.id, now);
  const tokens = await core.store.db
    .selectFrom('tokens')
    .selectAll()
    .where('user_id', '=', user.id)
    .where('state', 'in', ['active', 'locked'])
    .execute();
  const active = tokens.filter((t) => t.state === 'active');
  if (active.length === 0) return lockedOrMissing(core, tokens, now);

  for (const token of active) {
    const match = matchCode(core, token, code, now);
    if (match === undefined) continue;
    if (isReplay(token, match))
      return { accepted: false, reason: 'replayed', serial: token.serial };
    const won = await acceptCounter(core, token, match, now);
    return won
      ? { accepted: true, reason: 'ok', serial: token.serial }
      : { accepted: false, reason: 'replayed', serial: token.serial };
  }

  for (const token of active) await countFailure(core, caller, user.username, token, now);
  return {
    accepted: false,
    reason: 'wrong_passcode',
    ...(active.length === 1 ? { serial: active[0]!.serial } : {}),
  };
}

/** The counter (HOTP) or time step (TOTP) whose code is `code`, replays included. */
function matchCode(core: Core, token: TokenRow, code: string, now: number): number | undefined {
  if (code.length !== token.digits) return undefined;
  const seed = unsealSeed(core, token.id, token.sealed_seed);
  return findMatchingCounter(seed, code, candidates(core, token, now), token);
}

function candidates(core: Core, token: TokenRow, now: number): number[] {
  if (token.type === 'totp') {
    const step = timeStep(now, token.period);
    const w = core.config.otp.totpWindow;
    return range(step - w, step + w);
  }
  // Below the counter only to name a replay as such in the audit log.
  const ahead = core.config.otp.hotpLookahead;
  return range(Math.max(0, token.counter - ahead), token.counter + ahead - 1);
}

function isReplay(token: TokenRow, match: number): boolean {
  if (token.type === 'totp') return token.last_step !== null && match <= token.last_step;
  return match < token.counter;
}

/** Moves the token past `match`, only if no one else got there first. */
async function acceptCounter(
  core: Core,
  token: TokenRow,
  match: number,
  now: number,
): Promise<boolean> {
  let update = core.store.db
    .updateTable('tokens')
    .set(
      token.type === 'totp'
        ? { last_step: match, fail_count: 0, last_used_at: now, updated_at: now }
        : { counter: match + 1, fail_count: 0, last_used_at: now, updated_at: now },
    )
    .where('id', '=', token.id)
    .where('state', '=', 'active');
  update =
    token.type === 'totp'
      ? update.where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', match)]))
      : update.where('counter', '<=', match);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** One more consecutive failure; the one that reaches the limit locks the token. */
async function countFailure(
  core: Core,
  caller: Caller,
  username: string,
  token: TokenRow,
  now: number,
): Promise<void> {
  const counted = await core.store.db
    .updateTable('tokens')
    .set((eb) => ({ fail_count: eb('fail_count', '+', 1), updated_at: now }))
    .where('id', '=', token.id)
    .where('state', '=', 'active')
    .returning('fail_count')
    .executeTakeFirst();
  if (!counted || counted.fail_count < core.config.lockout.maxFailures) return;
  const locked = await core.store.db
    .updateTable('tokens')
    .set({ state: 'locked', locked_at: now })
    .where('id', '=', token.id)
    .where('state', '=', 'active')
    .executeTakeFirst();
  if (Number(locked.numUpdatedRows) === 1) {
    await recordAudit(core, caller, {
      action: 'token.lock',
      outcome: 'success',
      reason: 'too_many_failures',
      username,
      serial: token.serial,
      detail: { failures: counted.fail_count },
    });
  }
}

async function releaseExpiredLocks(core: Core, userId: string, now: number): Promise<void> {
  const minutes = core.config.lockout.autoUnlockMinutes;
  if (minutes === 0) return;
  await core.store.db
    .updateTable('tokens')
    .set({ state: 'active', fail_count: 0, locked_at: null, updated_at: now })
    .where('user_id', '=', userId)
    .where('state', '=', 'locked')
    .where('locked_at', '<=', now - minutes * 60_000)
    .execute();
}

function lockedOrMissing(core: Core, tokens: TokenRow[], now: number): PasscodeResult {
  if (tokens.length === 0) return { accepted: false, reason: 'no_active_token' };
  const expiries = tokens.map((t) => lockExpiry(core, t));
  const result: PasscodeResult = {
    accepted: false,
    reason: 'token_locked',
    serial: tokens[0]!.serial,
  };
  if (expiries.every((e) => e !== null)) {
    result.retryAfter = Math.max(1, Math.ceil((Math.min(...expiries) - now) / 1000));
  }
  return result;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
