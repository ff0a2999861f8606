/**
 * Back-off for failed sign-ins.
 *
 * Wrong passwords never lock an account (a stranger could lock anyone out); instead,
 * after a few free failures each further attempt must wait, doubling each time up to
 * a ceiling (OWASP Authentication Cheat Sheet, "Login Throttling"). The counters:
 *
 *   user + device    a few free failures (3), for a browser the user signed in with
 *                    before (the portal's device cookie); nothing else counts there
 *   user + address   a few free failures (3): one person mistyping, or one attacker
 *   user             more (30), from places the user never signed in from, all
 *                    together: many addresses guessing one user's password
 *   address          more (20): one address trying many usernames (offices share one)
 *
 * Where the user signed in before (known-clients.ts) the `user` counter does not
 * apply: a stranger who fails from elsewhere slows down only other strangers, never
 * the user at their usual place, and every guess of theirs still goes through the
 * `user` counter, so they get a bounded number per hour (OWASP's device cookies; for
 * services, the known client address).
 *
 * The address counters exist only when the end user's address is known (the portal,
 * or a service that passes `clientAddress`), so a stranger cannot throttle a whole
 * service by failing through it. Username keys are used whether or not the user
 * exists, so the back-off says nothing about existence.
 *
 * Every attempt is *reserved* before it is checked: one atomic upsert counts it as a
 * failure and moves the wait forward, and refuses when a wait is in force. Parallel
 * requests therefore cannot all slip past the check; an accepted attempt gives its
 * reservation back.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Core } from '../context.js';
import {
  clientKeys,
  findKnownClient,
  pruneKnownClients,
  type KnownClient,
} from './known-clients.js';

export interface BackoffSubject {
  username: string;
  /** The end user's address, when the face knows it. */
  address?: string;
  /** The portal's device cookie, as the browser sent it. */
  device?: string;
  /** The attempt carries no password (a service checked it). */
  passcodeOnly?: boolean;
}

interface Counter {
  key: string;
  free: number;
  /**
   * Accepting forgets the failures of the user's own place, but only gives back the
   * one attempt on shared counters: a user signing in must not hand a stranger who
   * guesses their password from elsewhere a fresh set of free attempts.
   */
  onAccept: 'forget' | 'give-back';
}

function countersOf(core: Core, subject: BackoffSubject, known: KnownClient): Counter[] {
  const { backoff } = core.config;
  const { username, address } = subject;
  // A browser the user signed in with: only its own failures count (OWASP device cookies).
  if (known.device) {
    return [
      {
        key: `user-device:${username}|${clientKeys(subject).device}`,
        free: backoff.userFreeFailures,
        onAccept: 'forget',
      },
    ];
  }
  const counters: Counter[] = [];
  // Without a password and an address there is nothing for the back-off to protect:
  // the token lock already stops passcode guessing, sooner than the user counter would.
  if (!known.address && (!subject.passcodeOnly || address)) {
    counters.push({
      key: `user:${username}`,
      free: backoff.userTotalFreeFailures,
      onAccept: 'give-back',
    });
  }
  if (address) {
    counters.push(
      {
        key: `user-address:${username}|${address}`,
        free: backoff.userFreeFailures,
        onAccept: 'forget',
      },
      {
        key: `address:${address}`,
        free: backoff.addressFreeFailures,
        onAccept: 'give-back',
      },
    );
  }
  return counters;
}

export type Reservation =
  | {
      granted: true;
      /** Gives the attempt back after an accept; `core` may be the decision's transaction. */
      release(core: Core): Promise<void>;
    }
  | { granted: false; retryAfter: number };

/** Counts this attempt as a failure on every counter, unless a wait is in force. */
export async function reserveAttempt(core: Core, subject: BackoffSubject): Promise<Reservation> {
  const now = core.clock.now();
  const known = await findKnownClient(core, subject.username, subject);
  const counters = countersOf(core, subject, known);
  const taken: { counter: Counter; blockedUntil: number }[] = [];
  for (const counter of counters) {
    const row = await takeOne(core, counter, now);
    if (!row) {
      // A wait is in force on this counter: give back what this attempt took.
      for (const t of taken) await giveBack(core, t.counter.key, t.blockedUntil);
      return { granted: false, retryAfter: Math.max(1, await secondsToWait(core, counters, now)) };
    }
    taken.push({ counter, blockedUntil: row.blocked_until });
  }
  return {
    granted: true,
    async release(core) {
      for (const { counter, blockedUntil } of taken) {
        if (counter.onAccept === 'forget') {
          await core.store.db.deleteFrom('throttle').where('key', '=', counter.key).execute();
        } else {
          await giveBack(core, counter.key, blockedUntil);
        }
      }
    },
  };
}

async function secondsToWait(core: Core, counters: Counter[], now: number): Promise<number> {
  const rows = await core.store.db
    .selectFrom('throttle')
    .select('blocked_until')
    .where(
      'key',
      'in',
      counters.map((c) => c.key),
    )
    .execute();
  const until = Math.max(0, ...rows.map((r) => r.blocked_until));
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

/** One atomic upsert: count one more failure and set the wait it earns, unless waiting. */
async function takeOne(core: Core, counter: Counter, now: number) {
  const forgetBefore = now - core.config.backoff.forgetMinutes * 60_000;
  // Times are parameters (one prepared statement for every request); the constants of
  // the wait come from configuration and are written into the SQL.
  const count = sql<number>`(case when throttle.last_failure_at < cast(${forgetBefore} as bigint) then 1 else throttle.failures + 1 end)`;
  return core.store.db
    .insertInto('throttle')
    .values({
      key: counter.key,
      failures: 1,
      last_failure_at: now,
      blocked_until: now + waitMs(core, 1 - counter.free),
    })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          failures: count,
          last_failure_at: now,
          blocked_until: sql<number>`cast(${now} as bigint) + ${waitCase(core, count, counter.free)}`,
        })
        .where('throttle.blocked_until', '<=', now),
    )
    .returning(['failures', 'blocked_until'])
    .executeTakeFirst();
}

/** Undoes one reservation; the wait is reset only if it is still the one this attempt set. */
async function giveBack(core: Core, key: string, blockedUntil: number): Promise<void> {
  await core.store.db
    .updateTable('throttle')
    .set((eb) => ({
      failures: eb
        .case()
        .when('failures', '>', 0)
        .then(eb('failures', '-', 1))
        .else(0)
        .end(),
      blocked_until: eb
        .case()
        .when('blocked_until', '=', blockedUntil)
        .then(0)
        .else(eb.ref('blocked_until'))
        .end(),
    }))
    .where('key', '=', key)
    .execute();
}

/** The wait, in ms, after `excess` failures beyond the free ones: base, 2·base, 4·base, … */
export function waitMs(core: Core, excess: number): number {
  if (excess <= 0) return 0;
  const { baseSeconds, maxSeconds } = core.config.backoff;
  return Math.min(maxSeconds, baseSeconds * 2 ** Math.min(excess - 1, 30)) * 1000;
}

/** `waitMs` as SQL over a count expression; the constants come from configuration. */
function waitCase(core: Core, count: RawBuilder<number>, free: number): RawBuilder<number> {
  const branches: RawBuilder<unknown>[] = [sql`when ${count} <= ${sql.lit(free)} then 0`];
  const ceiling = waitMs(core, 31);
  for (let excess = 1; waitMs(core, excess) < ceiling; excess++) {
    branches.push(
      sql`when ${count} = ${sql.lit(free + excess)} then ${sql.lit(waitMs(core, excess))}`,
    );
  }
  return sql<number>`(case ${sql.join(branches, sql` `)} else ${sql.lit(ceiling)} end)`;
}

/**
 * Drops counters that no longer hold anything back, and places unused for long (run
 * now and then by the server).
 */
export async function pruneBackoff(core: Core): Promise<void> {
  await pruneKnownClients(core);
  const now = core.clock.now();
  const forgetBefore = now - core.config.backoff.forgetMinutes * 60_000;
  await core.store.db
    .deleteFrom('throttle')
    .where('last_failure_at', '<', forgetBefore)
    .where('blocked_until', '<=', now)
    .execute();
}

/** Forgets a user's failures from every address (an administrator unlocked them). */
export async function forgetUserFailures(core: Core, username: string): Promise<void> {
  await core.store.db
    .deleteFrom('throttle')
    .where((eb) =>
      eb.or([
        eb('key', '=', `user:${username}`),
        eb('key', 'like', `user-address:${username}|%`),
        eb('key', 'like', `user-device:${username}|%`),
      ]),
    )
    .execute();
}
