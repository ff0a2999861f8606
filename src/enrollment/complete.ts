/**
 * Completing an enrollment: the pending token becomes active, the enrollment `done`,
 * and (by default) the user's earlier tokens are revoked — a new phone replaces the
 * old one. One transaction of conditional updates: of two confirmations racing, also
 * on two server processes, exactly one wins and the other's token is removed.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../core.js';
import { PforteError } from '../errors.js';
import type { PendingActivation } from './activation.js';

export async function completeEnrollment(
  core: Core,
  caller: Caller,
  pending: PendingActivation,
): Promise<{ serial: string; state: 'active' }> {
  const { activation, enrollment, token, user } = pending;
  const now = core.clock.now();
  const outcome = await core.store.db.transaction().execute(async (db) => {
    // The first statement writes, so SQLite takes its write lock at once.
    const confirmed = await db
      .updateTable('activations')
      .set({ state: 'confirmed' })
      .where('id', '=', activation.id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (Number(confirmed.numUpdatedRows) !== 1) return 'lost' as const;
    const done = await db
      .updateTable('enrollments')
      .set({ state: 'done', completed_at: now, token_serial: token.serial })
      .where('id', '=', enrollment.id)
      .where('state', '=', 'open')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return 'lost' as const;
    let revoked: { serial: string }[] = [];
    if (core.config.enrollment.replaceTokens) {
      revoked = await db
        .updateTable('tokens')
        .set({ state: 'revoked', sealed_seed: '', updated_at: now })
        .where('user_id', '=', user.id)
        .where('id', '!=', token.id)
        .where('state', 'in', ['active', 'disabled', 'locked'])
        .returning('serial')
        .execute();
    }
    await db
      .updateTable('tokens')
      .set({ state: 'active', updated_at: now })
      .where('id', '=', token.id)
      .where('state', '=', 'pending')
      .execute();
    await recordAudit({ ...core, store: { ...core.store, db } }, caller, {
      action: 'enrollment.confirm',
      outcome: 'success',
      username: user.username,
      serial: token.serial,
      detail: {
        enrollmentId: enrollment.id,
        activationId: activation.id,
        kind: activation.kind,
        revoked: revoked.map((r) => r.serial).join(',') || null,
      },
    });
    return 'won' as const;
  });
  if (outcome === 'lost') {
    await core.store.db
      .deleteFrom('tokens')
      .where('id', '=', token.id)
      .where('state', '=', 'pending')
      .execute();
    await core.store.db
      .updateTable('activations')
      .set({ state: 'failed' })
      .where('id', '=', activation.id)
      .where('state', '=', 'pending')
      .execute();
    await recordAudit(core, caller, {
      action: 'enrollment.confirm',
      outcome: 'failure',
      reason: 'completed_by_another',
      username: user.username,
      serial: token.serial,
      detail: { enrollmentId: enrollment.id, activationId: activation.id },
    });
    throw new PforteError(
      'ERR_ENROLLMENT_COMPLETED',
      'this enrollment was completed by another activation; the token there is the one that counts',
    );
  }
  return { serial: token.serial, state: 'active' };
}
