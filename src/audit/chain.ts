/**
 * The audit log's hash chain: each sealed event carries an HMAC-SHA-256 over itself
 * and the one before it, so a changed, deleted or inserted row breaks the chain
 * (`pforte audit verify`). The HMAC key is sealed under the master key in the chain's
 * head row, so someone who can write to the database alone cannot forge a chain that
 * verifies. It is a key of its own rather than derived from the current master key so
 * that rotating the master key only re-seals it (`pforte key rotate`): every event
 * keeps the one HMAC key it was hashed with, however many rotations ago.
 *
 * Events are sealed in batches, in the order the sealer finds them, by whichever
 * process gets the chain head first. Taking the head is a write (the first statement
 * of the transaction), which makes one sealer wait for another on SQLite and on
 * PostgreSQL alike, while sign-ins only ever insert.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { Core } from '../context.js';
import { sealSecret, unsealSecret, type Keyring } from '../crypto/seal.js';
import { GENESIS_HASH } from '../store/migrations.js';
import type { AuditEventRow } from '../store/tables.js';

const BATCH = 500;

/** Seals every event not yet in the chain; returns how many it sealed. */
export async function sealAuditEvents(core: Core): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await sealBatch(core);
    total += sealed;
    if (sealed < BATCH) return total;
  }
}

async function sealBatch(core: Core): Promise<number> {
  return core.store.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('audit_chain')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 0) }))
      .where('id', '=', 1)
      .execute();
    const head = await tx
      .selectFrom('audit_chain')
      .selectAll()
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    const pending = await tx
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', 'is', null)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const key = chainKey(core, head.sealed_key);
    let { last_seq: seq, last_hash: prevHash } = head;
    for (const row of pending) {
      seq += 1;
      const hash = hashEvent(key, row, seq, prevHash);
      await tx
        .updateTable('audit_events')
        .set({ seq, prev_hash: prevHash, hash })
        .where('id', '=', row.id)
        .execute();
      prevHash = hash;
    }
    if (pending.length > 0) {
      await tx
        .updateTable('audit_chain')
        .set({ last_seq: seq, last_hash: prevHash })
        .where('id', '=', 1)
        .execute();
    }
    return pending.length;
  });
}

/** The event's HMAC-SHA-256 under the chain key, over its fields, its place and its predecessor. */
export function hashEvent(key: Buffer, row: AuditEventRow, seq: number, prevHash: string): string {
  const fields = [
    seq,
    prevHash,
    Number(row.id),
    Number(row.at),
    row.actor,
    row.face,
    row.action,
    row.outcome,
    row.reason,
    row.username,
    row.serial,
    row.address,
    row.detail,
  ];
  return createHmac('sha256', key).update(JSON.stringify(fields)).digest('hex');
}

const CHAIN_KEY_CONTEXT = 'pforte/audit-chain-key/v1';
const opened = new WeakMap<Core, { sealed: string; key: Buffer }>();

/** The chain key, opened from its sealed form (kept: it is the same for every batch). */
function chainKey(core: Core, sealed: string): Buffer {
  const known = opened.get(core);
  if (known?.sealed === sealed) return known.key;
  const key = unsealSecret(core.keyring, sealed, CHAIN_KEY_CONTEXT);
  opened.set(core, { sealed, key });
  return key;
}

/**
 * Seals the chain key into the head row on the first start after migration 014. The key
 * is the one the chain was always hashed with — derived from the master key the
 * database is sealed with — so the events before keep verifying.
 */
export async function ensureChainKey(core: Core): Promise<void> {
  const master = core.keyring.keys.get(core.keyring.currentId)!;
  const key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'pforte/audit-chain/v1', 32));
  // Whoever writes first wins; the others' sealed copy holds the same key.
  await core.store.db
    .updateTable('audit_chain')
    .set({ sealed_key: sealSecret(core.keyring, core.random, key, CHAIN_KEY_CONTEXT) })
    .where('id', '=', 1)
    .where('sealed_key', '=', '')
    .execute();
}

/** The master key id the chain key is sealed under. */
export async function chainKeyId(core: Core): Promise<string> {
  const head = await core.store.db
    .selectFrom('audit_chain')
    .select('sealed_key')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return head.sealed_key.split('.')[1] ?? '';
}

/**
 * Seals the chain key again under `target`'s current key (a master key rotation);
 * conditional on the sealed value it read, like every re-seal. Returns 1 if it did.
 */
export async function resealChainKey(core: Core, target: Keyring): Promise<number> {
  const head = await core.store.db
    .selectFrom('audit_chain')
    .select('sealed_key')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  if (head.sealed_key.split('.')[1] === target.currentId) return 0;
  const key = unsealSecret(core.keyring, head.sealed_key, CHAIN_KEY_CONTEXT);
  const result = await core.store.db
    .updateTable('audit_chain')
    .set({ sealed_key: sealSecret(target, core.random, key, CHAIN_KEY_CONTEXT) })
    .where('id', '=', 1)
    .where('sealed_key', '=', head.sealed_key)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface ChainReport {
  intact: boolean;
  /** Events checked in the chain. */
  checked: number;
  /** Where the chain first breaks, and how. */
  problem?: { seq: number; reason: string };
}

/** Seals what is pending, then walks the chain up to its head and compares the two. */
export async function verifyAuditChain(core: Core): Promise<ChainReport> {
  await sealAuditEvents(core);
  const db = core.store.db;
  const head = await db
    .selectFrom('audit_chain')
    .selectAll()
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const key = chainKey(core, head.sealed_key);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const broken = (seq: number, reason: string): ChainReport => ({
    intact: false,
    checked: expectedSeq - 1,
    problem: { seq, reason },
  });
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      // Only up to the head read above: servers may seal more meanwhile.
      .where('seq', '<=', head.last_seq)
      .orderBy('seq')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      if (row.seq !== expectedSeq) return broken(expectedSeq, 'event missing');
      if (row.prev_hash !== prevHash) return broken(expectedSeq, 'link to previous event broken');
      if (row.hash !== hashEvent(key, row, expectedSeq, prevHash)) {
        return broken(expectedSeq, 'event changed');
      }
      prevHash = row.hash;
      expectedSeq += 1;
    }
    if (rows.length < BATCH) break;
  }
  if (head.last_seq !== expectedSeq - 1 || head.last_hash !== prevHash) {
    return broken(expectedSeq, 'events missing at the end');
  }
  return { intact: true, checked: expectedSeq - 1 };
}
