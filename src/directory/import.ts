/**
 * Directory users become Pforte users when they are first needed (an enrollment): the
 * username, e-mail address, name and language are read from the directory, and the user
 * is marked with the directory's name, so that the password is always asked there. Where
 * the directory gives console roles by group membership, the new user's role is read
 * from the groups at once (roles.ts), so the console shows it before the first sign-in.
 */
import type { Caller, Core } from '../context.js';
import { PforteError, notFound } from '../errors.js';
import type { UserRow } from '../store/tables.js';
import { LANGUAGES, type Lang } from '../text/i18n.js';
import { normalizeUsername } from '../users/fields.js';
import { createUser, findUserRow, getUserRow } from '../users/users.js';
import type { Directory, DirectoryUser } from './directory.js';
import { DirectoryError } from './errors.js';
import { applyGroupRole } from './roles.js';

/** The user Pforte keeps, or the first directory's entry for the name, taken in. */
export async function findOrImportUser(
  core: Core,
  caller: Caller,
  input: string,
): Promise<UserRow> {
  const username = normalizeUsername(input);
  const known = await findUserRow(core, username);
  if (known) return known;
  for (const directory of core.directories) {
    const entry = await askDirectory(() => directory.findUser(username));
    if (entry) return importUser(core, caller, directory, entry, username);
  }
  throw notFound('user');
}

/** A directory entry as a Pforte user (created once; later calls find it). */
export async function importUser(
  core: Core,
  caller: Caller,
  directory: Directory,
  entry: DirectoryUser,
  username = normalizeUsername(entry.username),
): Promise<UserRow> {
  const known = await findUserRow(core, username);
  if (known) return known;
  const lang = entry.lang.toLowerCase().slice(0, 2);
  await createUser(core, caller, {
    username,
    email: entry.email,
    name: entry.name || username,
    ...((LANGUAGES as readonly string[]).includes(lang) ? { lang: lang as Lang } : {}),
    directory: directory.name,
  });
  const user = await getUserRow(core, username);
  if (!directory.givesRoles) return user;
  try {
    await applyGroupRole(core, user, directory, entry);
  } catch (error) {
    // The user is taken in all the same: the first sign-in reads the groups again.
    if (!(error instanceof DirectoryError)) throw error;
    core.log.warn({ directory: directory.name, problem: error.problem }, error.message);
    return user;
  }
  return getUserRow(core, username);
}

/** Turns a directory that cannot answer into the API's error. */
export async function askDirectory<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    throw new PforteError('ERR_DIRECTORY_UNAVAILABLE', error.message);
  }
}
