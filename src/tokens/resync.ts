/**
 * Resynchronisation from two consecutive codes the authenticator shows:
 *   - HOTP (RFC 4226 section 7.4): searched in a wider window after the last accepted
 *     counter; the counter moves past them.
 *   - TOTP (RFC 6238 section 6): searched in the time steps around now; the drift of
 *     the authenticator's clock is recorded, and sign-ins look for codes around the
 *     time it shows (src/signin/passcode.ts).
 * Either way the two codes are used up: they cannot sign anyone in afterwards.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { invalid, PforteError } from '../errors.js';
import { timeStep } from '../otp/codes.js';
import type { TokenRow } from '../store/tables.js';
import { findCounterInWindow } from './hotp-window.js';
import { unsealSeed } from './seed.js';
import { getTokenRow } from './tokens.js';
import { toToken, type Token } from './view.js';

/**
 * How far a TOTP authenticator's clock may be off, either way: two hours covers a
 * hardware token drifting over years and a phone set by hand to the wrong hour; a
 * clock further off is better set right than measured.
 */
export const TOTP_RESYNC_MS = 2 * 3_600_000;

type Row = TokenRow & { username: string };

export async function resyncToken(
  core: Core,
  caller: Caller,
  serial: string,
  code1: string,
  code2: string,
): Promise<Token> {
  const row = await getTokenRow(core, serial);
  if (row.state === 'revoked' || row.state === 'pending') {
    throw new PforteError(
      'ERR_TOKEN_STATE',
      `the token is ${row.state} and cannot be resynchronised`,
    );
  }
  for (const code of [code1, code2]) {
    if (!new RegExp(`^\\d{${row.digits}}$`).test(code)) {
      throw invalid(`each code must be ${row.digits} digits`);
    }
  }
  const seed = unsealSeed(core, row.id, row.sealed_seed);
  const found =
    row.type === 'hotp'
      ? resyncHOTP(core, row, seed, code1, code2)
      : resyncTOTP(core, row, seed, code1, code2);
  const done = found !== undefined && (await storeResync(core, row, found));
  await recordAudit(core, caller, {
    action: 'token.resync',
    outcome: done ? 'success' : 'failure',
    reason: done ? '' : 'codes_not_found',
    username: row.username,
    serial: row.serial,
    ...(done && 'drift_steps' in found ? { detail: { driftSteps: found.drift_steps } } : {}),
  });
  if (!done) {
    throw new PforteError(
      'ERR_RESYNC_FAILED',
      row.type === 'hotp'
        ? `no two consecutive codes found in the next ${core.config.otp.hotpResyncWindow} counters`
        : `no two consecutive codes found within ${TOTP_RESYNC_MS / 3_600_000} hours of now`,
    );
  }
  return toToken(core, { ...row, ...found, fail_count: 0 }, row.username);
}

/** What a resync changes on the row. */
type Resync = Pick<TokenRow, 'counter'> | Pick<TokenRow, 'last_step' | 'drift_steps'>;

/** The counter after the two codes, when two consecutive ones follow the last accepted. */
function resyncHOTP(core: Core, row: Row, seed: Uint8Array, code1: string, code2: string) {
  const window = core.config.otp.hotpResyncWindow;
  const first = findPair(seed, row, code1, code2, row.counter, row.counter + window - 1);
  return first === undefined ? undefined : { counter: first + 2 };
}

/** The step of the second code, and how far it is from now, when both are near now. */
function resyncTOTP(core: Core, row: Row, seed: Uint8Array, code1: string, code2: string) {
  const now = core.clock.now();
  const from = timeStep(now - TOTP_RESYNC_MS, row.period);
  const first = findPair(seed, row, code1, code2, from, timeStep(now + TOTP_RESYNC_MS, row.period));
  if (first === undefined) return undefined;
  return { last_step: first + 1, drift_steps: first + 1 - timeStep(now, row.period) };
}

/** The first of two consecutive counters (or steps) from `from` to `to` showing the codes. */
function findPair(
  seed: Uint8Array,
  row: Row,
  code1: string,
  code2: string,
  from: number,
  to: number,
): number | undefined {
  const candidates = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const first = findCounterInWindow(seed, code1, candidates, row);
  if (first === undefined) return undefined;
  return findCounterInWindow(seed, code2, [first + 1], row) === first + 1 ? first : undefined;
}

/**
 * One conditional update: only if no sign-in was accepted since the row was read, so
 * a resync never moves a token back behind a code someone just used.
 */
async function storeResync(core: Core, row: Row, found: Resync): Promise<boolean> {
  let update = core.store.db
    .updateTable('tokens')
    .set({ ...found, fail_count: 0, updated_at: core.clock.now() })
    .where('id', '=', row.id);
  update =
    'counter' in found
      ? update.where('counter', '<=', found.counter - 2)
      : update.where('last_step', row.last_step === null ? 'is' : '=', row.last_step);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
