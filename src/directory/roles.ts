/**
 * Console roles of directory users from their groups (a directory's adminGroups and
 * helpdeskGroups), so that the directory stays the one place where an organisation says
 * who runs Pforte: read at each sign-in (and at a session's recheck, users/sources.ts)
 * and when a user is taken in (import.ts). A member of an admin group is an admin, even
 * when also in a help-desk group; in neither, the user has no role. A directory without
 * group settings leaves its users' roles to setUserRole.
 */
import type { Core } from '../context.js';
import type { UserRow } from '../store/tables.js';
import { setRoleFromDirectory, type Role } from '../users/roles.js';
import type { Directory, DirectoryUser } from './directory.js';

/** The role the directory's groups give `entry`. */
export async function roleFromGroups(
  directory: Directory,
  entry: DirectoryUser,
): Promise<Role | null> {
  const { adminGroups, helpdeskGroups } = directory.config;
  // Admin first: a user found there needs no second question.
  if (await directory.inGroup(entry, adminGroups)) return 'admin';
  if (await directory.inGroup(entry, helpdeskGroups)) return 'helpdesk';
  return null;
}

/**
 * Sets `user`'s role from the groups of the directory `entry` came from; nothing when
 * the directory gives no roles. Throws DirectoryError when the directory cannot answer,
 * so a sign-in fails closed rather than keep a role the groups may have taken away.
 */
export async function applyGroupRole(
  core: Core,
  user: UserRow,
  directory: Directory,
  entry: DirectoryUser,
): Promise<void> {
  if (!directory.givesRoles) return;
  await setRoleFromDirectory(core, user, await roleFromGroups(directory, entry));
}
