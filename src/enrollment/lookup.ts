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

/**
 * Where a link's code stands, for the page it opens: `open` (the steps), `expired` (past
 * its lifetime: a new link may be sent), `used` (completed, or its activations spent),
 * `replaced` (cancelled by a newer enrollment of the same user), `cancelled` (by an
 * administrator, nothing newer) or `unknown`. A code of a disabled user is `unknown`:
 * such a link neither explains nor gains anything.
 */
export type CodeStanding =
  | { state: 'unknown' }
  | {
      state: 'open' | 'expired' | 'used' | 'replaced' | 'cancelled';
      enrollment: EnrollmentRow;
      user: UserRow;
      code: string;
    };

export async function describeEnrollmentCode(core: Core, input: string): Promise<CodeStanding> {
  const code = normalizeActivationCode(input);
  if (!code) return { state: 'unknown' };
  const enrollment = await core.store.db
    .selectFrom('enrollments')
    .selectAll()
    .where('code_hash', '=', hashActivationCode(code))
    .executeTakeFirst();
  if (!enrollment) return { state: 'unknown' };
  const user = await findUserRowById(core, enrollment.user_id);
  if (!user || user.disabled) return { state: 'unknown' };
  const found = { enrollment, user, code };
  const state = effectiveState(core, enrollment);
  if (state === 'done') return { state: 'used', ...found };
  if (state === 'cancelled') {
    return {
      state: (await hasNewerEnrollment(core, enrollment)) ? 'replaced' : 'cancelled',
      ...found,
    };
  }
  if (state === 'expired') return { state, ...found };
  // A code whose attempts are spent is as used as one that completed.
  if (enrollment.activations_used >= core.config.enrollment.maxActivations) {
    return { state: 'used', ...found };
  }
  return { state: 'open', ...found };
}

/** The open, unexpired enrollment a code belongs to, with its user; otherwise undefined. */
export async function findOpenEnrollment(
  core: Core,
  input: string,
): Promise<{ enrollment: EnrollmentRow; user: UserRow; code: string } | undefined> {
  const standing = await describeEnrollmentCode(core, input);
  if (standing.state !== 'open') return undefined;
  const { enrollment, user, code } = standing;
  return { enrollment, user, code };
}

/** Started later for the same user: what cancels an open enrollment when it starts. */
async function hasNewerEnrollment(core: Core, row: EnrollmentRow): Promise<boolean> {
  const newer = await core.store.db
    .selectFrom('enrollments')
    .select('id')
    .where('user_id', '=', row.user_id)
    .where('created_at', '>', row.created_at)
    .limit(1)
    .executeTakeFirst();
  return newer !== undefined;
}

/** An open enrollment past its lifetime is `expired`; the row keeps `open`. */
export function effectiveState(core: Core, row: EnrollmentRow): EnrollmentState {
  return row.state === 'open' && row.expires_at <= core.clock.now() ? 'expired' : row.state;
}

/** Only the SHA-256 of a code is stored: a database dump opens no enrollment. */
export function hashActivationCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}
