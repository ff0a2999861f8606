/**
 * Completing an enrollment: the pending token becomes active, the enrollment `done`,
 * the enrollment's other activations end, and (by default) the user's earlier tokens
 * are revoked — a new phone replaces the old one. One transaction of conditional
 * updates, rolled back whole when any of them finds the world changed: of two
 * confirmations racing, also on two server processes, exactly one wins and the
 * other's token is removed.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import { inTransaction } from '../store/transaction.js';
import { endTemporaryAccessForNewToken } from '../temporary/temporary-access.js';
import { activatePendingToken, revokeReplacedTokens } from '../tokens/pending.js';
import { endActivation, endPendingActivations, type PendingActivation } from './pending.js';

/** Thrown inside the transaction to roll it back: someone else got there first. */
class Lost extends Error {}

export async function completeEnrollment(
  core: Core,
  caller: Caller,
  pending: PendingActivation,
): Promise<{ serial: string; state: 'active' }> {
  const { activation, enrollment, token, user } = pending;
  const now = core.clock.now();
  const changed = (result: { numUpdatedRows: bigint }) => {
    if (Number(result.numUpdatedRows) !== 1) throw new Lost();
  };
  try {
    await inTransaction(core, async (tx) => {
      const db = tx.store.db;
      // The enrollment row first, in every confirmation: the loser of a race waits for
      // the winner here (no deadlock on PostgreSQL), and SQLite takes its write lock at once.
      changed(
        await db
          .updateTable('enrollments')
          .set({ state: 'done', completed_at: now, token_serial: token.serial })
          .where('id', '=', enrollment.id)
          .where('state', '=', 'open')
          .where('expires_at', '>', now)
          .executeTakeFirst(),
      );
      changed(
        await db
          .updateTable('activations')
          .set({ state: 'confirmed' })
          .where('id', '=', activation.id)
          .where('state', '=', 'pending')
          .executeTakeFirst(),
      );
      if (!(await activatePendingToken(tx, token.id, now))) throw new Lost();
      await endTemporaryAccessForNewToken(tx, caller, user, token.serial);
      await endPendingActivations(tx, enrollment.id, activation.id);
      const revoked = core.config.enrollment.replaceTokens
        ? await revokeReplacedTokens(tx, user.id, token.id, now)
        : [];
      for (const serial of revoked) {
        await recordAudit(tx, caller, {
          action: 'token.revoke',
          outcome: 'success',
          reason: 'replaced_by_enrollment',
          username: user.username,
          serial,
        });
      }
      await recordAudit(tx, caller, {
        action: 'enrollment.confirm',
        outcome: 'success',
        username: user.username,
        serial: token.serial,
        detail: { enrollmentId: enrollment.id, activationId: activation.id, kind: activation.kind },
      });
    });
  } catch (error) {
    if (!(error instanceof Lost)) throw error;
    await endActivation(core, activation);
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
      'this enrollment was completed by another activation, cancelled or expired meanwhile',
    );
  }
  return { serial: token.serial, state: 'active' };
}
