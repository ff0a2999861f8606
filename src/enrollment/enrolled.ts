/**
 * Whether a user is enrolled already: they hold a token in use, active or locked for a
 * while after failures (it unlocks itself). A disabled token is one an administrator
 * switched off, often for a lost phone, so its user may be enrolled again as anyone.
 */
import type { Core } from '../context.js';
import type { TokenState } from '../store/tables.js';

export const TOKEN_STATES_IN_USE: readonly TokenState[] = ['active', 'locked'];

/** The serials of the user's tokens in use, oldest first. */
export async function tokensInUse(core: Core, username: string): Promise<string[]> {
  const rows = await core.store.db
    .selectFrom('tokens')
    .innerJoin('users', 'users.id', 'tokens.user_id')
    .select('tokens.serial')
    .where('users.username', '=', username)
    .where('tokens.state', 'in', TOKEN_STATES_IN_USE)
    .orderBy('tokens.created_at')
    .execute();
  return rows.map((row) => row.serial);
}
