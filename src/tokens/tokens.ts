/**
 * OATH tokens: importing existing secrets (as for hardware tokens), listing and
 * showing them. State changes live in state.ts, resynchronisation in resync.ts.
 */
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { invalid, notFound } from '../errors.js';
import {
  DEFAULT_OTP_PARAMS,
  OTP_ALGORITHMS,
  type OtpAlgorithm,
  type OtpParams,
} from '../otp/codes.js';
import {
  parseBase32Secret,
  parseHexSecret,
  parseOtpauthUri,
  SecretFormatError,
  type ImportedSecret,
} from '../otp/secret.js';
import {
  afterKey,
  pageLimit,
  readCursor,
  toPage,
  type Page,
  type PageRequest,
} from '../store/paging.js';
import type { TokenRow } from '../store/tables.js';
import { endTemporaryAccessForNewToken } from '../temporary/temporary-access.js';
import { getUserRow } from '../users/users.js';
import { newTokenRow } from './new-token.js';
import { generateSerial, SERIAL_PATTERN } from './serial.js';
import { toToken, type Token } from './view.js';

export interface TokenImport {
  username: string;
  /** Exactly one of the three. */
  secret?: string;
  secretHex?: string;
  otpauth?: string;
  type?: string;
  algorithm?: string;
  digits?: number;
  period?: number;
  counter?: number;
  description?: string;
}

export async function importToken(core: Core, caller: Caller, input: TokenImport): Promise<Token> {
  const user = await getUserRow(core, input.username);
  const imported = readSecret(input);
  const params = chooseParams(input, imported);
  const counter = input.counter ?? imported.counter ?? 0;
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw invalid('counter must be a whole number of at least 0');
  }
  const description = checkDescription(input.description ?? imported.issuer ?? '');
  const row = newTokenRow(core, {
    serial: generateSerial(core.random),
    userId: user.id,
    params,
    counter: params.type === 'hotp' ? counter : 0,
    seed: imported.seed,
    state: 'active',
    description,
  });
  await core.store.db.insertInto('tokens').values(row).execute();
  await recordAudit(core, caller, {
    action: 'token.import',
    outcome: 'success',
    username: user.username,
    serial: row.serial,
    detail: { type: row.type, algorithm: row.algorithm, digits: row.digits },
  });
  await endTemporaryAccessForNewToken(core, caller, user, row.serial);
  return toToken(core, row, user.username);
}

function readSecret(input: TokenImport): ImportedSecret {
  const given = [input.secret, input.secretHex, input.otpauth].filter((s) => s !== undefined);
  if (given.length !== 1) {
    throw invalid('give exactly one of secret (base32), secretHex or otpauth');
  }
  try {
    if (input.secret !== undefined) return parseBase32Secret(input.secret);
    if (input.secretHex !== undefined) return parseHexSecret(input.secretHex);
    return parseOtpauthUri(input.otpauth!);
  } catch (error) {
    if (error instanceof SecretFormatError) throw invalid(error.message);
    throw error;
  }
}

/** Explicit options, else what the otpauth URI says, else the defaults; a contradiction is an error. */
function chooseParams(input: TokenImport, imported: ImportedSecret): OtpParams {
  const explicit: Partial<Record<keyof OtpParams, unknown>> = {
    type: input.type?.toLowerCase(),
    algorithm: input.algorithm?.toUpperCase().replace('-', ''),
    digits: input.digits,
    period: input.period,
  };
  const chosen = { ...DEFAULT_OTP_PARAMS } as Record<keyof OtpParams, unknown>;
  for (const key of Object.keys(DEFAULT_OTP_PARAMS) as (keyof OtpParams)[]) {
    const fromUri = imported.params[key];
    const fromInput = explicit[key];
    if (fromUri !== undefined && fromInput !== undefined && fromUri !== fromInput) {
      throw invalid(`${key} ${String(fromInput)} contradicts the otpauth URI (${String(fromUri)})`);
    }
    chosen[key] = fromInput ?? fromUri ?? chosen[key];
  }
  if (chosen.type !== 'totp' && chosen.type !== 'hotp') throw invalid('type must be totp or hotp');
  if (!OTP_ALGORITHMS.includes(chosen.algorithm as OtpAlgorithm)) {
    throw invalid('algorithm must be SHA1, SHA256 or SHA512');
  }
  if (chosen.digits !== 6 && chosen.digits !== 8) throw invalid('digits must be 6 or 8');
  if (chosen.period !== 30 && chosen.period !== 60) throw invalid('period must be 30 or 60');
  return chosen as unknown as OtpParams;
}

/** A page of tokens, oldest first (of one user, when named). */
export async function listTokens(
  core: Core,
  request: PageRequest & { username?: string } = {},
): Promise<Page<Token>> {
  const limit = pageLimit(request);
  const after = readCursor(request.cursor, ['number', 'string'] as const);
  let select = core.store.db
    .selectFrom('tokens')
    .innerJoin('users', 'users.id', 'tokens.user_id')
    .selectAll('tokens')
    .select('users.username');
  if (request.username !== undefined) {
    const user = await getUserRow(core, request.username);
    select = select.where('tokens.user_id', '=', user.id);
  }
  if (after) select = select.where(afterKey(['tokens.created_at', 'tokens.serial'], after));
  const rows = await select
    .orderBy('tokens.created_at')
    .orderBy('tokens.serial')
    .limit(limit + 1)
    .execute();
  return toPage(
    rows,
    limit,
    (row) => [row.created_at, row.serial],
    (row) => toToken(core, row, row.username),
  );
}

export async function getTokenRow(
  core: Core,
  serial: string,
): Promise<TokenRow & { username: string }> {
  const wanted = serial.toUpperCase();
  if (!SERIAL_PATTERN.test(wanted)) throw notFound('token');
  const row = await core.store.db
    .selectFrom('tokens')
    .innerJoin('users', 'users.id', 'tokens.user_id')
    .selectAll('tokens')
    .select('users.username')
    .where('tokens.serial', '=', wanted)
    .executeTakeFirst();
  if (!row) throw notFound('token');
  return row;
}

export async function getToken(core: Core, serial: string): Promise<Token> {
  const row = await getTokenRow(core, serial);
  return toToken(core, row, row.username);
}

export async function changeTokenDescription(
  core: Core,
  caller: Caller,
  serial: string,
  description: string,
): Promise<Token> {
  const row = await getTokenRow(core, serial);
  checkDescription(description);
  const now = core.clock.now();
  await core.store.db
    .updateTable('tokens')
    .set({ description, updated_at: now })
    .where('id', '=', row.id)
    .execute();
  await recordAudit(core, caller, {
    action: 'token.update',
    outcome: 'success',
    username: row.username,
    serial: row.serial,
  });
  return toToken(core, { ...row, description, updated_at: now }, row.username);
}

/** Deletes the token row; the audit log keeps its history. */
export async function removeToken(core: Core, caller: Caller, serial: string): Promise<void> {
  const row = await getTokenRow(core, serial);
  await core.store.db.deleteFrom('tokens').where('id', '=', row.id).execute();
  await recordAudit(core, caller, {
    action: 'token.remove',
    outcome: 'success',
    username: row.username,
    serial: row.serial,
  });
}

function checkDescription(description: string): string {
  if (description.length > 200 || /[\p{Cc}\p{Cf}]/u.test(description)) {
    throw invalid('description must be at most 200 characters without control characters');
  }
  return description;
}
