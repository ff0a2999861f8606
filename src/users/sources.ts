/**
 * Where a user and their usual password come from: Pforte's own store, or a configured
 * directory. The sign-in decision asks `checkUserPassword` and nothing else, so the rules
 * stay in one place whatever the source:
 *
 * - a user Pforte keeps: the argon2id hash (an unknown user costs the same work);
 * - a directory user: found again in the directory on every sign-in (removed or disabled
 *   there means no sign-in, even with an active token), and the password checked by a
 *   bind as the user; an empty password never reaches the directory;
 * - a directory that gives console roles by group membership: the role is read from the
 *   groups once the password is right, using the entry the search found
 *   (directory/roles.ts);
 * - a directory that cannot answer: the sign-in fails closed, with the reason.
 */
import type { Core } from '../context.js';
import { DirectoryError } from '../directory/errors.js';
import { applyGroupRole } from '../directory/roles.js';
import type { UserRow } from '../store/tables.js';
import { verifyPassword } from './password.js';
import { findUserRow } from './users.js';

export type PasswordVerdict =
  | 'ok'
  | 'wrong_password'
  | 'unknown_user'
  /** In the directory no more (removed, or disabled by the user filter). */
  | 'directory_user_gone'
  | 'directory_unavailable';

export interface UserCheck {
  user: UserRow | undefined;
  verdict: PasswordVerdict;
}

/** `password` undefined: OTP-only (the service checked it); the user must still exist. */
export async function checkUserPassword(
  core: Core,
  username: string,
  password: string | undefined,
): Promise<UserCheck> {
  const user = await findUserRow(core, username);
  if (!user) {
    if (password !== undefined) await verifyPassword(undefined, password);
    // Asked like a directory user's: while a directory is down, an unknown name gets the
    // same answer as a known one, so an outage tells nobody which users exist.
    for (const directory of core.directories) {
      try {
        await directory.findUser(username);
      } catch (error) {
        if (!(error instanceof DirectoryError)) throw error;
        return { user, verdict: 'directory_unavailable' };
      }
    }
    return { user, verdict: 'unknown_user' };
  }
  return { user, verdict: await checkKnownUser(core, user, password) };
}

/** The same check for a user already read (a session's): no second read of the row. */
export async function checkKnownUser(
  core: Core,
  user: UserRow,
  password: string | undefined,
): Promise<PasswordVerdict> {
  if (user.directory === null) {
    const ok = password === undefined || (await verifyPassword(user.password_hash, password));
    return ok ? 'ok' : 'wrong_password';
  }
  const directory = core.directories.find((d) => d.name === user.directory);
  if (!directory) {
    core.log.warn(
      { username: user.username, directory: user.directory },
      'the user’s directory is not configured',
    );
    return 'directory_unavailable';
  }
  try {
    const entry = await directory.findUser(user.username);
    if (!entry) return 'directory_user_gone';
    if (password !== undefined && !(await directory.checkPassword(entry.dn, password))) {
      return 'wrong_password';
    }
    // Only after the right password: a stranger's guesses cost the directory nothing more.
    await applyGroupRole(core, user, directory, entry);
    return 'ok';
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    core.log.warn({ directory: directory.name, problem: error.problem }, error.message);
    return 'directory_unavailable';
  }
}
