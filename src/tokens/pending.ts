/**
 * A self-enrolled token's beginning: it is written `pending` when an activation starts,
 * becomes active when its enrollment is confirmed — revoking the tokens it replaces —
 * and is deleted when its activation ends unconfirmed. Each write is one conditional
 * statement, so that of two confirmations racing exactly one finds its token pending.
 */
import type { Core } from '../context.js';
import type { TokenRow } from '../store/tables.js';
import { canUndergo, stateAfter } from './transitions.js';

/** Writes the pending token an activation holds (made by newTokenRow). */
export async function insertPendingToken(core: Core, token: TokenRow): Promise<void> {
  await core.store.db.insertInto('tokens').values(token).execute();
}

/** The code that proved a standard app holds the seed counts as used: it must not also sign in. */
export async function spendActivationStep(
  core: Core,
  tokenId: string,
  step: number,
): Promise<void> {
  await core.store.db
    .updateTable('tokens')
    .set({ last_step: step })
    .where('id', '=', tokenId)
    .execute();
}

/** The pending token becomes active; false when it is pending no more (another got there first). */
export async function activatePendingToken(
  core: Core,
  tokenId: string,
  now: number,
): Promise<boolean> {
  const result = await core.store.db
    .updateTable('tokens')
    .set({ state: stateAfter('activate'), updated_at: now })
    .where('id', '=', tokenId)
    .where((eb) => canUndergo(eb, 'activate'))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Revokes the user's tokens in use but `keepId`, replaced by a new enrollment: their serials. */
export async function revokeReplacedTokens(
  core: Core,
  userId: string,
  keepId: string,
  now: number,
): Promise<string[]> {
  const revoked = await core.store.db
    .updateTable('tokens')
    .set({ state: stateAfter('replace'), sealed_seed: '', updated_at: now })
    .where('user_id', '=', userId)
    .where('id', '!=', keepId)
    .where((eb) => canUndergo(eb, 'replace'))
    .returning('serial')
    .execute();
  return revoked.map((row) => row.serial);
}

/** Deletes the token if it is still pending: an active one stays. */
export async function deletePendingToken(core: Core, tokenId: string): Promise<void> {
  await core.store.db
    .deleteFrom('tokens')
    .where('id', '=', tokenId)
    .where('state', '=', 'pending')
    .execute();
}
