/**
 * The sign-in decision: is this username + password + passcode right?
 *
 * The one place where Pforte decides; every face (REST, CLI, portal, RADIUS) calls
 * it. It reads as its steps:
 *
 *   1. checkInput        malformed input is an error, and changes nothing
 *   2. checkBackoff      too many recent failures for this username or address: wait
 *   3. checkPassword     argon2id; an unknown user costs the same (dummy hash)
 *   4. checkUser         the user exists and is not disabled
 *   5. checkPasscode     a token's window holds the code, not replayed (passcode.ts)
 *   6. record            back-off counters, and the audit log with the real reason
 *
 * The answer is accept or reject and never says which part was wrong.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../core.js';
import { invalid } from '../errors.js';
import { normalizeUsername, PASSWORD_MAX } from '../users/fields.js';
import { verifyPassword } from '../users/password.js';
import { findUserRow } from '../users/users.js';
import { checkBackoff, clearFailures, recordFailure } from './backoff.js';
import { checkPasscode, type PasscodeResult } from './passcode.js';

export interface SignInAttempt {
  username: string;
  /** Omitted: the passcode alone is checked (the service checked the password itself). */
  password?: string;
  otp: string;
}

export interface Decision {
  result: 'accept' | 'reject';
  /** The real reason: for the audit log and the server, never for the client. */
  reason: string;
  username: string;
  serial?: string;
  /** True when back-off refused the attempt without looking at it. */
  throttled: boolean;
  /** Seconds until trying again can help (back-off, or a token lock that expires). */
  retryAfter?: number;
}

export async function decideSignIn(
  core: Core,
  caller: Caller,
  attempt: SignInAttempt,
): Promise<Decision> {
  const username = checkInput(attempt);
  const keys = { username, address: caller.address };
  const otpOnly = attempt.password === undefined;

  const wait = await checkBackoff(core, keys);
  if (wait > 0) {
    return finish(
      core,
      caller,
      {
        result: 'reject',
        reason: 'backoff',
        username,
        throttled: true,
        retryAfter: wait,
      },
      otpOnly,
    );
  }

  const user = await findUserRow(core, username);
  const passwordOk = otpOnly || (await verifyPassword(user?.password_hash, attempt.password!));
  const refusal = !user
    ? 'unknown_user'
    : !passwordOk
      ? 'wrong_password'
      : user.disabled
        ? 'user_disabled'
        : undefined;
  if (!user || refusal) {
    await recordFailure(core, keys);
    return finish(
      core,
      caller,
      {
        result: 'reject',
        reason: refusal!,
        username,
        throttled: false,
      },
      otpOnly,
    );
  }

  const passcode = await checkPasscode(core, caller, user, attempt.otp);
  if (passcode.accepted) await clearFailures(core, username);
  else if (isGuess(passcode.reason)) await recordFailure(core, keys);
  const decision: Decision = {
    result: passcode.accepted ? 'accept' : 'reject',
    reason: passcode.reason,
    username,
    throttled: false,
  };
  if (passcode.serial) decision.serial = passcode.serial;
  if (passcode.retryAfter) decision.retryAfter = passcode.retryAfter;
  return finish(core, caller, decision, otpOnly);
}

/**
 * Back-off is against guessing. A locked token checks no code, and a replayed code
 * proves knowledge of a real one (and is refused anyway): neither is a guess, and
 * counting them would punish the user whose sign-in raced itself.
 */
function isGuess(reason: PasscodeResult['reason']): boolean {
  return reason !== 'token_locked' && reason !== 'replayed';
}

function checkInput(attempt: SignInAttempt): string {
  const username = normalizeUsername(attempt.username);
  if (!/^\d{6,8}$/.test(attempt.otp)) throw invalid('otp must be 6 to 8 digits');
  if (attempt.password !== undefined && attempt.password.length > PASSWORD_MAX) {
    throw invalid(`password must be at most ${PASSWORD_MAX} characters`);
  }
  return username;
}

async function finish(
  core: Core,
  caller: Caller,
  decision: Decision,
  otpOnly: boolean,
): Promise<Decision> {
  await recordAudit(core, caller, {
    action: 'signin',
    outcome: decision.result,
    reason: decision.reason,
    username: decision.username,
    ...(decision.serial ? { serial: decision.serial } : {}),
    detail: { otpOnly },
  });
  return decision;
}
