/**
 * Users kept by Pforte: create, read, change, remove. Each change is audited.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { notFound, PforteError } from '../errors.js';
import { pageLimit, readCursor, toPage, type Page, type PageRequest } from '../store/paging.js';
import { prepareQuery, run, statementsOf } from '../store/prepared.js';
import type { UserRow } from '../store/tables.js';
import {
  checkDisplayName,
  checkEmail,
  checkLanguage,
  checkNewPassword,
  normalizeUsername,
  type Language,
  type Role,
} from './fields.js';
import { hashPassword } from './password.js';

export interface User {
  username: string;
  email: string;
  name: string;
  lang: Language;
  disabled: boolean;
  hasPassword: boolean;
  /** The directory the user and their password come from; null: kept by Pforte. */
  directory: string | null;
  /** What the user may do in the console (users/roles.ts); null: nothing. */
  role: Role | null;
  lastSignInAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  username: string;
  email: string;
  name?: string;
  lang?: string;
  password?: string;
  /** Set when the user comes from a configured directory (which checks the password). */
  directory?: string;
}

export interface UserChanges {
  email?: string;
  name?: string;
  lang?: string;
  disabled?: boolean;
}

export async function createUser(core: Core, caller: Caller, input: NewUser): Promise<User> {
  const username = normalizeUsername(input.username);
  const now = core.clock.now();
  const email = checkEmail(input.email);
  const displayName = checkDisplayName(input.name ?? username);
  const row: UserRow = {
    id: core.random.uuid(),
    username,
    email,
    display_name: displayName,
    lang: checkLanguage(input.lang ?? 'de'),
    password_hash:
      input.password === undefined ? null : await hashPassword(checkNewPassword(input.password)),
    directory: input.directory ?? null,
    disabled: 0,
    created_at: now,
    updated_at: now,
    role: null,
    last_signin_at: null,
    ...searchKeys(email, displayName),
  };
  const inserted = await core.store.db
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.column('username').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
    throw new PforteError('ERR_CONFLICT', `user ${username} exists already`);
  }
  await recordAudit(core, caller, { action: 'user.create', outcome: 'success', username });
  return toUser(row);
}

export async function findUserRow(core: Core, username: string): Promise<UserRow | undefined> {
  return (await run(core, signInStatements(core).userByName({ username })))[0];
}

/** The user a row of another table names (an enrollment's, a session's, an OpenID subject). */
export async function findUserRowById(core: Core, id: string): Promise<UserRow | undefined> {
  return (await run(core, signInStatements(core).userById({ id })))[0];
}

export async function getUserRow(core: Core, username: string): Promise<UserRow> {
  const row = await findUserRow(core, normalizeUsername(username));
  if (!row) throw notFound('user');
  return row;
}

export async function getUser(core: Core, username: string): Promise<User> {
  return toUser(await getUserRow(core, username));
}

/** A page of users in username order, on the username's unique index. */
export async function listUsers(core: Core, request: PageRequest = {}): Promise<Page<User>> {
  const limit = pageLimit(request);
  const after = readCursor(request.cursor, ['string'] as const);
  let select = core.store.db.selectFrom('users').selectAll();
  if (after) select = select.where('username', '>', after[0]);
  const rows = await select
    .orderBy('username')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [row.username], toUser);
}

export async function updateUser(
  core: Core,
  caller: Caller,
  username: string,
  changes: UserChanges,
): Promise<User> {
  const row = await getUserRow(core, username);
  const set: Partial<UserRow> = { updated_at: core.clock.now() };
  if (changes.email !== undefined) set.email = checkEmail(changes.email);
  if (changes.name !== undefined) set.display_name = checkDisplayName(changes.name);
  if (set.email !== undefined || set.display_name !== undefined) {
    Object.assign(set, searchKeys(set.email ?? row.email, set.display_name ?? row.display_name));
  }
  if (changes.lang !== undefined) set.lang = checkLanguage(changes.lang);
  if (changes.disabled !== undefined) set.disabled = changes.disabled ? 1 : 0;
  await core.store.db.updateTable('users').set(set).where('id', '=', row.id).execute();
  const changed = Object.keys(changes).sort().join(',');
  const action =
    Object.keys(changes).length === 1 && changes.disabled !== undefined
      ? changes.disabled
        ? 'user.disable'
        : 'user.enable'
      : 'user.update';
  await recordAudit(core, caller, {
    action,
    outcome: 'success',
    username: row.username,
    detail: { changed },
  });
  return toUser({ ...row, ...set });
}

export async function setUserPassword(
  core: Core,
  caller: Caller,
  username: string,
  password: string,
): Promise<void> {
  const row = await getUserRow(core, username);
  // The directory checks a directory user's password; one stored here would never be asked.
  if (row.directory !== null) {
    throw new PforteError(
      'ERR_CONFLICT',
      `${row.username} comes from the directory ${row.directory}, which keeps their password`,
    );
  }
  const passwordHash = await hashPassword(checkNewPassword(password));
  await core.store.db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: core.clock.now() })
    .where('id', '=', row.id)
    .execute();
  await recordAudit(core, caller, {
    action: 'user.set-password',
    outcome: 'success',
    username: row.username,
  });
}

/** Removes the user and, with them, their tokens. */
export async function removeUser(core: Core, caller: Caller, username: string): Promise<void> {
  const row = await getUserRow(core, username);
  await core.store.db.deleteFrom('users').where('id', '=', row.id).execute();
  await recordAudit(core, caller, {
    action: 'user.remove',
    outcome: 'success',
    username: row.username,
  });
}

/** Notes an accepted sign-in's time, inside the decision's transaction. */
export async function noteSignIn(core: Core, userId: string): Promise<void> {
  await run(core, signInStatements(core).noteSignIn({ id: userId, at: core.clock.now() }));
}

/** What every sign-in asks of the users table, compiled once (store/prepared.ts). */
const signInStatements = statementsOf((db) => ({
  userByName: prepareQuery<UserRow, 'username'>(db, (db, p) =>
    db.selectFrom('users').selectAll().where('username', '=', p('username')),
  ),
  userById: prepareQuery<UserRow, 'id'>(db, (db, p) =>
    db.selectFrom('users').selectAll().where('id', '=', p('id')),
  ),
  noteSignIn: prepareQuery<never, 'id' | 'at'>(db, (db, p) =>
    db
      .updateTable('users')
      .set({ last_signin_at: p('at') })
      .where('id', '=', p('id')),
  ),
}));

/** The lower-case copies the console's case-insensitive prefix search walks. */
export function searchKeys(email: string, displayName: string) {
  return { email_key: email.toLowerCase(), name_key: displayName.toLowerCase() };
}

export function toUser(row: UserRow): User {
  return {
    username: row.username,
    email: row.email,
    name: row.display_name,
    lang: row.lang as Language,
    disabled: row.disabled === 1,
    hasPassword: row.password_hash !== null,
    directory: row.directory,
    role: row.role as Role | null,
    lastSignInAt:
      row.last_signin_at === null ? null : new Date(Number(row.last_signin_at)).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
