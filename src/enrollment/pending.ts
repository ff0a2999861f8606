/**
 * Pending activations: each one spends an attempt of its enrollment and holds a
 * pending token (its seed sealed like any other) until it is confirmed, fails, is
 * superseded by a resend, a cancellation or the winning phone, or runs out of time.
 * Shared by the app protocol (activation.ts) and the standard-app path.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import { DEFAULT_OTP_PARAMS } from '../otp/codes.js';
import type { ActivationRow, EnrollmentRow, TokenRow, UserRow } from '../store/tables.js';
import { inTransaction } from '../store/transaction.js';
import { newTokenRow } from '../tokens/new-token.js';
import { deletePendingToken, insertPendingToken } from '../tokens/pending.js';
import { findUserRowById } from '../users/users.js';
import { findOpenEnrollment } from './lookup.js';

const ACTIVATION_ID = /^[A-Za-z0-9_-]{22}$/;

export function codeInvalid(): PforteError {
  return new PforteError(
    'ERR_ENROLLMENT_CODE_INVALID',
    'this enrollment code cannot be used: it may be mistyped, used already, expired or replaced by a newer one. Ask for a new enrollment.',
  );
}

export interface PendingActivation {
  activation: ActivationRow;
  enrollment: EnrollmentRow;
  token: TokenRow;
  user: UserRow;
}

/** The activation, still pending and in time, with its enrollment, token and user. */
export async function findPendingActivation(
  core: Core,
  activationId: string,
  kind: ActivationRow['kind'],
  /** The enrollment the caller's code belongs to, when the caller has a code (web forms). */
  enrollmentId?: string,
): Promise<PendingActivation> {
  const gone = new PforteError(
    'ERR_ACTIVATION_INVALID',
    'this activation is unknown, expired or finished: start again with the enrollment code',
  );
  if (!ACTIVATION_ID.test(activationId)) throw gone;
  const activation = await core.store.db
    .selectFrom('activations')
    .selectAll()
    .where('id', '=', activationId)
    .executeTakeFirst();
  if (
    !activation ||
    activation.kind !== kind ||
    (enrollmentId !== undefined && activation.enrollment_id !== enrollmentId)
  ) {
    throw gone;
  }
  const enrollment = await core.store.db
    .selectFrom('enrollments')
    .selectAll()
    .where('id', '=', activation.enrollment_id)
    .executeTakeFirstOrThrow();
  const completedElsewhere = new PforteError(
    'ERR_ENROLLMENT_COMPLETED',
    'this enrollment was completed by another activation; the token there is the one that counts',
  );
  // The other phone of a race: say so, rather than "unknown".
  if (enrollment.state === 'done' && activation.state !== 'confirmed') throw completedElsewhere;
  if (activation.state !== 'pending' || activation.expires_at <= core.clock.now()) throw gone;
  const token = await core.store.db
    .selectFrom('tokens')
    .selectAll()
    .where('id', '=', activation.token_id)
    .executeTakeFirst();
  const user = await findUserRowById(core, enrollment.user_id);
  if (
    !token ||
    token.state !== 'pending' ||
    !user ||
    user.disabled ||
    enrollment.state !== 'open' ||
    enrollment.expires_at <= core.clock.now()
  ) {
    // The winner of a race may have finished while this one was reading.
    const current = await core.store.db
      .selectFrom('enrollments')
      .select('state')
      .where('id', '=', enrollment.id)
      .executeTakeFirst();
    throw current?.state === 'done' ? completedElsewhere : gone;
  }
  return { activation, enrollment, token, user };
}

/** Marks an activation failed and removes its pending token. */
export async function failActivation(
  core: Core,
  caller: Caller,
  pending: PendingActivation,
  reason: string,
): Promise<void> {
  await endActivation(core, pending.activation);
  await recordAudit(core, caller, {
    action: 'enrollment.confirm',
    outcome: 'failure',
    reason,
    username: pending.user.username,
    serial: pending.token.serial,
    detail: { enrollmentId: pending.enrollment.id, activationId: pending.activation.id },
  });
}

/** Spends one of the enrollment's activation attempts, or refuses like an unknown code. */
export async function spendAttempt(
  core: Core,
  caller: Caller,
  input: string,
): Promise<{ enrollment: EnrollmentRow; user: UserRow }> {
  const found = await findOpenEnrollment(core, input);
  const now = core.clock.now();
  const spent = found
    ? await core.store.db
        .updateTable('enrollments')
        .set((eb) => ({ activations_used: eb('activations_used', '+', 1) }))
        .where('id', '=', found.enrollment.id)
        .where('state', '=', 'open')
        .where('expires_at', '>', now)
        .where('activations_used', '<', core.config.enrollment.maxActivations)
        .returningAll()
        .executeTakeFirst()
    : undefined;
  if (!found || !spent) {
    await recordAudit(core, caller, {
      action: 'enrollment.activate',
      outcome: 'failure',
      reason: found ? 'attempts_spent' : 'code_invalid',
      ...(found ? { username: found.user.username } : {}),
      ...(found ? { detail: { enrollmentId: found.enrollment.id } } : {}),
    });
    throw codeInvalid();
  }
  return { enrollment: spent, user: found.user };
}

/** A pending token and its activation, valid for `enrollment.activationMinutes`; audited. */
export async function createPending(
  core: Core,
  caller: Caller,
  { enrollment, user }: { enrollment: EnrollmentRow; user: UserRow },
  kind: ActivationRow['kind'],
  secret: { serial: string; seed: Uint8Array },
): Promise<{ token: TokenRow; activation: ActivationRow }> {
  const now = core.clock.now();
  // Standard apps get the one combination every authenticator computes correctly.
  const params =
    kind === 'app'
      ? { ...DEFAULT_OTP_PARAMS, type: core.config.enrollment.appTokenType }
      : DEFAULT_OTP_PARAMS;
  const token = newTokenRow(core, {
    serial: secret.serial,
    userId: enrollment.user_id,
    params,
    counter: 0,
    seed: secret.seed,
    state: 'pending',
    description: kind === 'app' ? 'Pforte Authenticator' : 'Authenticator app',
  });
  const activation: ActivationRow = {
    id: core.random.bytes(16).toString('base64url'),
    enrollment_id: enrollment.id,
    token_id: token.id,
    kind,
    state: 'pending',
    failures: 0,
    created_at: now,
    expires_at: now + core.config.enrollment.activationMinutes * 60_000,
    address: caller.address,
  };
  await inTransaction(core, async (tx) => {
    await insertPendingToken(tx, token);
    await tx.store.db.insertInto('activations').values(activation).execute();
    await recordAudit(tx, caller, {
      action: 'enrollment.activate',
      outcome: 'success',
      username: user.username,
      serial: token.serial,
      detail: { enrollmentId: enrollment.id, activationId: activation.id, kind },
    });
  });
  return { token, activation };
}

/**
 * Ends every pending activation of an enrollment (but `except`) and removes their
 * pending tokens: on completion, cancellation, a resend or a newer enrollment, no
 * activation started before may go on.
 */
export async function endPendingActivations(
  core: Core,
  enrollmentId: string,
  except?: string,
): Promise<void> {
  let pending = core.store.db
    .selectFrom('activations')
    .select(['id', 'token_id'])
    .where('enrollment_id', '=', enrollmentId)
    .where('state', '=', 'pending');
  if (except) pending = pending.where('id', '!=', except);
  for (const row of await pending.execute()) await endActivation(core, row);
}

/** Expired activations end, and their pending tokens go (run now and then by the server). */
export async function sweepExpiredActivations(core: Core): Promise<number> {
  const now = core.clock.now();
  const expired = await core.store.db
    .selectFrom('activations')
    .select(['id', 'token_id'])
    .where('state', '=', 'pending')
    .where('expires_at', '<=', now)
    .limit(1000)
    .execute();
  for (const row of expired) await endActivation(core, row);
  return expired.length;
}

/** A pending activation fails, and its pending token goes (an active one stays). */
export async function endActivation(
  core: Core,
  activation: Pick<ActivationRow, 'id' | 'token_id'>,
): Promise<void> {
  await core.store.db
    .updateTable('activations')
    .set({ state: 'failed' })
    .where('id', '=', activation.id)
    .where('state', '=', 'pending')
    .execute();
  await deletePendingToken(core, activation.token_id);
}
