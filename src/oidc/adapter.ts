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
 * Writes are committed with the other writes of the moment (store/group-commit.ts): a
 * sign-in makes nine of them, in five requests.
 *
 * `consume` is one conditional UPDATE: of two processes redeeming one authorization
 * code or refresh token at once, one wins and the other gets invalid_grant, and the
 * grant is revoked with every token of it, the winner's too (RFC 6749 section 4.1.2: a
 * code used twice revokes its tokens; RFC 9700 4.14 for refresh tokens).
 */
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { Core } from '../context.js';
import { sealSecret, unsealSecret } from '../crypto/seal.js';
import { param, prepare, runWrite } from '../store/prepared.js';
import type { Database } from '../store/tables.js';
import { findStoredClient } from './clients.js';
import { payloadHash, revokeGrant } from './grants.js';

const SEALED_ID = 'sealedId';

function sealContext(kind: string, uid: string): string {
  return `oidc/${kind}/${uid}`;
}

interface StoredRow {
  payload: string;
  expires_at: number | null;
  consumed_at: number | null;
}

/** The adapter's statements, compiled for the store's dialect. */
function adapterStatements(db: Kysely<Database>) {
  // Quoted as Kysely's own statements are (and as what watches pg_stat_activity expects).
  const table = sql.table('oidc_payloads');
  const columns = sql`payload, expires_at, consumed_at`;
  return {
    // `excluded`: the row that was to be inserted (SQLite and PostgreSQL alike).
    upsert: prepare<
      never,
      'idHash' | 'kind' | 'payload' | 'grantId' | 'uid' | 'userCode' | 'expiresAt'
    >(
      db,
      sql`insert into ${table}
            (id_hash, kind, payload, grant_id, uid, user_code, expires_at, consumed_at)
          values (${param('idHash')}, ${param('kind')}, ${param('payload')}, ${param('grantId')},
            ${param('uid')}, ${param('userCode')}, ${param('expiresAt')}, null)
          on conflict (id_hash) do update set kind = excluded.kind,
            payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
            user_code = excluded.user_code, expires_at = excluded.expires_at, consumed_at = null`,
    ),
    findById: prepare<StoredRow, 'idHash'>(
      db,
      sql`select ${columns} from ${table} where id_hash = ${param('idHash')}`,
    ),
    findByUid: prepare<StoredRow, 'kind' | 'uid'>(
      db,
      sql`select ${columns} from ${table}
          where kind = ${param('kind')} and uid = ${param('uid')} limit 1`,
    ),
    findByUserCode: prepare<StoredRow, 'kind' | 'userCode'>(
      db,
      sql`select ${columns} from ${table}
          where kind = ${param('kind')} and user_code = ${param('userCode')} limit 1`,
    ),
    consume: prepare<never, 'idHash' | 'now'>(
      db,
      sql`update ${table} set consumed_at = ${param('now')}
          where id_hash = ${param('idHash')} and consumed_at is null`,
    ),
    grantOf: prepare<{ grant_id: string | null }, 'idHash'>(
      db,
      sql`select grant_id from ${table} where id_hash = ${param('idHash')}`,
    ),
    revokeByGrantId: prepare<never, 'grantId'>(
      db,
      sql`delete from ${table} where grant_id = ${param('grantId')}`,
    ),
    destroy: prepare<never, 'idHash'>(
      db,
      sql`delete from ${table} where id_hash = ${param('idHash')}`,
    ),
  };
}

/** The adapter class oidc-provider makes one instance of per model (Session, Grant, …). */
export function databaseAdapter(core: Core): new (kind: string) => Adapter {
  const db = core.store.db;
  const now = () => core.clock.now();
  const statements = adapterStatements(db);

  const findRow = async (query: CompiledQuery<StoredRow>) => (await db.executeQuery(query)).rows[0];

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
      await runWrite(
        core,
        statements.upsert({
          idHash: payloadHash(this.kind, id),
          kind: this.kind,
          payload: JSON.stringify(stored),
          grantId: payload.grantId ?? null,
          uid: payload.uid ?? null,
          userCode: payload.userCode ? payloadHash('UserCode', payload.userCode) : null,
          expiresAt: expiresIn ? now() + expiresIn * 1000 : null,
        }),
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.kind === 'Client') return findStoredClient(core, id);
      const row = await findRow(statements.findById({ idHash: payloadHash(this.kind, id) }));
      return row ? this.revive(row, id) : undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const row = await findRow(statements.findByUid({ kind: this.kind, uid }));
      return row ? this.revive(row) : undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const row = await findRow(
        statements.findByUserCode({ kind: this.kind, userCode: payloadHash('UserCode', userCode) }),
      );
      return row ? this.revive(row) : undefined;
    }

    async consume(id: string): Promise<void> {
      const idHash = payloadHash(this.kind, id);
      const result = await runWrite(core, statements.consume({ idHash, now: now() }));
      if (Number(result.numAffectedRows) === 1) return;
      // Another request (perhaps at another process) consumed it first.
      const row = (await db.executeQuery(statements.grantOf({ idHash }))).rows[0];
      if (row?.grant_id) await revokeGrant(core, row.grant_id);
      throw new errors.InvalidGrant(`${this.kind} already consumed`);
    }

    async destroy(id: string): Promise<void> {
      await runWrite(core, statements.destroy({ idHash: payloadHash(this.kind, id) }));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await runWrite(core, statements.revokeByGrantId({ grantId }));
    }

    /** The payload as oidc-provider stored it, or undefined once it has expired. */
    private revive(row: StoredRow, id?: string): AdapterPayload | undefined {
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
