/** How a token is shown to administrators; never with its seed. */
import type { Core } from '../context.js';
import type { OtpAlgorithm, OtpType } from '../otp/codes.js';
import type { TokenRow, TokenState } from '../store/tables.js';

export interface Token {
  serial: string;
  username: string;
  type: OtpType;
  algorithm: OtpAlgorithm;
  digits: number;
  period?: number;
  counter?: number;
  state: TokenState;
  failCount: number;
  lockedUntil?: string | null;
  description: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** When a locked token unlocks by itself; null when only an administrator can unlock it. */
export function lockExpiry(core: Core, token: Pick<TokenRow, 'locked_at'>): number | null {
  const minutes = core.config.lockout.autoUnlockMinutes;
  if (minutes === 0 || token.locked_at === null) return null;
  return token.locked_at + minutes * 60_000;
}

export function toToken(core: Core, row: TokenRow, username: string): Token {
  const token: Token = {
    serial: row.serial,
    username,
    type: row.type,
    algorithm: row.algorithm,
    digits: row.digits,
    state: row.state,
    failCount: row.fail_count,
    description: row.description,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
  };
  if (row.type === 'totp') token.period = row.period;
  else token.counter = row.counter;
  if (row.state === 'locked') {
    const until = lockExpiry(core, row);
    token.lockedUntil = until === null ? null : new Date(until).toISOString();
  }
  return token;
}
