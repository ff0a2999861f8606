/**
 * Re-sealing the tokens' secrets (seed and status key) under a new master key, for
 * `pforte key rotate` while servers go on signing in (docs/key-rotation.md).
 *
 * Batches of BATCH tokens, one transaction each, walked in id order. Every write is
 * conditional on the sealed value read: a token whose seed changed meanwhile (revoked,
 * or re-sealed by another rotation) is left as it is, never overwritten with the old
 * secret. Only the sealed column is written, so a sign-in's counter never gets lost.
 */
import { sql } from 'kysely';
import type { Core } from '../context.js';
import type { Keyring } from '../crypto/seal.js';
import { resealSeed, resealStatusKey } from './seed.js';

export const BATCH = 200;

export interface ResealProgress {
  /** Sealed values written under the new key. */
  resealed: number;
  /** Values under the old key that did not open (damaged): left as they are. */
  failed: number;
}

type SealedColumn = 'sealed_seed' | 'status_key';
const COLUMNS: SealedColumn[] = ['sealed_seed', 'status_key'];
const RESEAL = { sealed_seed: resealSeed, status_key: resealStatusKey };

/** Re-seals every token secret sealed under master key `from` with `target`'s current key. */
export async function resealTokens(
  core: Core,
  target: Keyring,
  from: string,
  options: { batch?: number; onBatch?: (progress: ResealProgress) => void } = {},
): Promise<ResealProgress> {
  const progress: ResealProgress = { resealed: 0, failed: 0 };
  const prefix = `v1.${from}.%`;
  let after = '';
  for (;;) {
    const rows = await core.store.db
      .selectFrom('tokens')
      .select(['id', 'sealed_seed', 'status_key'])
      .where('id', '>', after)
      .where((eb) => eb.or(COLUMNS.map((column) => eb(column, 'like', prefix))))
      .orderBy('id')
      .limit(options.batch ?? BATCH)
      .execute();
    if (rows.length === 0) return progress;
    await core.store.db.transaction().execute(async (tx) => {
      for (const row of rows) {
        for (const column of COLUMNS) {
          const old = row[column];
          if (!old.startsWith(`v1.${from}.`)) continue;
          let sealed: string;
          try {
            sealed = RESEAL[column](core, target, row.id, old);
          } catch {
            progress.failed += 1;
            continue;
          }
          const result = await tx
            .updateTable('tokens')
            .set({ [column]: sealed })
            .where('id', '=', row.id)
            .where(column, '=', old)
            .executeTakeFirst();
          progress.resealed += Number(result.numUpdatedRows);
        }
      }
    });
    after = rows.at(-1)!.id;
    options.onBatch?.({ ...progress });
  }
}

/** How many token secrets are sealed under each master key id. */
export async function countSealedTokenSecrets(core: Core): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const column of COLUMNS) {
    const keyId = sql<string>`substr(${sql.ref(column)}, 4, 12)`;
    const rows = await core.store.db
      .selectFrom('tokens')
      .select([keyId.as('key_id'), (eb) => eb.fn.countAll<number>().as('count')])
      .where(column, '!=', '')
      .groupBy(keyId)
      .execute();
    for (const row of rows) {
      counts.set(row.key_id, (counts.get(row.key_id) ?? 0) + Number(row.count));
    }
  }
  return counts;
}
