/**
 * Whether a portal session may use the admin console, checked at every console request:
 * stricter time limits than the portal's (15 idle minutes, 8 hours in all, by default:
 * OWASP Session Management Cheat Sheet, "high-value applications"), a role, and the
 * token the operator signed in with still usable — taking the role away or revoking
 * the token ends console access at the next request, not at the session's end.
 */
import type { Core } from '../context.js';
import { roleOf, type Role } from '../users/roles.js';
import type { Session } from './sessions.js';

export type ConsoleAccess =
  | { allowed: true; role: Role }
  /** Too long idle or too old for the console, or its token is gone: sign in again. */
  | { allowed: false; why: 'expired' | 'token_gone' }
  /** A good session of someone who has no role: the console says so. */
  | { allowed: false; why: 'no_role' };

/** Token states in which a session opened with the token stays good for the console. */
const USABLE = ['active', 'locked'];

export async function checkConsoleAccess(core: Core, session: Session): Promise<ConsoleAccess> {
  const now = core.clock.now();
  const { idleMinutes, lifetimeHours } = core.config.console;
  if (now - session.row.last_seen_at > idleMinutes * 60_000) {
    return { allowed: false, why: 'expired' };
  }
  if (now - session.row.created_at >= lifetimeHours * 3_600_000) {
    return { allowed: false, why: 'expired' };
  }
  const role = roleOf(session.user.role);
  if (!role) return { allowed: false, why: 'no_role' };
  const serial = session.row.token_serial;
  if (!serial) return { allowed: false, why: 'token_gone' };
  const token = await core.store.db
    .selectFrom('tokens')
    .select('state')
    .where('serial', '=', serial)
    .where('user_id', '=', session.user.id)
    .executeTakeFirst();
  if (!token || !USABLE.includes(token.state)) return { allowed: false, why: 'token_gone' };
  return { allowed: true, role };
}
