/**
 * oidc-provider's storage on Pforte's database (SQLite or PostgreSQL, through Kysely),
 * so that a code issued by one server process is redeemed at another.
 *
 * Rows are found by the SHA-256 of the model's name and id, and the id is left out of
 * the stored payload: ids are the tokens themselves (codes, access and refresh tokens,
 * the session cookie), and a database dump must not hand them out. A Session is also
 * found by its uid, and then needs its id back: that one is kept sealed under the
 * master key.
 *
 * `consume` is one conditional UPDATE: of two processes redeeming one authorization
 * code or refresh token at once, one wins and the other gets invalid_grant, and the
 * grant is revoked with every token of it, the winner's too (RFC 6749 section 4.1.2: a
 * code used twice revokes its tokens; RFC 9700 4.14 for refresh tokens).
 */
import { createHash } from 'node:crypto';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { Core } from '../context.js';
import { sealSecret, unsealSecret } from '../crypto/seal.js';
import { findStoredClient } from './clients.js';

const SEALED_ID = 'sealedId';

function hashOf(kind: string, id: string): string {
  return createHash('sha256').update(`${kind}|${id}`).digest('base64url');
}

function sealContext(kind: string, uid: string): string {
  return `oidc/${kind}/${uid}`;
}

/** The adapter class oidc-provider makes one instance of per model (Session, Grant, …). */
export function databaseAdapter(core: Core): new (kind: string) => Adapter {
  const db = core.store.db;
  const now = () => core.clock.now();

  /**
   * Revokes a grant: its tokens and the Grant itself. The Grant must go too: the winner
   * of a race saves its token after the loser's revocation, and only the missing Grant
   * then refuses that token (at userinfo and refresh alike).
   */
  const revokeGrant = async (grantId: string) => {
    await db
      .deleteFrom('oidc_payloads')
      .where((eb) =>
        eb.or([eb('grant_id', '=', grantId), eb('id_hash', '=', hashOf('Grant', grantId))]),
      )
      .execute();
  };

  class DatabaseAdapter implements Adapter {
    constructor(private readonly kind: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const stored: Record<string, unknown> = { ...payload };
      delete stored.jti;
      if (this.kind === 'Session' && payload.uid) {
        stored[SEALED_ID] = sealSecret(
          core.keyring,
          core.random,
          Buffer.from(id),
          sealContext(this.kind, payload.uid),
        );
      }
      const row = {
        kind: this.kind,
        payload: JSON.stringify(stored),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ? hashOf('UserCode', payload.userCode) : null,
        expires_at: expiresIn ? now() + expiresIn * 1000 : null,
        consumed_at: null,
      };
      await db
        .insertInto('oidc_payloads')
        .values({ id_hash: hashOf(this.kind, id), ...row })
        .onConflict((oc) => oc.column('id_hash').doUpdateSet(row))
        .execute();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.kind === 'Client') return findStoredClient(core, id);
      const row = await db
        .selectFrom('oidc_payloads')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('id_hash', '=', hashOf(this.kind, id))
        .executeTakeFirst();
      return row ? this.revive(row, id) : undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const row = await db
        .selectFrom('oidc_payloads')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('kind', '=', this.kind)
        .where('uid', '=', uid)
        .executeTakeFirst();
      return row ? this.revive(row) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const row = await db
        .selectFrom('oidc_payloads')
        .select(['payload', 'expires_at', 'consumed_at'])
        .where('kind', '=', this.kind)
        .where('user_code', '=', hashOf('UserCode', userCode))
        .executeTakeFirst();
      return row ? this.revive(row) : undefined;
    }

    async consume(id: string): Promise<void> {
      const result = await db
        .updateTable('oidc_payloads')
        .set({ consumed_at: now() })
        .where('id_hash', '=', hashOf(this.kind, id))
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) return;
      // Another request (perhaps at another process) consumed it first.
      const row = await db
        .selectFrom('oidc_payloads')
        .select('grant_id')
        .where('id_hash', '=', hashOf(this.kind, id))
        .executeTakeFirst();
      if (row?.grant_id) await revokeGrant(row.grant_id);
      throw new errors.InvalidGrant(`${this.kind} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      await db.deleteFrom('oidc_payloads').where('id_hash', '=', hashOf(this.kind, id)).execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
    }

    /** The payload as oidc-provider stored it, or undefined once it has expired. */
    private revive(
      row: { payload: string; expires_at: number | null; consumed_at: number | null },
      id?: string,
    ): AdapterPayload | undefined {
      if (row.expires_at !== null && Number(row.expires_at) <= now()) return undefined;
      const payload = JSON.parse(row.payload) as AdapterPayload & { [SEALED_ID]?: string };
      const sealed = payload[SEALED_ID];
      delete payload[SEALED_ID];
      if (id !== undefined) payload.jti = id;
      else if (sealed && payload.uid) {
        payload.jti = unsealSecret(
          core.keyring,
          sealed,
          sealContext(this.kind, payload.uid),
        ).toString();
      }
      if (row.consumed_at !== null) payload.consumed = Math.floor(Number(row.consumed_at) / 1000);
      return payload;
    }
  }
  return DatabaseAdapter;
}
