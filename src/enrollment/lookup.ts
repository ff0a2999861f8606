/**
 * Finding an enrollment by what the user holds: the code of their link, read as they
 * may have typed it. Apart from the enrollment lifecycle (enrollments.ts) so that the
 * activations (pending.ts) can look a code up without depending on the lifecycle that
 * ends them.
 */
import { createHash } from 'node:crypto';
import type { Core } from '../context.js';
import type { EnrollmentRow, EnrollmentState, UserRow } from '../store/tables.js';
import { findUserRowById } from '../users/users.js';
import { normalizeActivationCode } from '../protocol/code.js';

/** The open, unexpired enrollment a code belongs to, with its user; otherwise undefined. */
export async function findOpenEnrollment(
  core: Core,
  input: string,
): Promise<{ enrollment: EnrollmentRow; user: UserRow; code: string } | undefined> {
  const code = normalizeActivationCode(input);
  if (!code) return undefined;
  const enrollment = await core.store.db
    .selectFrom('enrollments')
    .selectAll()
    .where('code_hash', '=', hashActivationCode(code))
    .executeTakeFirst();
  if (!enrollment || effectiveState(core, enrollment) !== 'open') return undefined;
  // A code whose attempts are spent is as used as one that completed.
  if (enrollment.activations_used >= core.config.enrollment.maxActivations) return undefined;
  const user = await findUserRowById(core, enrollment.user_id);
  if (!user || user.disabled) return undefined;
  return { enrollment, user, code };
}

/** An open enrollment past its lifetime is `expired`; the row keeps `open`. */
export function effectiveState(core: Core, row: EnrollmentRow): EnrollmentState {
  return row.state === 'open' && row.expires_at <= core.clock.now() ? 'expired' : row.state;
}

/** Only the SHA-256 of a code is stored: a database dump opens no enrollment. */
export function hashActivationCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}
