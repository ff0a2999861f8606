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
import { invalid, PforteError } from '../errors.js';
import type { UserRow } from '../store/tables.js';
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
  'oidc.manage',
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

/**
 * Gives a user a role or takes it (`null`). Refused for a user whose directory gives
 * roles by group membership: the next sign-in would undo it without a word.
 */
export async function setUserRole(
  core: Core,
  caller: Caller,
  username: string,
  role: Role | null,
): Promise<void> {
  const row = await getUserRow(core, username);
  if (rolesFromGroups(core, row.directory)) {
    throw new PforteError(
      'ERR_CONFLICT',
      `${row.username}'s role comes from the groups of directory ${row.directory} ` +
        '(adminGroups, helpdeskGroups) and is read again at each sign-in: ' +
        'change the membership there',
    );
  }
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

/** Whether the directory `name` sets its users' roles from groups (directory/roles.ts). */
export function rolesFromGroups(core: Pick<Core, 'config'>, name: string | null): boolean {
  const directory = core.config.directories.find((d) => d.name === name);
  return Boolean(directory && directory.adminGroups.length + directory.helpdeskGroups.length);
}

/**
 * A directory user's role as their groups say, written and audited only when it
 * changes; the write is conditional on the role read, so two sign-ins at once record
 * one change.
 */
export async function setRoleFromDirectory(
  core: Core,
  user: UserRow,
  role: Role | null,
): Promise<void> {
  const before = roleOf(user.role);
  if (role === before || user.directory === null) return;
  const changed = await core.store.db
    .updateTable('users')
    .set({ role, updated_at: core.clock.now() })
    .where('id', '=', user.id)
    .where('role', before === null ? 'is' : '=', before)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) === 0) return;
  const directory: Caller = {
    face: 'system',
    actor: `directory:${user.directory}`,
    address: 'local',
  };
  await recordAudit(core, directory, {
    action: 'user.role',
    outcome: 'success',
    username: user.username,
    detail: { role: role ?? 'none', before: before ?? 'none', from: 'directory' },
  });
}
