/**
 * The holder's status check (issue 13, item 7; the proof in src/protocol/token-status.ts):
 * the authenticator on an old phone asks whether its token is still in use, and learns
 * that it was replaced or revoked and when. The server answers only to the holder of
 * the token's seed; nobody else learns anything about a serial.
 *
 *   issueStatusChallenge   32 random bytes, single use, valid for two minutes
 *   readHolderStatus       spendChallenge → countCheck → findHolderKey → checkProof → answer
 *
 * Rules:
 * - An unknown, used or expired challenge, an unknown serial and a wrong proof all get
 *   one refusal, ERR_TOKEN_STATUS_REFUSED: the check is no oracle on serials.
 * - The challenge is spent first, by one conditional DELETE: of two requests with the
 *   same challenge exactly one gets past it, so a proof seen once cannot be replayed.
 * - Each serial gets CHECKS_PER_HOUR checks in a fixed hour, counted whether or not the
 *   serial exists (the per-address limit is the route's); the app checks once per opening.
 * - Every check is audited (`token.status_check`, success or failure with its reason);
 *   the proof is never written anywhere.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import { fromBase64url } from '../protocol/activation.js';
import { statusProofMessage, type HolderStatus } from '../protocol/token-status.js';
import { sealStatusKey, unsealSeed, unsealStatusKey } from './seed.js';
import { SERIAL_PATTERN } from './serial.js';

export type { HolderStatus } from '../protocol/token-status.js';

export const CHALLENGE_LIFETIME_MS = 120_000;
/** Checks per serial and hour: an app opened every few minutes all day stays far below. */
export const CHECKS_PER_HOUR = 30;
const HOUR = 3_600_000;
const CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface StatusChallenge {
  challenge: string;
  /** ISO 8601 */
  expiresAt: string;
}

export interface StatusRequest {
  serial: string;
  challenge: string;
  proof: string;
}

/** A fresh challenge for one status check. */
export async function issueStatusChallenge(core: Core): Promise<StatusChallenge> {
  const challenge = core.random.bytes(32).toString('base64url');
  const expiresAt = core.clock.now() + CHALLENGE_LIFETIME_MS;
  await core.store.db
    .insertInto('token_status_challenges')
    .values({ id: challenge, expires_at: expiresAt })
    .execute();
  return { challenge, expiresAt: new Date(expiresAt).toISOString() };
}

/** The token's state, for the holder of its seed only. */
export async function readHolderStatus(
  core: Core,
  caller: Caller,
  request: StatusRequest,
): Promise<HolderStatus> {
  const serial = request.serial.toUpperCase();
  const refuse = async (reason: string, username = '') => {
    await recordAudit(core, caller, {
      action: 'token.status_check',
      outcome: 'failure',
      reason,
      username,
      serial: SERIAL_PATTERN.test(serial) ? serial : '',
    });
    return new PforteError(
      'ERR_TOKEN_STATUS_REFUSED',
      'the status check is refused: ask for a new challenge and prove the seed again',
    );
  };
  if (!(await spendChallenge(core, request.challenge))) throw await refuse('challenge_invalid');
  if (!SERIAL_PATTERN.test(serial)) throw await refuse('unknown_serial');
  const retryAfter = await countCheck(core, serial);
  if (retryAfter > 0) {
    await refuse('too_many_checks');
    throw new PforteError('ERR_TOO_MANY_ATTEMPTS', 'too many status checks for this token', {
      retryAfter,
    });
  }
  const holder = await findHolderKey(core, serial);
  const matches = checkProof(holder?.key, serial, request);
  if (!holder) throw await refuse('unknown_serial');
  if (!matches) throw await refuse('wrong_proof', holder.row.username);
  const { row } = holder;
  const replaced = row.state === 'revoked' && (await wasReplaced(core, row.username, serial));
  await recordAudit(core, caller, {
    action: 'token.status_check',
    outcome: 'success',
    username: row.username,
    serial,
    detail: { state: row.state, replaced },
  });
  return {
    state: row.state,
    replaced,
    changedAt: row.state === 'revoked' ? new Date(row.updated_at).toISOString() : null,
  };
}

/** Deletes the challenge if it is there and fresh: true for exactly one caller. */
async function spendChallenge(core: Core, challenge: string): Promise<boolean> {
  if (!CHALLENGE_PATTERN.test(challenge)) return false;
  const result = await core.store.db
    .deleteFrom('token_status_challenges')
    .where('id', '=', challenge)
    .where('expires_at', '>', core.clock.now())
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/**
 * One atomic upsert on the back-off table, a fixed hour per serial: `last_failure_at`
 * holds the hour's start and `blocked_until` its end, so pruneBackoff keeps the row until
 * the hour is over. Returns the seconds to wait once the hour's checks are spent, else 0.
 */
async function countCheck(core: Core, serial: string): Promise<number> {
  const now = core.clock.now();
  const stale = sql<boolean>`throttle.last_failure_at <= cast(${now - HOUR} as bigint)`;
  const row = await core.store.db
    .insertInto('throttle')
    .values({
      key: `token-status:${serial}`,
      failures: 1,
      last_failure_at: now,
      blocked_until: now + HOUR,
    })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`(case when ${stale} then 1 else throttle.failures + 1 end)`,
        last_failure_at: sql<number>`(case when ${stale} then cast(${now} as bigint) else throttle.last_failure_at end)`,
        blocked_until: sql<number>`(case when ${stale} then cast(${now + HOUR} as bigint) else throttle.blocked_until end)`,
      }),
    )
    .returning(['failures', 'blocked_until'])
    .executeTakeFirstOrThrow();
  if (row.failures <= CHECKS_PER_HOUR) return 0;
  return Math.max(1, Math.ceil((Number(row.blocked_until) - now) / 1000));
}

/**
 * The token and its status key. A token made before status keys existed gets its key
 * now, from its seed, while it still has one (a conditional write: the same value
 * whoever writes it).
 */
async function findHolderKey(core: Core, serial: string) {
  const row = await core.store.db
    .selectFrom('tokens')
    .innerJoin('users', 'users.id', 'tokens.user_id')
    .select([
      'tokens.id',
      'tokens.state',
      'tokens.updated_at',
      'tokens.sealed_seed',
      'tokens.status_key',
      'users.username',
    ])
    .where('tokens.serial', '=', serial)
    .executeTakeFirst();
  if (!row) return undefined;
  let sealed = row.status_key;
  if (sealed === '' && row.sealed_seed !== '') {
    const seed = unsealSeed(core, row.id, row.sealed_seed);
    sealed = sealStatusKey(core, row.id, seed);
    seed.fill(0);
    await core.store.db
      .updateTable('tokens')
      .set({ status_key: sealed })
      .where('id', '=', row.id)
      .where('status_key', '=', '')
      .execute();
  }
  // Revoked before status keys existed: nothing left to check a proof against.
  if (sealed === '') return undefined;
  return { row, key: unsealStatusKey(core, row.id, sealed) };
}

/** RFC 2104 HMAC compared in constant time; an unknown serial costs the same HMAC. */
function checkProof(key: Buffer | undefined, serial: string, request: StatusRequest): boolean {
  const expected = createHmac('sha256', key ?? Buffer.alloc(32))
    .update(statusProofMessage(serial, request.challenge))
    .digest();
  key?.fill(0);
  let given: Uint8Array;
  try {
    given = fromBase64url(request.proof);
  } catch {
    given = new Uint8Array(0);
  }
  return key !== undefined && given.length === expected.length && timingSafeEqual(given, expected);
}

/** Whether the last revocation of the serial was a new enrollment's (complete.ts audits it so). */
async function wasReplaced(core: Core, username: string, serial: string): Promise<boolean> {
  const revocation = await core.store.db
    .selectFrom('audit_events')
    .select('reason')
    .where('username', '=', username)
    .where('action', '=', 'token.revoke')
    .where('serial', '=', serial)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return revocation?.reason === 'replaced_by_enrollment';
}

/** Drops challenges nobody answered in time (run with the other prunes, once a minute). */
export async function pruneStatusChallenges(core: Core): Promise<void> {
  await core.store.db
    .deleteFrom('token_status_challenges')
    .where('expires_at', '<=', core.clock.now())
    .execute();
}
