/**
 * Known clients: the places a user signed in from before — the end user's address as
 * a service or the portal passes it, and the portal's device cookie (OWASP "Slow Down
 * Online Guessing Attacks with Device Cookies"). The back-off uses them so that
 * failures made elsewhere never slow the user down where they usually sign in: a
 * stranger who knows only a username cannot keep its owner out (DESIGN.md section 6).
 *
 * A client becomes known only through an accepted sign-in (password and passcode, or
 * the passcode a service asked for), and is forgotten after `backoff.knownClientDays`
 * without one. Device cookies are stored as their SHA-256, like session tokens.
 */
import { createHash } from 'node:crypto';
import type { Core } from '../context.js';
import { prepareQuery, run, statementsOf } from '../store/prepared.js';

export interface ClientMarks {
  /** The end user's address, when the face knows it. */
  address?: string;
  /** The portal's device cookie, as the browser sent it. */
  device?: string;
}

export interface KnownClient {
  /** The attempt comes with a device cookie of this user's. */
  device: boolean;
  /** The attempt comes from an address this user signed in from. */
  address: boolean;
}

const DAY_MS = 86_400_000;

/** A device cookie: 32 random bytes, base64url (the portal makes them; the core checks them). */
export const DEVICE_MARK = /^[\w-]{43}$/;

/** The keys the marks are stored under; never the device cookie itself. */
export function clientKeys(marks: ClientMarks): { address?: string; device?: string } {
  return {
    ...(marks.address ? { address: `address:${marks.address}` } : {}),
    ...(marks.device
      ? { device: `device:${createHash('sha256').update(marks.device).digest('base64url')}` }
      : {}),
  };
}

/** Which of the attempt's marks belong to a place where this user signed in recently. */
export async function findKnownClient(
  core: Core,
  username: string,
  marks: ClientMarks,
): Promise<KnownClient> {
  const keys = clientKeys(marks);
  const wanted = [keys.address, keys.device].filter((k): k is string => k !== undefined);
  if (wanted.length === 0) return { device: false, address: false };
  const since = core.clock.now() - core.config.backoff.knownClientDays * DAY_MS;
  const statements = knownClientStatements(core);
  const query =
    wanted.length === 1
      ? statements.findOne({ username, since, client: wanted[0] })
      : statements.findTwo({ username, since, client: wanted[0], other: wanted[1] });
  const rows = await run(core, query);
  const found = new Set(rows.map((row) => row.client));
  return {
    device: keys.device !== undefined && found.has(keys.device),
    address: keys.address !== undefined && found.has(keys.address),
  };
}

/** After an accept: the attempt's address and device are known places of the user's. */
export async function rememberKnownClient(
  core: Core,
  username: string,
  marks: ClientMarks,
): Promise<void> {
  const keys = clientKeys(marks);
  const now = core.clock.now();
  for (const client of [keys.address, keys.device]) {
    if (client === undefined) continue;
    await run(core, knownClientStatements(core).remember({ username, client, now }));
  }
}

/** The statements of every sign-in with an address or a device, compiled once (store/prepared.ts). */
const knownClientStatements = statementsOf((db) => {
  const find = <K extends string>(clients: K[]) =>
    prepareQuery<{ client: string }, 'username' | 'since' | K>(db, (db, p) =>
      db
        .selectFrom('known_clients')
        .select('client')
        .where('username', '=', p('username'))
        .where('client', 'in', clients.map(p))
        .where('last_accepted_at', '>=', p('since')),
    );
  return {
    findOne: find(['client']),
    findTwo: find(['client', 'other']),
    remember: prepareQuery<never, 'username' | 'client' | 'now'>(db, (db, p) =>
      db
        .insertInto('known_clients')
        .values({ username: p('username'), client: p('client'), last_accepted_at: p('now') })
        .onConflict((oc) =>
          oc.columns(['username', 'client']).doUpdateSet({ last_accepted_at: p('now') }),
        ),
    ),
  };
});

/** Forgets places unused for longer than `backoff.knownClientDays`. */
export async function pruneKnownClients(core: Core): Promise<void> {
  const before = core.clock.now() - core.config.backoff.knownClientDays * DAY_MS;
  await core.store.db.deleteFrom('known_clients').where('last_accepted_at', '<', before).execute();
}
