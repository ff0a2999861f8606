/**
 * What a token row is when it begins, however it came (imported by an administrator,
 * or made by a self-enrollment): never used, no failures, not locked, its seed sealed
 * to the row's own id.
 */
import type { Core } from '../context.js';
import type { OtpParams } from '../otp/codes.js';
import type { TokenRow, TokenState } from '../store/tables.js';
import { sealSeed, sealStatusKey } from './seed.js';

export function newTokenRow(
  core: Core,
  token: {
    serial: string;
    userId: string;
    params: OtpParams;
    /** HOTP: the counter of the next code; 0 for TOTP. */
    counter: number;
    seed: Uint8Array;
    state: TokenState;
    description: string;
  },
): TokenRow {
  const id = core.random.uuid();
  const now = core.clock.now();
  return {
    id,
    serial: token.serial,
    user_id: token.userId,
    type: token.params.type,
    algorithm: token.params.algorithm,
    digits: token.params.digits,
    period: token.params.period,
    counter: token.counter,
    last_step: null,
    drift_steps: 0,
    drift_candidate_step: null,
    drift_candidate_offset: null,
    drift_candidate_at: null,
    sealed_seed: sealSeed(core, id, token.seed),
    status_key: sealStatusKey(core, id, token.seed),
    state: token.state,
    fail_count: 0,
    locked_at: null,
    description: token.description,
    created_at: now,
    updated_at: now,
    last_used_at: null,
  };
}
