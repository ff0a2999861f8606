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
import { param, prepare, runWrite, statementsOf } from '../store/prepared.js';
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

type Backoff = Core['config']['backoff'];

/**
 * The kinds of counter, by the prefix of their key, with the configuration's free
 * failures for each: the reservation's SQL reads a row's kind from its key.
 */
const KINDS = {
  'user-device': 'userFreeFailures',
  user: 'userTotalFreeFailures',
  'user-address': 'userFreeFailures',
  address: 'addressFreeFailures',
} as const satisfies Record<string, keyof Backoff>;
type Kind = keyof typeof KINDS;

interface Counter {
  key: string;
  kind: Kind;
  /**
   * Accepting forgets the failures of the user's own place, but only gives back the
   * one attempt on shared counters: a user signing in must not hand a stranger who
   * guesses their password from elsewhere a fresh set of free attempts.
   */
  onAccept: 'forget' | 'give-back';
}

const counter = (kind: Kind, id: string, onAccept: Counter['onAccept']): Counter => ({
  key: `${kind}:${id}`,
  kind,
  onAccept,
});

function countersOf(subject: BackoffSubject, known: KnownClient): Counter[] {
  const { username, address } = subject;
  // A browser the user signed in with: only its own failures count (OWASP device cookies).
  if (known.device) {
    return [counter('user-device', `${username}|${clientKeys(subject).device}`, 'forget')];
  }
  const counters: Counter[] = [];
  // Without a password and an address there is nothing for the back-off to protect:
  // the token lock already stops passcode guessing, sooner than the user counter would.
  if (!known.address && (!subject.passcodeOnly || address)) {
    counters.push(counter('user', username, 'give-back'));
  }
  if (address) {
    counters.push(
      counter('user-address', `${username}|${address}`, 'forget'),
      counter('address', address, 'give-back'),
    );
  }
  // One order for every request: two statements locking the same rows (PostgreSQL)
  // take them in the same order, and never wait for each other in a circle.
  return counters.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export type Reservation =
  | {
      granted: true;
      /** Gives the attempt back after an accept; `core` may be the decision's transaction. */
      release(core: Core): Promise<void>;
    }
  | { granted: false; retryAfter: number };

/**
 * Counts this attempt as a failure on every counter, unless a wait is in force: one
 * statement for all of them, committed before the attempt is checked, so parallel
 * attempts see it (a password check takes milliseconds, a directory's longer). On
 * SQLite the attempts that arrive together share that commit (store/group-commit.ts).
 */
export async function reserveAttempt(core: Core, subject: BackoffSubject): Promise<Reservation> {
  const now = core.clock.now();
  const known = await findKnownClient(core, subject.username, subject);
  const counters = countersOf(subject, known);
  if (counters.length === 0) return { granted: true, release: async () => undefined };
  const taken = await takeAll(core, counters, now);
  if (taken.size < counters.length) {
    // A wait is in force on a counter: give back what this attempt took.
    const undo = counters.filter((c) => taken.has(c.key));
    await release(core, undo, taken, 'give-back');
    return { granted: false, retryAfter: Math.max(1, await secondsToWait(core, counters, now)) };
  }
  return { granted: true, release: (tx) => release(tx, counters, taken) };
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

/** The counters taken, by key, with the wait each one's row now holds. */
async function takeAll(core: Core, counters: Counter[], now: number): Promise<Map<string, number>> {
  const values: Record<string, unknown> = {
    now,
    forgetBefore: now - core.config.backoff.forgetMinutes * 60_000,
  };
  counters.forEach(({ key, kind }, i) => {
    values[`key${i}`] = key;
    values[`first${i}`] = now + waitMs(core.config.backoff, 1 - core.config.backoff[KINDS[kind]]);
  });
  const query = throttleStatements(core).take(counters.length)(values);
  const { rows } = await runWrite(core, query);
  return new Map(rows.map((row) => [row.key, Number(row.blocked_until)]));
}

/**
 * Undoes reservations in one statement: a `forget` counter starts afresh; a `give-back`
 * one loses the attempt, and its wait is reset only if it is still the one this attempt
 * set (a later failure's stays).
 */
async function release(
  core: Core,
  counters: Counter[],
  taken: Map<string, number>,
  mode?: Counter['onAccept'],
): Promise<void> {
  if (counters.length === 0) return;
  const modes = counters.map((c) => mode ?? c.onAccept);
  const values: Record<string, unknown> = {};
  counters.forEach(({ key }, i) => {
    values[`key${i}`] = key;
    values[`set${i}`] = taken.get(key);
  });
  await runWrite(core, throttleStatements(core).release(modes)(values));
}

/** The wait, in ms, after `excess` failures beyond the free ones: base, 2·base, 4·base, … */
function waitMs(backoff: Backoff, excess: number): number {
  if (excess <= 0) return 0;
  const { baseSeconds, maxSeconds } = backoff;
  return Math.min(maxSeconds, baseSeconds * 2 ** Math.min(excess - 1, 30)) * 1000;
}

/** `waitMs` as SQL over an excess expression: each step's wait is waitMs's own, written in. */
function waitCase(backoff: Backoff, excess: RawBuilder<unknown>): RawBuilder<unknown> {
  const branches: RawBuilder<unknown>[] = [sql`when ${excess} <= 0 then 0`];
  const ceiling = waitMs(backoff, 31);
  for (let step = 1; waitMs(backoff, step) < ceiling; step++) {
    branches.push(sql`when ${excess} = ${sql.lit(step)} then ${sql.lit(waitMs(backoff, step))}`);
  }
  return sql`(case ${sql.join(branches, sql` `)} else ${sql.lit(ceiling)} end)`;
}

/** `make`, made once for each shape it is asked for. */
function byShape<A, R>(make: (a: A) => R, shapeOf: (a: A) => string): (a: A) => R {
  const made = new Map<string, R>();
  return (a) => {
    const shape = shapeOf(a);
    let result = made.get(shape);
    if (!result) made.set(shape, (result = make(a)));
    return result;
  };
}

/**
 * The back-off's two statements, for every number of counters (one to three) and
 * every mix of release modes, compiled when first used. The configuration's constants
 * (free failures, base and ceiling of the wait) are written into the SQL.
 */
const throttleStatements = statementsOf((db, { backoff }) => {
  const table = sql.table('throttle');
  // The failures counted with this one: a counter silent for `forgetMinutes` starts at 1.
  const count = sql`(case when throttle.last_failure_at < ${param('forgetBefore')}
    then 1 else throttle.failures + 1 end)`;
  const freeOfRow = sql`(case ${sql.join(
    Object.entries(KINDS).map(
      ([kind, setting]) =>
        sql`when substr(throttle."key", 1, ${sql.lit(kind.length + 1)}) = ${sql.lit(`${kind}:`)}
          then ${sql.lit(backoff[setting])}`,
    ),
    sql` `,
  )} end)`;
  const wait = waitCase(backoff, sql`(${count} - ${freeOfRow})`);
  const take = (n: number) =>
    prepare<{ key: string; blocked_until: number }, string>(
      db,
      sql`insert into ${table} ("key", failures, last_failure_at, blocked_until)
        values ${sql.join(
          Array.from(
            { length: n },
            (_, i) => sql`(${param(`key${i}`)}, 1, ${param('now')}, ${param(`first${i}`)})`,
          ),
        )}
        on conflict ("key") do update set failures = ${count},
          last_failure_at = excluded.last_failure_at,
          blocked_until = excluded.last_failure_at + ${wait}
        where throttle.blocked_until <= excluded.last_failure_at
        returning "key", blocked_until`,
    );
  const release = (modes: Counter['onAccept'][]) => {
    const byKey = (of: (i: number) => RawBuilder<unknown>) =>
      sql`(case "key" ${sql.join(
        modes.map((_, i) => sql`when ${param(`key${i}`)} then ${of(i)}`),
        sql` `,
      )} end)`;
    return prepare<never, string>(
      db,
      sql`update ${table} set
        failures = ${byKey((i) =>
          modes[i] === 'forget' ? sql`0` : sql`case when failures > 0 then failures - 1 else 0 end`,
        )},
        blocked_until = ${byKey((i) =>
          modes[i] === 'forget'
            ? sql`0`
            : sql`case when blocked_until = ${param(`set${i}`)} then 0 else blocked_until end`,
        )}
        where "key" in (${sql.join(modes.map((_, i) => param(`key${i}`)))})`,
    );
  };
  return {
    take: byShape(take, String),
    release: byShape(release, (modes) => modes.join(',')),
  };
});

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
