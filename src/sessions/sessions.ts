/**
 * Portal sessions (OWASP Session Management Cheat Sheet): a new random token at every
 * sign-in (no fixation), 256 bits, kept in the database only as its SHA-256 so a
 * database dump opens no session; an idle timeout and an absolute lifetime, both
 * checked on every use with the injected clock; ended on the server at sign-out.
 * Several server processes share them through the database.
 */
import { createHash } from 'node:crypto';
import type { Core } from '../context.js';
import { prepareQuery, run, runWrite, statementsOf } from '../store/prepared.js';
import type { SessionRow, UserRow } from '../store/tables.js';
import { checkKnownUser } from '../users/sources.js';

/** Refresh `last_seen_at` at most this often: a busy session need not write on every request. */
const TOUCH_EVERY_MS = 60_000;

/** The moment before which a session last seen is idle too long. */
function idleSince(core: Core, now: number): number {
  return now - core.config.session.idleMinutes * 60_000;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface Session {
  user: UserRow;
  row: SessionRow;
}

/**
 * Starts a session for `user`, opened with the token `serial`; the returned token goes
 * into the cookie, nowhere else.
 */
export async function startSession(
  core: Core,
  user: Pick<UserRow, 'id'>,
  serial?: string,
): Promise<string> {
  const token = core.random.bytes(32).toString('base64url');
  const now = core.clock.now();
  await runWrite(
    core,
    sessionStatements(core).start({
      idHash: hashToken(token),
      userId: user.id,
      now,
      expiresAt: now + core.config.session.lifetimeHours * 3_600_000,
      serial: serial ?? null,
    }),
  );
  return token;
}

/** The session a cookie names, while it is neither idle too long nor past its lifetime. */
export async function findSession(
  core: Core,
  token: string | undefined,
): Promise<Session | undefined> {
  if (!token || token.length > 100) return undefined;
  const now = core.clock.now();
  const [found] = await run(core, sessionStatements(core).find({ idHash: hashToken(token) }));
  if (!found) return undefined;
  const idle = Number(found.last_seen_at) <= idleSince(core, now);
  if (now >= Number(found.expires_at) || idle || found.disabled) {
    await core.store.db.deleteFrom('sessions').where('id_hash', '=', found.id_hash).execute();
    return undefined;
  }
  if (now - Number(found.last_seen_at) >= TOUCH_EVERY_MS) {
    await core.store.db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', found.id_hash)
      .execute();
  }
  const { id_hash, session_created_at, last_seen_at, expires_at, token_serial, ...user } = found;
  return {
    user: user as UserRow,
    row: {
      id_hash,
      user_id: user.id,
      created_at: Number(session_created_at),
      last_seen_at: Number(last_seen_at),
      expires_at: Number(expires_at),
      token_serial,
    },
  };
}

/**
 * A session whose user still may sign in: for a directory user the directory is asked
 * again once a minute, so that a user removed or disabled there loses the session too
 * (a directory that does not answer ends nobody's session).
 */
export async function findLiveSession(
  core: Core,
  token: string | undefined,
): Promise<Session | undefined> {
  const session = await findSession(core, token);
  if (!session?.user.directory) return session;
  if (core.clock.now() - session.row.last_seen_at < TOUCH_EVERY_MS) return session;
  if ((await checkKnownUser(core, session.user, undefined)) !== 'directory_user_gone') {
    return session;
  }
  await endSession(core, token);
  return undefined;
}

/** Ends the session a cookie names (sign-out); nothing happens for an unknown token. */
export async function endSession(core: Core, token: string | undefined): Promise<void> {
  if (!token || token.length > 100) return;
  await core.store.db.deleteFrom('sessions').where('id_hash', '=', hashToken(token)).execute();
}

/** Deletes sessions past their lifetime or idle too long (the server's sweep calls it). */
export async function sweepSessions(core: Core): Promise<number> {
  const now = core.clock.now();
  const result = await core.store.db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince(core, now))]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The statements of every sign-in and every page a signed-in user opens, compiled once (store/prepared.ts). */
const sessionStatements = statementsOf((db) => ({
  start: prepareQuery<never, 'idHash' | 'userId' | 'now' | 'expiresAt' | 'serial'>(db, (db, p) =>
    db.insertInto('sessions').values({
      id_hash: p('idHash'),
      user_id: p('userId'),
      created_at: p('now'),
      last_seen_at: p('now'),
      expires_at: p('expiresAt'),
      token_serial: p('serial'),
    }),
  ),
  find: prepareQuery<
    UserRow & {
      id_hash: string;
      session_created_at: number;
      last_seen_at: number;
      expires_at: number;
      token_serial: string | null;
    },
    'idHash'
  >(db, (db, p) =>
    db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select([
        'sessions.id_hash',
        'sessions.created_at as session_created_at',
        'sessions.last_seen_at',
        'sessions.expires_at',
        'sessions.token_serial',
      ])
      .where('sessions.id_hash', '=', p('idHash')),
  ),
}));
