/**
 * Back-off for failed sign-ins, per username and per client address.
 *
 * Wrong passwords never lock an account (a stranger could lock anyone out); instead,
 * after a few free failures each further attempt must wait, doubling each time up to
 * a ceiling (OWASP Authentication Cheat Sheet, "Account Lockout"). The username key is
 * used whether or not the user exists, so the back-off says nothing about existence.
 * The count is one atomic upsert, so parallel attempts are all counted.
 */
import type { Core } from '../core.js';

export interface BackoffKeys {
  username: string;
  address: string;
}

function keysOf({ username, address }: BackoffKeys): string[] {
  return [`user:${username}`, `addr:${address}`];
}

function freeFailures(core: Core, key: string): number {
  return key.startsWith('user:')
    ? core.config.backoff.userFreeFailures
    : core.config.backoff.addressFreeFailures;
}

/** Seconds to wait before the next attempt, or 0 when it may go ahead. */
export async function checkBackoff(core: Core, keys: BackoffKeys): Promise<number> {
  const now = core.clock.now();
  const rows = await core.store.db
    .selectFrom('throttle')
    .select(['blocked_until'])
    .where('key', 'in', keysOf(keys))
    .execute();
  const until = Math.max(0, ...rows.map((r) => r.blocked_until));
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

export async function recordFailure(core: Core, keys: BackoffKeys): Promise<void> {
  const now = core.clock.now();
  const forgetBefore = now - core.config.backoff.forgetMinutes * 60_000;
  for (const key of keysOf(keys)) {
    const row = await core.store.db
      .insertInto('throttle')
      .values({ key, failures: 1, last_failure_at: now, blocked_until: 0 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          failures: eb
            .case()
            .when('throttle.last_failure_at', '<', forgetBefore)
            .then(1)
            .else(eb('throttle.failures', '+', 1))
            .end(),
          last_failure_at: now,
        })),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    const wait = waitAfter(core, row.failures - freeFailures(core, key));
    if (wait > 0) {
      await core.store.db
        .updateTable('throttle')
        .set({ blocked_until: now + wait * 1000 })
        .where('key', '=', key)
        .execute();
    }
  }
}

/** Forgets the username's failures after a successful sign-in (not the address's). */
export async function clearFailures(core: Core, username: string): Promise<void> {
  await core.store.db.deleteFrom('throttle').where('key', '=', `user:${username}`).execute();
}

/** Seconds to wait after `excess` failures beyond the free ones: base, 2·base, 4·base, … */
export function waitAfter(core: Core, excess: number): number {
  if (excess <= 0) return 0;
  const { baseSeconds, maxSeconds } = core.config.backoff;
  return Math.min(maxSeconds, baseSeconds * 2 ** Math.min(excess - 1, 30));
}
