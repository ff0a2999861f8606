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
  const rows = await core.store.db
    .selectFrom('known_clients')
    .select('client')
    .where('username', '=', username)
    .where('client', 'in', wanted)
    .where('last_accepted_at', '>=', since)
    .execute();
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
    await core.store.db
      .insertInto('known_clients')
      .values({ username, client, last_accepted_at: now })
      .onConflict((oc) => oc.columns(['username', 'client']).doUpdateSet({ last_accepted_at: now }))
      .execute();
  }
}

/** Forgets places unused for longer than `backoff.knownClientDays`. */
export async function pruneKnownClients(core: Core): Promise<void> {
  const before = core.clock.now() - core.config.backoff.knownClientDays * DAY_MS;
  await core.store.db.deleteFrom('known_clients').where('last_accepted_at', '<', before).execute();
}
