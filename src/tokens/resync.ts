/**
 * HOTP resynchronisation (RFC 4226 section 7.4): two consecutive codes, searched in
 * a wider window after the last accepted counter, move the counter past them.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { invalid, PforteError } from '../errors.js';
import { findMatchingCounter } from '../otp/codes.js';
import { unsealSeed } from './seed.js';
import { getTokenRow } from './tokens.js';
import { toToken, type Token } from './view.js';

export async function resyncToken(
  core: Core,
  caller: Caller,
  serial: string,
  code1: string,
  code2: string,
): Promise<Token> {
  const row = await getTokenRow(core, serial);
  if (row.type !== 'hotp') throw invalid('only HOTP tokens are resynchronised');
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
  const window = core.config.otp.hotpResyncWindow;
  const candidates = Array.from({ length: window }, (_, i) => row.counter + i);
  const first = findMatchingCounter(seed, code1, candidates, row);
  const fits =
    first !== undefined && findMatchingCounter(seed, code2, [first + 1], row) === first + 1;
  const result = fits
    ? await core.store.db
        .updateTable('tokens')
        .set({ counter: first + 2, fail_count: 0, updated_at: core.clock.now() })
        .where('id', '=', row.id)
        .where('counter', '<=', first)
        .executeTakeFirst()
    : undefined;
  const done = result !== undefined && Number(result.numUpdatedRows) === 1;
  await recordAudit(core, caller, {
    action: 'token.resync',
    outcome: done ? 'success' : 'failure',
    reason: done ? '' : 'codes_not_found',
    username: row.username,
    serial: row.serial,
  });
  if (!done) {
    throw new PforteError(
      'ERR_RESYNC_FAILED',
      `no two consecutive codes found in the next ${window} counters`,
    );
  }
  return toToken(core, { ...row, counter: first! + 2, fail_count: 0 }, row.username);
}
