/**
 * The OpenID Provider's signing keys: one ES256 (P-256) and one RS256 (RSA 2048, the
 * standard's default for ID tokens) per generation, made on first start and kept as
 * private JWKs sealed under the master key in the database, so that every process
 * behind a load balancer signs with the same keys and publishes the same JWKS.
 *
 * `pforte oidc keys rotate` adds a generation, which signs from then on; the one before
 * stays in the JWKS for `PFORTE_OIDC_KEY_GRACE_DAYS`, so tokens signed with it still
 * verify at the services that cached it (RFC 7517; OpenID Connect Core 10.1.1).
 */
import { createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { sql } from 'kysely';
import type { Core } from '../context.js';
import { sealSecret, unsealSecret } from '../crypto/seal.js';

export const SIGNING_ALGORITHMS = ['RS256', 'ES256'] as const;
type Algorithm = (typeof SIGNING_ALGORITHMS)[number];

const DAY_MS = 86_400_000;

/**
 * A new private key as a JWK. It comes out of the generator as PKCS #8 and is read into a
 * key object of its own before it is exported: exporting the generator's own key object
 * as a JWK can deadlock Node 20 for good (a garbage collection during the export frees the
 * spent generator job, which waits for the lock the export holds); seen as a server that
 * hung on its first start.
 */
export function newPrivateJwk(alg: Algorithm): JsonWebKey {
  const privateKeyEncoding = { type: 'pkcs8', format: 'der' } as const;
  const publicKeyEncoding = { type: 'spki', format: 'der' } as const;
  const pkcs8: Buffer =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding, publicKeyEncoding })
          .privateKey
      : generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding, publicKeyEncoding })
          .privateKey;
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
}

function sealContext(kid: string): string {
  return `oidc-signing-key/${kid}`;
}

/** Writes generation `generation`; a process that loses the race to write it keeps the other's. */
async function writeGeneration(core: Core, generation: number): Promise<void> {
  const now = core.clock.now();
  for (const alg of SIGNING_ALGORITHMS) {
    const kid = `${alg.toLowerCase()}-${generation}-${core.random.bytes(6).toString('base64url')}`;
    const jwk = newPrivateJwk(alg);
    await core.store.db
      .insertInto('oidc_signing_keys')
      .values({
        kid,
        alg,
        generation,
        sealed_jwk: sealSecret(
          core.keyring,
          core.random,
          Buffer.from(JSON.stringify(jwk)),
          sealContext(kid),
        ),
        created_at: now,
        retired_at: null,
      })
      .onConflict((oc) => oc.columns(['generation', 'alg']).doNothing())
      .execute();
  }
}

async function newestGeneration(core: Core): Promise<number> {
  const row = await core.store.db
    .selectFrom('oidc_signing_keys')
    .select(sql<number | null>`max(generation)`.as('newest'))
    .executeTakeFirst();
  return Number(row?.newest ?? 0);
}

/** Makes the first generation when there is none (the first start). */
export async function ensureSigningKeys(core: Core): Promise<void> {
  if ((await newestGeneration(core)) === 0) await writeGeneration(core, 1);
}

/** A new generation signs from now on; the ones before are retired (still published for the grace). */
export async function rotateSigningKeys(core: Core): Promise<number> {
  const generation = (await newestGeneration(core)) + 1;
  await writeGeneration(core, generation);
  await core.store.db
    .updateTable('oidc_signing_keys')
    .set({ retired_at: core.clock.now() })
    .where('generation', '<', generation)
    .where('retired_at', 'is', null)
    .execute();
  return generation;
}

export interface SigningKeyInfo {
  kid: string;
  alg: string;
  generation: number;
  createdAt: string;
  /** signing: current; published: retired, still in the JWKS; expired: no longer published. */
  state: 'signing' | 'published' | 'expired';
  retiredAt: string | null;
}

function stateOf(core: Core, retiredAt: number | null): SigningKeyInfo['state'] {
  if (retiredAt === null) return 'signing';
  const graceEnds = Number(retiredAt) + core.config.oidc.keyGraceDays * DAY_MS;
  return graceEnds > core.clock.now() ? 'published' : 'expired';
}

/** Every key, newest first, without its private part. */
export async function listSigningKeys(core: Core): Promise<SigningKeyInfo[]> {
  const rows = await core.store.db
    .selectFrom('oidc_signing_keys')
    .select(['kid', 'alg', 'generation', 'created_at', 'retired_at'])
    .orderBy('generation', 'desc')
    .orderBy('alg')
    .execute();
  return rows.map((row) => ({
    kid: row.kid,
    alg: row.alg,
    generation: Number(row.generation),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    state: stateOf(core, row.retired_at === null ? null : Number(row.retired_at)),
    retiredAt: row.retired_at === null ? null : new Date(Number(row.retired_at)).toISOString(),
  }));
}

/**
 * The private JWKS oidc-provider signs with, the signing generation first (it signs
 * with the first key of an algorithm) and the retired ones within their grace after.
 */
export async function loadSigningJwks(core: Core): Promise<{ keys: JsonWebKey[] }> {
  const rows = await core.store.db
    .selectFrom('oidc_signing_keys')
    .select(['kid', 'alg', 'sealed_jwk', 'retired_at'])
    .orderBy('generation', 'desc')
    .orderBy('alg', 'desc')
    .execute();
  const keys = rows
    .filter(
      (row) => stateOf(core, row.retired_at === null ? null : Number(row.retired_at)) !== 'expired',
    )
    .map((row) => ({
      ...(JSON.parse(
        unsealSecret(core.keyring, row.sealed_jwk, sealContext(row.kid)).toString(),
      ) as JsonWebKey),
      kid: row.kid,
      alg: row.alg,
      use: 'sig',
    }));
  return { keys };
}

/**
 * What changes when the keys do (a rotation here or by another process, a retired key's
 * grace ending): the provider is made anew when it differs from what it was made with.
 */
export async function signingKeysVersion(core: Core): Promise<string> {
  const rows = await core.store.db
    .selectFrom('oidc_signing_keys')
    .select(['kid', 'retired_at'])
    .execute();
  return rows
    .filter(
      (row) => stateOf(core, row.retired_at === null ? null : Number(row.retired_at)) !== 'expired',
    )
    .map((row) => row.kid)
    .sort()
    .join(',');
}
