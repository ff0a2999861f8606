/**
 * The passcode half of the sign-in decision: find the user's token whose window
 * holds the code, refuse replays, and count failures towards the token lock.
 *
 * Two rules make it safe under parallel requests and several server processes:
 *   - a failure is reserved before the code is checked (fail_count + 1, only while
 *     below the limit), so a burst of guesses cannot outrun the lock;
 *   - accepting is a single conditional UPDATE ("only if the last accepted step is
 *     still below this one"), never read-then-write, so of two processes that get the
 *     same code at the same moment exactly one accepts.
 * The writes themselves are src/tokens/usage.ts's, one statement each.
 *
 * Only for someone who proved the password does it look further (`proof`): a TOTP code
 * outside the window but near now may show a clock that is off (clock-drift.ts), and a
 * locked token's code is checked — never accepted — so the person can be told that the
 * lock, not the code, refused them (decide.ts says so only to them).
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { totpSteps } from '../otp/codes.js';
import type { TokenRow } from '../store/tables.js';
import { checkClockDrift, type DriftFinding } from './clock-drift.js';
import { findCounterInWindow } from '../tokens/hotp-window.js';
import { unsealSeed } from '../tokens/seed.js';
import {
  acceptCounter,
  forgetFailures,
  lockFailedToken,
  releaseExpiredLocks,
  reserveFailures,
  reserveNoFailure,
} from '../tokens/usage.js';
import { lockExpiry } from '../tokens/view.js';

export interface PasscodeResult {
  accepted: boolean;
  /** The real reason, for the audit log only. */
  reason:
    | 'ok'
    | 'clock_drift_learned'
    | 'temporary_access'
    | 'no_active_token'
    | 'token_locked'
    | 'replayed'
    | 'wrong_passcode'
    | 'clock_drift'
    | 'seal_error';
  serial?: string;
  /** Seconds until a locked token unlocks by itself. */
  retryAfter?: number;
  /** With `clock_drift` and `clock_drift_learned`: how many steps the token's clock runs ahead. */
  driftSteps?: number;
  /** With `token_locked`: the code was right for a locked token (asked only with `proof`). */
  codeValid?: boolean;
  /** With `codeValid`: when that token's lock ends (ms), null when only an administrator ends it. */
  lockedUntil?: number | null;
}

/** What the caller proved besides the passcode: only the password widens what is checked. */
export interface Proof {
  password: boolean;
}

export async function checkPasscode(
  core: Core,
  caller: Caller,
  user: { id: string; username: string },
  code: string,
  proof: Proof,
): Promise<PasscodeResult> {
  const now = core.clock.now();
  const lockedCode = proof.password ? code : undefined;
  let reserved = await reserveFailures(core, user.id);
  if (reserved.length === 0) {
    // Nothing active below the limit: a lock that is over is lifted, then try once more.
    const tokens = await usableTokens(core, user.id);
    if (!tokens.some((t) => t.state === 'locked' && isLockOver(core, t, now))) {
      return lockedOrMissing(core, tokens, now, lockedCode);
    }
    await releaseExpiredLocks(core, user.id, now);
    reserved = await reserveFailures(core, user.id);
    if (reserved.length === 0) {
      return lockedOrMissing(core, await usableTokens(core, user.id), now, lockedCode);
    }
  }

  let unreadable: TokenRow | undefined;
  const missed: [TokenRow, Buffer][] = [];
  for (const token of reserved) {
    const seed = openSeed(core, token);
    if (!seed) {
      unreadable = token;
      continue;
    }
    const match = findCode(core, token, seed, code, now);
    if (match === undefined) {
      missed.push([token, seed]);
      continue;
    }
    if (isReplay(token, match))
      return { accepted: false, reason: 'replayed', serial: token.serial };
    if (await acceptCounter(core, token, match, now)) {
      if (reserved.length > 1) await forgetFailures(core, user.id);
      return { accepted: true, reason: 'ok', serial: token.serial };
    }
    return { accepted: false, ...(await whyNotAccepted(core, token)), serial: token.serial };
  }

  const drifted = proof.password ? await checkDriftedCode(core, missed, code, now) : undefined;
  if (drifted?.accepted && reserved.length > 1) await forgetFailures(core, user.id);
  if (drifted && drifted.reason !== 'clock_drift') return drifted;

  for (const token of reserved) {
    if (token.fail_count >= core.config.lockout.maxFailures) {
      await lockToken(core, caller, user.username, token, now);
    }
  }
  if (unreadable) return { accepted: false, reason: 'seal_error', serial: unreadable.serial };
  if (drifted) return drifted;
  return {
    accepted: false,
    reason: 'wrong_passcode',
    ...(reserved.length === 1 ? { serial: reserved[0]!.serial } : {}),
  };
}

function usableTokens(core: Core, userId: string): Promise<TokenRow[]> {
  return core.store.db
    .selectFrom('tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('state', 'in', ['active', 'locked'])
    .execute();
}

function isLockOver(core: Core, token: TokenRow, now: number): boolean {
  const until = lockExpiry(core, token);
  return until !== null && until <= now;
}

/**
 * The same work as checking a code against one token, for a user who does not
 * exist or may not sign in: the answer must not come back measurably sooner.
 */
export async function spendPasscodeWork(core: Core, code: string): Promise<void> {
  const now = core.clock.now();
  const seed = core.random.bytes(20);
  const steps = totpSteps(now, 30, core.config.otp.totpWindow);
  findCounterInWindow(seed, code, steps, { algorithm: 'SHA1', digits: code.length });
  await reserveNoFailure(core);
}

function openSeed(core: Core, token: TokenRow): Buffer | undefined {
  try {
    return unsealSeed(core, token.id, token.sealed_seed);
  } catch {
    return undefined; // sealed under a key this server does not have: audited as seal_error
  }
}

/** The counter (HOTP) or time step (TOTP) whose code is `code`, replays included. */
function findCode(
  core: Core,
  token: TokenRow,
  seed: Uint8Array,
  code: string,
  now: number,
): number | undefined {
  if (code.length !== token.digits) return undefined;
  if (token.type === 'totp') {
    // Around the time the authenticator's clock shows, as its last resync measured it.
    const steps = totpSteps(
      now + token.drift_steps * token.period * 1000,
      token.period,
      core.config.otp.totpWindow,
    );
    return findCounterInWindow(seed, code, steps, token);
  }
  const ahead = core.config.otp.hotpLookahead;
  const next = findCounterInWindow(
    seed,
    code,
    range(token.counter, token.counter + ahead - 1),
    token,
  );
  if (next !== undefined) return next;
  // Below the counter only to name a replay as such in the audit log.
  const behind = range(Math.max(0, token.counter - ahead), token.counter - 1);
  return findCounterInWindow(seed, code, behind, token);
}

function isReplay(token: TokenRow, match: number): boolean {
  if (token.type === 'totp') return token.last_step !== null && match <= token.last_step;
  return match < token.counter;
}

/** A right code lost its race: to another request (replay), or to a lock or an administrator. */
async function whyNotAccepted(
  core: Core,
  token: TokenRow,
): Promise<Pick<PasscodeResult, 'reason'>> {
  const now = await core.store.db
    .selectFrom('tokens')
    .select('state')
    .where('id', '=', token.id)
    .executeTakeFirst();
  return { reason: now?.state === 'active' ? 'replayed' : 'token_locked' };
}

async function lockToken(
  core: Core,
  caller: Caller,
  username: string,
  token: TokenRow,
  now: number,
): Promise<void> {
  if (await lockFailedToken(core, token.id, now)) {
    core.metrics.countTokenLock();
    await recordAudit(core, caller, {
      action: 'token.lock',
      outcome: 'success',
      reason: 'too_many_failures',
      username,
      serial: token.serial,
      detail: { failures: core.config.lockout.maxFailures },
    });
  }
}

/**
 * Asked only once no token's window held the code (a code one token's window holds is
 * never taken for another token's drift): whether a clock that is off showed it.
 */
async function checkDriftedCode(
  core: Core,
  missed: [TokenRow, Buffer][],
  code: string,
  now: number,
): Promise<PasscodeResult | undefined> {
  let noted: PasscodeResult | undefined;
  for (const [token, seed] of missed) {
    const finding = await checkClockDrift(core, token, seed, code, now);
    if (finding?.outcome === 'noted') noted ??= driftResult(token, finding);
    else if (finding?.outcome === 'learned') return driftResult(token, finding);
    else if (finding?.outcome === 'lost') {
      return { accepted: false, ...(await whyNotAccepted(core, token)), serial: token.serial };
    }
  }
  return noted;
}

/** A code the drift search found: accepted with the drift learned, or noted and refused. */
function driftResult(token: TokenRow, finding: DriftFinding): PasscodeResult {
  const accepted = finding.outcome === 'learned';
  return {
    accepted,
    reason: accepted ? 'clock_drift_learned' : 'clock_drift',
    serial: token.serial,
    driftSteps: finding.offset,
  };
}

/**
 * No token could take a code. With `code` (the password was proved), the locked tokens'
 * windows are searched for it, changing nothing: a locked token's code is never accepted.
 */
function lockedOrMissing(
  core: Core,
  tokens: TokenRow[],
  now: number,
  code?: string,
): PasscodeResult {
  if (tokens.length === 0) return { accepted: false, reason: 'no_active_token' };
  const locked = tokens.filter((t) => t.state === 'locked');
  const valid = code === undefined ? undefined : locked.find((t) => holdsCode(core, t, code, now));
  const result: PasscodeResult = {
    accepted: false,
    reason: 'token_locked',
    serial: (valid ?? locked[0] ?? tokens[0]!).serial,
  };
  const expiries = locked.map((t) => lockExpiry(core, t));
  if (expiries.length > 0 && expiries.every((e) => e !== null)) {
    result.retryAfter = Math.max(1, Math.ceil((Math.min(...expiries) - now) / 1000));
  }
  if (valid) {
    result.codeValid = true;
    result.lockedUntil = lockExpiry(core, valid);
  }
  return result;
}

/** Whether the token would have accepted the code but for its state: in the window, no replay. */
function holdsCode(core: Core, token: TokenRow, code: string, now: number): boolean {
  const seed = openSeed(core, token);
  const match = seed && findCode(core, token, seed, code, now);
  return match !== undefined && !isReplay(token, match);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
