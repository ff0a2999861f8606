/**
 * Temporary access (SafeNet's "temporary passcode", privacyIDEA's lost-token procedure):
 * a help-desk operator issues a code for a user whose phone is lost or broken, reads it
 * out once, and the user types it into the Token Code field of any face, with their
 * password, for the hours and sign-ins given. It ends as soon as a new token is active.
 *
 * The rules that keep it safe:
 *   - the code is 8 random digits, shown once; only its HMAC under a key derived from
 *     the master key is stored, so a database dump alone cannot try the 10^8 codes;
 *   - a user has at most one live code: issuing a new one ends the old;
 *   - a use is one conditional UPDATE (uses_left > 0, not expired, not ended), so
 *     parallel sign-ins cannot use it more often than allowed;
 *   - it is checked only after the user's password (the sign-in decision's order), and
 *     every wrong try counts towards the back-off like any failed sign-in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { invalid, PforteError } from '../errors.js';
import type { TemporaryAccessRow } from '../store/tables.js';
import { getUserRow } from '../users/users.js';

export const CODE_DIGITS = 8;

export interface IssuedTemporaryAccess {
  username: string;
  /** Shown once, to be read out to the user; never stored. */
  code: string;
  expiresAt: string;
  uses: number;
}

export interface TemporaryAccessState {
  live: boolean;
  expiresAt: string;
  usesLeft: number;
  uses: number;
  createdBy: string;
  createdAt: string;
  endReason: string | null;
}

/** Issues a temporary code for `username`; the user's earlier code, if any, ends. */
export async function issueTemporaryAccess(
  core: Core,
  caller: Caller,
  username: string,
  options: { hours?: number; uses?: number } = {},
): Promise<IssuedTemporaryAccess> {
  const policy = core.config.temporaryAccess;
  if (!policy.enabled) {
    throw new PforteError('ERR_FORBIDDEN', 'temporary access is turned off by policy');
  }
  const hours = options.hours ?? policy.defaultHours;
  const uses = options.uses ?? policy.defaultUses;
  if (!Number.isInteger(hours) || hours < 1 || hours > policy.maxHours) {
    throw invalid(`hours must be a whole number from 1 to ${policy.maxHours}`);
  }
  if (!Number.isInteger(uses) || uses < 1 || uses > 1000) {
    throw invalid('uses must be a whole number from 1 to 1000');
  }
  const user = await getUserRow(core, username);
  if (user.disabled) throw new PforteError('ERR_CONFLICT', `user ${user.username} is disabled`);
  const now = core.clock.now();
  const code = randomDigits(core, CODE_DIGITS);
  const expiresAt = now + hours * 3_600_000;
  await endTemporaryAccess(core, user.id, 'replaced');
  await core.store.db
    .insertInto('temporary_access')
    .values({
      id: core.random.uuid(),
      user_id: user.id,
      code_mac: macOf(core, core.keyring.currentId, code),
      key_id: core.keyring.currentId,
      uses_left: uses,
      uses,
      created_by: caller.actor,
      created_at: now,
      expires_at: expiresAt,
      ended_at: null,
      end_reason: null,
    })
    .execute();
  await recordAudit(core, caller, {
    action: 'temporary.issue',
    outcome: 'success',
    username: user.username,
    detail: { hours, uses, expiresAt: new Date(expiresAt).toISOString() },
  });
  return { username: user.username, code, expiresAt: new Date(expiresAt).toISOString(), uses };
}

/**
 * Uses the user's live temporary code if `code` is it: one conditional UPDATE, so
 * parallel sign-ins never use it more often than it allows. Undefined: no live code, or
 * another code.
 */
export async function useTemporaryAccess(
  core: Core,
  userId: string,
  code: string,
): Promise<{ usesLeft: number } | undefined> {
  if (!core.config.temporaryAccess.enabled || code.length !== CODE_DIGITS) return undefined;
  const now = core.clock.now();
  const live = await liveAccess(core, userId, now);
  if (!live || !macMatches(core, live, code)) return undefined;
  const used = await core.store.db
    .updateTable('temporary_access')
    .set((eb) => ({ uses_left: eb('uses_left', '-', 1) }))
    .where('id', '=', live.id)
    .where('uses_left', '>', 0)
    .where('expires_at', '>', now)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) return undefined;
  return { usesLeft: live.uses_left - 1 };
}

/**
 * Whether `code` is the user's live temporary code, without using it: for a face that
 * must tell where a password ends and the code begins (signin/passcode-length.ts).
 */
export async function isLiveTemporaryCode(
  core: Core,
  userId: string,
  code: string,
): Promise<boolean> {
  if (!core.config.temporaryAccess.enabled || code.length !== CODE_DIGITS) return false;
  const live = await liveAccess(core, userId, core.clock.now());
  return live !== undefined && macMatches(core, live, code);
}

/** Ends the user's live temporary code (a new token is active; an operator ended it). */
export async function endTemporaryAccess(
  core: Core,
  userId: string,
  reason: 'replaced' | 'token_active' | 'ended_by_operator',
): Promise<boolean> {
  const result = await core.store.db
    .updateTable('temporary_access')
    .set({ ended_at: core.clock.now(), end_reason: reason })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', core.clock.now())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * A new token of the user is active: their temporary code ends (audited), so that a
 * code read out over the phone does not outlive the reason it was given for.
 */
export async function endTemporaryAccessForNewToken(
  core: Core,
  caller: Caller,
  user: { id: string; username: string },
  serial: string,
): Promise<void> {
  if (!(await endTemporaryAccess(core, user.id, 'token_active'))) return;
  await recordAudit(core, caller, {
    action: 'temporary.end',
    outcome: 'success',
    reason: 'token_active',
    username: user.username,
    serial,
  });
}

/** An operator ends the user's temporary code before its time (audited). */
export async function endTemporaryAccessNow(
  core: Core,
  caller: Caller,
  username: string,
): Promise<void> {
  const user = await getUserRow(core, username);
  if (!(await endTemporaryAccess(core, user.id, 'ended_by_operator'))) {
    throw new PforteError('ERR_CONFLICT', `${user.username} has no temporary code that works`);
  }
  await recordAudit(core, caller, {
    action: 'temporary.end',
    outcome: 'success',
    reason: 'ended_by_operator',
    username: user.username,
  });
}

/** The user's latest temporary code, live or not (for the console's user page). */
export async function latestTemporaryAccess(
  core: Core,
  userId: string,
): Promise<TemporaryAccessState | undefined> {
  const row = await core.store.db
    .selectFrom('temporary_access')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const now = core.clock.now();
  return {
    live: row.ended_at === null && row.uses_left > 0 && Number(row.expires_at) > now,
    expiresAt: new Date(Number(row.expires_at)).toISOString(),
    usesLeft: row.uses_left,
    uses: row.uses,
    createdBy: row.created_by,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    endReason: row.end_reason,
  };
}

function liveAccess(
  core: Core,
  userId: string,
  now: number,
): Promise<TemporaryAccessRow | undefined> {
  return core.store.db
    .selectFrom('temporary_access')
    .selectAll()
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .where('uses_left', '>', 0)
    .executeTakeFirst();
}

/**
 * Live codes per master key id their MAC is keyed with. A code's MAC cannot be moved to
 * a new key (only its holder knows the code), so its key stays until the code ends.
 */
export async function countLiveCodesByKey(core: Core): Promise<Map<string, number>> {
  const rows = await core.store.db
    .selectFrom('temporary_access')
    .select(['key_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('ended_at', 'is', null)
    .where('expires_at', '>', core.clock.now())
    .where('uses_left', '>', 0)
    .groupBy('key_id')
    .execute();
  return new Map(rows.map((row) => [row.key_id, Number(row.count)]));
}

/** HMAC-SHA-256 of the code under a key of its own, derived from master key `keyId`. */
function macOf(core: Core, keyId: string, code: string): string {
  const master = core.keyring.keys.get(keyId);
  if (!master) throw new Error(`master key ${keyId} is not on this server`);
  const key = createHmac('sha256', master).update('pforte/temporary-access/v1').digest();
  return createHmac('sha256', key).update(code).digest('base64url');
}

function macMatches(core: Core, row: TemporaryAccessRow, code: string): boolean {
  if (!core.keyring.keys.has(row.key_id)) return false;
  const expected = Buffer.from(row.code_mac, 'base64url');
  const given = Buffer.from(macOf(core, row.key_id, code), 'base64url');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** `digits` uniformly random decimal digits (rejection sampling: no modulo bias). */
function randomDigits(core: Core, digits: number): string {
  let out = '';
  while (out.length < digits) {
    for (const byte of core.random.bytes(digits * 2)) {
      if (byte < 250 && out.length < digits) out += String(byte % 10);
    }
  }
  return out;
}
