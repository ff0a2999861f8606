/**
 * Console roles: what an operator may do. `admin` may do everything; `helpdesk` looks
 * users and tokens up and helps them back in (resend, unlock, resync, start an
 * enrollment), but holds no keys, grants no roles and removes no one. Pforte users get
 * a role by `setUserRole` (CLI, REST, console); directory users by group membership,
 * read again at each sign-in (directory/roles.ts). Every face asks `mayDo`, so the rule
 * exists once.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { invalid } from '../errors.js';
import { ROLES, type Role } from './fields.js';
import { getUserRow } from './users.js';

export { ROLES, type Role } from './fields.js';

/** Everything the console does, named by what it touches. */
export const PERMISSIONS = [
  'users.read',
  'users.write',
  'users.remove',
  'roles.write',
  'enrollments.start',
  'enrollments.resend',
  'enrollments.cancel',
  'enrollments.bulk',
  'tokens.unlock',
  'tokens.resync',
  'tokens.revoke',
  'tokens.temporary',
  'audit.read',
  'apikeys.manage',
  'mail.manage',
  'settings.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const HELPDESK: ReadonlySet<Permission> = new Set<Permission>([
  'users.read',
  'enrollments.start',
  'enrollments.resend',
  'enrollments.cancel',
  'tokens.unlock',
  'tokens.resync',
  'tokens.temporary',
]);

/** Whether an operator with `role` may do `permission`; no role may do nothing. */
export function mayDo(role: Role | null | undefined, permission: Permission): boolean {
  if (role === 'admin') return true;
  if (role === 'helpdesk') return HELPDESK.has(permission);
  return false;
}

/** A role as typed (`admin`, `helpdesk`, `none`), or an error saying what is allowed. */
export function parseRole(input: string): Role | null {
  if (input === 'none') return null;
  if ((ROLES as readonly string[]).includes(input)) return input as Role;
  throw invalid('role must be admin, helpdesk or none');
}

/** A stored role, read defensively: anything else is no role. */
export function roleOf(stored: string | null): Role | null {
  return (ROLES as readonly (string | null)[]).includes(stored) ? (stored as Role) : null;
}

/** Gives a user a role or takes it (`null`). */
export async function setUserRole(
  core: Core,
  caller: Caller,
  username: string,
  role: Role | null,
): Promise<void> {
  const row = await getUserRow(core, username);
  await core.store.db
    .updateTable('users')
    .set({ role, updated_at: core.clock.now() })
    .where('id', '=', row.id)
    .execute();
  await recordAudit(core, caller, {
    action: 'user.role',
    outcome: 'success',
    username: row.username,
    detail: { role: role ?? 'none', before: roleOf(row.role) ?? 'none' },
  });
}
