/**
 * API keys for services and administration scripts: `Authorization: Bearer <key>`.
 *
 * A key reads `pfk_<id>_<secret>`. Only the SHA-256 of the secret is stored (the
 * secret has 256 random bits, so a fast hash is enough; OWASP Password Storage Cheat
 * Sheet covers low-entropy secrets only), and it is compared in constant time. The
 * key is shown once, when it is created.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { invalid, notFound, PforteError } from '../errors.js';
import { pageLimit, readCursor, toPage, type Page, type PageRequest } from '../store/paging.js';
import type { ApiKeyRow } from '../store/tables.js';

export const API_SCOPES = ['validate', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  scope: ApiScope;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const KEY_PATTERN = /^pfk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
/** last_used_at is written at most this often, to keep writes off the validation path. */
const LAST_USED_PRECISION_MS = 60_000;

/** A new key's name and scope as given, or the error saying what they must be. */
export function checkApiKeyInput(input: { name: string; scope?: string }): {
  name: string;
  scope: ApiScope;
} {
  if (!NAME_PATTERN.test(input.name)) {
    throw invalid('name must be 1 to 64 letters, digits, spaces, dots, dashes or underscores');
  }
  const scope = input.scope ?? 'validate';
  if (!(API_SCOPES as readonly string[]).includes(scope)) {
    throw invalid('scope must be validate or admin');
  }
  return { name: input.name, scope: scope as ApiScope };
}

export async function createApiKey(
  core: Core,
  caller: Caller,
  input: { name: string; scope?: string },
): Promise<ApiKey & { key: string }> {
  const { scope } = checkApiKeyInput(input);
  const id = core.random.bytes(10).toString('hex').slice(0, 16);
  const secret = core.random.bytes(32).toString('base64url');
  const row: ApiKeyRow = {
    id,
    name: input.name,
    scope,
    secret_hash: hashSecret(secret),
    created_at: core.clock.now(),
    revoked_at: null,
    last_used_at: null,
  };
  const inserted = await core.store.db
    .insertInto('api_keys')
    .values(row)
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
    throw new PforteError('ERR_CONFLICT', `an API key named ${input.name} exists already`);
  }
  await recordAudit(core, caller, {
    action: 'apikey.create',
    outcome: 'success',
    detail: { name: row.name, scope: row.scope },
  });
  return { ...toApiKey(row), key: `pfk_${id}_${secret}` };
}

/** A page of keys by name (the name is unique, so it is the page's key too). */
export async function listApiKeys(core: Core, request: PageRequest = {}): Promise<Page<ApiKey>> {
  const limit = pageLimit(request);
  const after = readCursor(request.cursor, ['string'] as const);
  let select = core.store.db.selectFrom('api_keys').selectAll();
  if (after) select = select.where('name', '>', after[0]);
  const rows = await select
    .orderBy('name')
    .limit(limit + 1)
    .execute();
  return toPage(rows, limit, (row) => [row.name], toApiKey);
}

/** One key by its id. */
export async function getApiKey(core: Core, id: string): Promise<ApiKey> {
  const row = await core.store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('API key');
  return toApiKey(row);
}

/** Revokes by name or id. */
export async function revokeApiKey(core: Core, caller: Caller, nameOrId: string): Promise<ApiKey> {
  // An id wins over a name, so a key named like another key's id cannot be mistaken for it.
  const byId = await core.store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('id', '=', nameOrId)
    .executeTakeFirst();
  const row =
    byId ??
    (await core.store.db
      .selectFrom('api_keys')
      .selectAll()
      .where('name', '=', nameOrId)
      .executeTakeFirst());
  if (!row) throw notFound('API key');
  const now = core.clock.now();
  await core.store.db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', row.id)
    .where('revoked_at', 'is', null)
    .execute();
  cacheOf(core).clear();
  await recordAudit(core, caller, {
    action: 'apikey.revoke',
    outcome: 'success',
    detail: { name: row.name },
  });
  return toApiKey({ ...row, revoked_at: row.revoked_at ?? now });
}

/**
 * Keys that proved genuine, for a few seconds: services send the same key with every
 * sign-in, and the lookup would otherwise be a database round trip each time. A
 * revocation takes effect at once in the process that revokes, and within this time
 * in the others.
 */
export const API_KEY_CACHE_MS = 5_000;
const recentlyGenuine = new WeakMap<Core, Map<string, { key: ApiKey; until: number }>>();

function cacheOf(core: Core): Map<string, { key: ApiKey; until: number }> {
  let cache = recentlyGenuine.get(core);
  if (!cache) recentlyGenuine.set(core, (cache = new Map()));
  return cache;
}

/** The key's record when the bearer key is genuine and not revoked; otherwise undefined. */
export async function authenticateApiKey(
  core: Core,
  presented: string,
): Promise<ApiKey | undefined> {
  const cache = cacheOf(core);
  const now = core.clock.now();
  const cacheKey = hashSecret(presented);
  const cached = cache.get(cacheKey);
  if (cached && cached.until > now) return cached.key;
  const key = await lookUpApiKey(core, presented);
  if (key) {
    if (cache.size > 1000) cache.clear();
    cache.set(cacheKey, { key, until: now + API_KEY_CACHE_MS });
  } else {
    cache.delete(cacheKey);
  }
  return key;
}

async function lookUpApiKey(core: Core, presented: string): Promise<ApiKey | undefined> {
  const parts = KEY_PATTERN.exec(presented);
  const row = parts
    ? await core.store.db
        .selectFrom('api_keys')
        .selectAll()
        .where('id', '=', parts[1]!)
        .executeTakeFirst()
    : undefined;
  // Compare even when there is no such key, so that timing does not tell ids apart.
  const expected = Buffer.from(row?.secret_hash ?? '0'.repeat(64), 'hex');
  const given = Buffer.from(hashSecret(parts?.[2] ?? ''), 'hex');
  const genuine = timingSafeEqual(expected, given) && row !== undefined;
  if (!genuine || row.revoked_at !== null) return undefined;
  const now = core.clock.now();
  if (row.last_used_at === null || now - row.last_used_at > LAST_USED_PRECISION_MS) {
    await core.store.db
      .updateTable('api_keys')
      .set({ last_used_at: now })
      .where('id', '=', row.id)
      .execute();
  }
  return toApiKey(row);
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function toApiKey(row: ApiKeyRow): ApiKey {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: iso(row.revoked_at),
    lastUsedAt: iso(row.last_used_at),
  };
}
