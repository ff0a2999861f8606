/**
 * Administrative state changes of a token: disable, enable, unlock, revoke, as the
 * transition table (transitions.ts) allows them.
 *
 * Each change is one conditional update on the state read, so it cannot undo a
 * change another process made in between.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import { forgetUserFailures } from '../signin/backoff.js';
import type { TokenRow } from '../store/tables.js';
import { getTokenRow } from './tokens.js';
import { mayChange, stateAfter, type TokenAction } from './transitions.js';
import { toToken, type Token } from './view.js';

export type { TokenAction } from './transitions.js';

const PAST: Record<TokenAction, string> = {
  disable: 'disabled',
  enable: 'enabled',
  unlock: 'unlocked',
  revoke: 'revoked',
};

export async function changeTokenState(
  core: Core,
  caller: Caller,
  serial: string,
  action: TokenAction,
  /** Why, for the audit log (`lost_phone`); an administrator's own action has none. */
  reason?: string,
): Promise<Token> {
  const row = await getTokenRow(core, serial);
  const to = stateAfter(action);
  if (!mayChange(row.state, action)) {
    throw new PforteError(
      'ERR_TOKEN_STATE',
      `the token is ${row.state} and cannot be ${PAST[action]}`,
    );
  }
  const set: Partial<TokenRow> = {
    state: to,
    fail_count: 0,
    locked_at: null,
    updated_at: core.clock.now(),
  };
  if (to === 'revoked') set.sealed_seed = '';
  const result = await core.store.db
    .updateTable('tokens')
    .set(set)
    .where('id', '=', row.id)
    .where('state', '=', row.state)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new PforteError('ERR_TOKEN_STATE', 'the token changed meanwhile; look at it again');
  }
  // The help desk unlocks so that the user can sign in now, not after the back-off.
  if (action === 'unlock') await forgetUserFailures(core, row.username);
  await recordAudit(core, caller, {
    action: `token.${action}`,
    outcome: 'success',
    ...(reason ? { reason } : {}),
    username: row.username,
    serial: row.serial,
    detail: { from: row.state, to },
  });
  return toToken(core, { ...row, ...set }, row.username);
}
