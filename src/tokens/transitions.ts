/**
 * The one table of how a token's state may change, and the guard every write that
 * changes a state puts in its WHERE clause:
 *
 *   pending → active        (its enrollment is confirmed)
 *   active ⇄ disabled       (an administrator; reversible)
 *   active → locked → active (too many failures; the lock runs out, or an administrator)
 *   any    → revoked        (final; the sealed seed is erased)
 *
 * Checking the state in the same conditional UPDATE that changes it, never before,
 * is what keeps two processes from undoing each other's change.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Database, TokenState } from '../store/tables.js';

/** What an administrator may do to a token. */
export type TokenAction = 'disable' | 'enable' | 'unlock' | 'revoke';
/** What happens to a token in its own life: its enrollment, its sign-ins. */
export type TokenEvent = 'activate' | 'lock' | 'release' | 'replace';
export type TokenChange = TokenAction | TokenEvent;

const TRANSITIONS: Record<TokenChange, { from: readonly TokenState[]; to: TokenState }> = {
  // A pending token changes only by its enrollment (or is revoked): enabling it would
  // skip the proof that the app holds its seed.
  disable: { from: ['active', 'locked'], to: 'disabled' },
  enable: { from: ['disabled'], to: 'active' },
  unlock: { from: ['locked'], to: 'active' },
  revoke: { from: ['pending', 'active', 'disabled', 'locked'], to: 'revoked' },
  activate: { from: ['pending'], to: 'active' },
  lock: { from: ['active'], to: 'locked' },
  release: { from: ['locked'], to: 'active' },
  // A new phone replaces the user's tokens in use; another pending one has its own enrollment.
  replace: { from: ['active', 'disabled', 'locked'], to: 'revoked' },
};

/** Whether a token in `state` may undergo `change` (for refusing with a clear message first). */
export function mayChange(state: TokenState, change: TokenChange): boolean {
  return TRANSITIONS[change].from.includes(state);
}

/** The state a token is in after `change`. */
export function stateAfter(change: TokenChange): TokenState {
  return TRANSITIONS[change].to;
}

/** The WHERE condition "this row may undergo `change`", for the UPDATE that makes it. */
export function canUndergo(eb: ExpressionBuilder<Database, 'tokens'>, change: TokenChange) {
  const { from } = TRANSITIONS[change];
  return from.length === 1 ? eb('state', '=', from[0]!) : eb('state', 'in', [...from]);
}
