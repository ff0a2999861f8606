/**
 * What a sign-in records while it learns a TOTP authenticator's clock drift from two
 * consecutive codes (RFC 6238 section 6): a code found outside the window is noted as a
 * candidate; the next, later code at the same offset is accepted and the offset becomes
 * the token's drift. Each write is a single statement, as in usage.ts, because
 * src/signin/passcode.ts's rules for parallel requests and several processes rest on it.
 */
import type { Core } from '../context.js';
import type { TokenRow } from '../store/tables.js';

/** Notes the code at `step`, `offset` steps ahead of the server's clock; a newer note replaces it. */
export async function noteDriftCandidate(
  core: Core,
  tokenId: string,
  step: number,
  offset: number,
  now: number,
): Promise<void> {
  await core.store.db
    .updateTable('tokens')
    .set({
      drift_candidate_step: step,
      drift_candidate_offset: offset,
      drift_candidate_at: now,
      updated_at: now,
    })
    .where('id', '=', tokenId)
    .where('state', '=', 'active')
    .execute();
}

/**
 * Accepts the code at `match` and learns `offset` as the token's drift, only if the
 * candidate the token was read with is still there (another request that confirmed it
 * first cleared it) and no code at or after `match` was accepted: of two processes
 * with the same second code, exactly one accepts.
 */
export async function acceptDriftedCounter(
  core: Core,
  token: TokenRow,
  match: number,
  offset: number,
  now: number,
): Promise<boolean> {
  if (token.drift_candidate_step === null || token.drift_candidate_at === null) return false;
  const result = await core.store.db
    .updateTable('tokens')
    .set({
      last_step: match,
      drift_steps: offset,
      drift_candidate_step: null,
      drift_candidate_offset: null,
      drift_candidate_at: null,
      fail_count: 0,
      last_used_at: now,
      updated_at: now,
    })
    .where('id', '=', token.id)
    .where('state', '=', 'active')
    .where('drift_candidate_step', '=', token.drift_candidate_step)
    .where('drift_candidate_at', '=', token.drift_candidate_at)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', match)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
