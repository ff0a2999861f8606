/**
 * The sign-in decision: is this username + password + passcode right?
 *
 * The one place where Pforte decides; every face (REST, CLI, portal, RADIUS) calls
 * it. It reads as its steps:
 *
 *   1. checkInput         malformed input is an error, and changes nothing
 *   2. reserveAttempt     the back-off: wait if too many recent failures (backoff.ts)
 *   3. checkUserPassword  argon2id or the directory's bind; an unknown user costs the
 *                         same (dummy hash) (users/sources.ts)
 *   4. refusalOf          the user exists, is not disabled, the directory answered
 *   5. checkPasscode      a token's window holds the code, not replayed (passcode.ts);
 *                         near now, a clock that is off (clock-drift.ts)
 *      standInTemporary   or, where no token took it, the user's temporary code
 *                         (temporary/temporary-access.ts)
 *   6. acceptAttempt      give the reservation back and remember the place
 *                         (known-clients.ts)
 *   7. audit              every decision with its real reason; decideSignIn counts it
 *                         for the metrics once it is committed (src/metrics/)
 *
 * The answer is accept or reject and never says which part was wrong. Every reject
 * counts the same towards the back-off, so its timing tells nothing either. The one
 * exception is `hint`, for someone who proved the password (hintOf): their phone's clock
 * is off, or their token is locked though the code was right.
 */
import { isIP } from 'node:net';
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { invalid, PforteError } from '../errors.js';
import { inTransaction } from '../store/transaction.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import { PASSCODE_PATTERN } from '../otp/codes.js';
import { normalizeUsername, PASSWORD_MAX, textLength } from '../users/fields.js';
import { checkUserPassword, type PasswordVerdict } from '../users/sources.js';
import { noteSignIn } from '../users/users.js';
import type { UserRow } from '../store/tables.js';
import { reserveAttempt, type Reservation } from './backoff.js';
import { DEVICE_MARK, rememberKnownClient, type ClientMarks } from './known-clients.js';
import { useTemporaryAccess } from '../temporary/temporary-access.js';
import { forgetFailures } from '../tokens/usage.js';
import { checkPasscode, spendPasscodeWork, type PasscodeResult } from './passcode.js';

export interface SignInAttempt {
  username: string;
  /** Omitted: the passcode alone is checked (the service checked the password itself). */
  password?: string;
  otp: string;
  /**
   * The end user's address, when the face knows it (the portal; a service that passes
   * it on). Without it there is no per-address back-off: the caller's own address
   * would be a whole service's.
   */
  clientAddress?: string;
  /**
   * The portal's device cookie: a browser this user signed in with before is slowed
   * down only by its own failures (backoff.ts).
   */
  device?: string;
}

export interface Decision {
  result: 'accept' | 'reject';
  /** The real reason: for the audit log and the server, never for the client. */
  reason: string;
  username: string;
  /** The user's id, on accept: faces need not read the user again. */
  userId?: string;
  serial?: string;
  /** True when back-off refused the attempt without looking at it. */
  throttled: boolean;
  /** Seconds until trying again can help (back-off, or a token lock that expires). */
  retryAfter?: number;
  /** The user's directory could not answer: the sign-in failed closed. */
  unavailable?: boolean;
  /** Accepted with a temporary code: the sign-ins it has left. */
  temporaryUsesLeft?: number;
  /**
   * What a face may tell beyond "refused", set only after the password was proved (never
   * for a passcode-only check): the code came from a clock that is off, or the code was
   * right but the token is locked.
   */
  hint?: 'clock_drift' | 'token_locked';
  /** With the `token_locked` hint: when the lock ends by itself; null when only an administrator ends it. */
  lockedUntil?: string | null;
}

/** The decision, counted for the metrics by face, result and reason, and timed. */
export async function decideSignIn(
  core: Core,
  caller: Caller,
  attempt: SignInAttempt,
): Promise<Decision> {
  // Latency is the real time taken, not the core's clock (which tests hold still).
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const decision = await decide(core, caller, attempt);
    core.metrics.countDecision(caller.face, decision.result, decision.reason, seconds());
    return decision;
  } catch (error) {
    const reason =
      error instanceof PforteError
        ? error.code
        : isDatabaseUnavailable(error)
          ? 'ERR_DATABASE_UNAVAILABLE'
          : 'internal';
    core.metrics.countDecision(caller.face, 'error', reason, seconds());
    throw error;
  }
}

async function decide(core: Core, caller: Caller, attempt: SignInAttempt): Promise<Decision> {
  const username = checkInput(attempt);
  const otpOnly = attempt.password === undefined;
  const audited: Caller = attempt.clientAddress
    ? { ...caller, address: attempt.clientAddress }
    : caller;
  const finish = (decision: Decision) => audit(core, audited, decision, otpOnly, caller);

  const marks = {
    ...(attempt.clientAddress ? { address: attempt.clientAddress } : {}),
    ...(attempt.device ? { device: attempt.device } : {}),
  };
  const reservation = await reserveAttempt(core, { username, passcodeOnly: otpOnly, ...marks });
  if (!reservation.granted) {
    return finish({
      result: 'reject',
      reason: 'backoff',
      username,
      throttled: true,
      retryAfter: reservation.retryAfter,
    });
  }

  const { user, verdict } = await checkUserPassword(core, username, attempt.password);
  const refusal = refusalOf(user, verdict);
  if (!user || refusal) {
    await spendPasscodeWork(core, attempt.otp);
    // The directory's outage is not the user's failure: it does not count for back-off.
    if (refusal === 'directory_unavailable') await reservation.release(core);
    return finish({
      result: 'reject',
      reason: refusal ?? 'unknown_user',
      username,
      throttled: false,
      ...(refusal === 'directory_unavailable' ? { unavailable: true } : {}),
    });
  }

  // The passcode's writes and the audit entry are one transaction: an accept is never
  // without its record, and SQLite commits once instead of four times.
  return inTransaction(core, async (tx) => {
    const passcode = await standInTemporary(
      tx,
      user,
      attempt.otp,
      await checkPasscode(tx, audited, user, attempt.otp, { password: !otpOnly }),
    );
    if (passcode.accepted) await acceptAttempt(tx, user, reservation, marks);
    return audit(
      tx,
      audited,
      {
        result: passcode.accepted ? 'accept' : 'reject',
        reason: passcode.reason,
        username,
        ...(passcode.accepted ? { userId: user.id } : {}),
        throttled: false,
        ...(passcode.serial ? { serial: passcode.serial } : {}),
        ...(passcode.retryAfter ? { retryAfter: passcode.retryAfter } : {}),
        ...(passcode.usesLeft !== undefined ? { temporaryUsesLeft: passcode.usesLeft } : {}),
        ...(otpOnly ? {} : hintOf(passcode)),
      },
      otpOnly,
      caller,
      passcode.driftSteps,
    );
  });
}

const PASSCODE = new RegExp(PASSCODE_PATTERN);

/** The token results a temporary code may stand in for: the phone is lost, broken or locked. */
const TEMPORARY_STANDS_IN_FOR: readonly PasscodeResult['reason'][] = [
  'no_active_token',
  'wrong_passcode',
  'clock_drift',
  'token_locked',
];

/**
 * Where no token took the code, the user's temporary code may: then the failure the
 * token check reserved is forgotten, as after any accept.
 */
async function standInTemporary(
  tx: Core,
  user: UserRow,
  code: string,
  passcode: PasscodeResult,
): Promise<PasscodeResult & { usesLeft?: number }> {
  if (passcode.accepted || !TEMPORARY_STANDS_IN_FOR.includes(passcode.reason)) return passcode;
  const temporary = await useTemporaryAccess(tx, user.id, code);
  if (!temporary) return passcode;
  await forgetFailures(tx, user.id);
  return { accepted: true, reason: 'temporary_access', usesLeft: temporary.usesLeft };
}

/**
 * What may be told to someone who proved the password: no new oracle, since a stranger
 * without it never gets here (issue 13).
 */
function hintOf(passcode: PasscodeResult): Pick<Decision, 'hint' | 'lockedUntil'> {
  if (passcode.reason === 'clock_drift') return { hint: 'clock_drift' };
  if (passcode.reason !== 'token_locked' || !passcode.codeValid) return {};
  const until = passcode.lockedUntil ?? null;
  return {
    hint: 'token_locked',
    lockedUntil: until === null ? null : new Date(until).toISOString(),
  };
}

/** Why a user whose password was checked cannot sign in, if they cannot. */
function refusalOf(user: UserRow | undefined, verdict: PasswordVerdict): string | undefined {
  if (verdict !== 'ok') return verdict;
  return user?.disabled ? 'user_disabled' : undefined;
}

/**
 * An accept gives its back-off reservation back, makes the place a known one and
 * notes the user's last sign-in (the console sorts by it).
 */
async function acceptAttempt(
  tx: Core,
  user: UserRow,
  reservation: Extract<Reservation, { granted: true }>,
  marks: ClientMarks,
): Promise<void> {
  await reservation.release(tx);
  await rememberKnownClient(tx, user.username, marks);
  await noteSignIn(tx, user.id);
}

function checkInput(attempt: SignInAttempt): string {
  const username = normalizeUsername(attempt.username);
  if (!PASSCODE.test(attempt.otp)) throw invalid('otp must be 6 to 8 digits');
  if (attempt.password !== undefined && textLength(attempt.password) > PASSWORD_MAX) {
    throw invalid(`password must be at most ${PASSWORD_MAX} characters`);
  }
  if (attempt.clientAddress !== undefined && isIP(attempt.clientAddress) === 0) {
    throw invalid('clientAddress must be an IPv4 or IPv6 address');
  }
  if (attempt.device !== undefined && !DEVICE_MARK.test(attempt.device)) {
    throw invalid('device must be a device cookie');
  }
  return username;
}

async function audit(
  core: Core,
  audited: Caller,
  decision: Decision,
  otpOnly: boolean,
  caller: Caller,
  driftSteps?: number,
): Promise<Decision> {
  await recordAudit(core, audited, {
    action: 'signin',
    outcome: decision.result,
    reason: decision.reason,
    username: decision.username,
    ...(decision.serial ? { serial: decision.serial } : {}),
    detail: {
      otpOnly,
      ...(decision.temporaryUsesLeft !== undefined
        ? { temporaryUsesLeft: decision.temporaryUsesLeft }
        : {}),
      ...(driftSteps !== undefined ? { driftSteps } : {}),
      ...(audited.address !== caller.address ? { via: caller.address } : {}),
    },
  });
  return decision;
}
