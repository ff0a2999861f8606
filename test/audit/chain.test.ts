/** The audit log's hash chain detects changed, deleted and missing events. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashEvent, sealAuditEvents, verifyAuditChain } from '../../src/audit/chain.js';
import { listAudit, recordAudit } from '../../src/audit/record.js';
import { ADMIN, DATABASES, makeCore, type TestCore } from '../helpers/core.js';

describe.each(DATABASES)('audit chain on %s', (database) => {
  let t: TestCore;
  beforeEach(async () => {
    t = await makeCore(database);
    for (let i = 1; i <= 12; i++) {
      await recordAudit(t.core, ADMIN, {
        action: 'test.event',
        outcome: 'success',
        username: `user${i}`,
      });
    }
  });
  afterEach(async () => t.close());

  it('is intact after events are recorded and sealed', async () => {
    expect(await verifyAuditChain(t.core)).toEqual({ intact: true, checked: 12 });
    expect((await listAudit(t.core)).items.every((e) => e.sealed)).toBe(true);
  });

  it('goes on across batches: events recorded later join the same chain', async () => {
    await sealAuditEvents(t.core);
    await recordAudit(t.core, ADMIN, { action: 'test.later', outcome: 'success' });
    expect(await verifyAuditChain(t.core)).toEqual({ intact: true, checked: 13 });
  });

  it('finds an event that was changed afterwards', async () => {
    await sealAuditEvents(t.core);
    await t.core.store.db
      .updateTable('audit_events')
      .set({ outcome: 'failure' })
      .where('username', '=', 'user5')
      .execute();
    expect(await verifyAuditChain(t.core)).toEqual({
      intact: false,
      checked: 4,
      problem: { seq: 5, reason: 'event changed' },
    });
  });

  it('finds an event that was deleted', async () => {
    await sealAuditEvents(t.core);
    await t.core.store.db.deleteFrom('audit_events').where('username', '=', 'user7').execute();
    const report = await verifyAuditChain(t.core);
    expect(report.intact).toBe(false);
    expect(report.problem).toEqual({ seq: 7, reason: 'event missing' });
  });

  it('finds events cut off at the end', async () => {
    await sealAuditEvents(t.core);
    await t.core.store.db.deleteFrom('audit_events').where('seq', '>', 10).execute();
    expect((await verifyAuditChain(t.core)).problem?.reason).toBe('events missing at the end');
  });

  it('finds an event forged by someone who can write to the database but has no master key', async () => {
    await sealAuditEvents(t.core);
    const row = await t.core.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '=', 12)
      .executeTakeFirstOrThrow();
    const forged = { ...row, outcome: 'failure' };
    const stranger = Buffer.alloc(32, 1); // a chain key made up without the master key
    await t.core.store.db
      .updateTable('audit_events')
      .set({ outcome: 'failure', hash: hashEvent(stranger, forged, 12, row.prev_hash!) })
      .where('id', '=', row.id)
      .execute();
    await t.core.store.db
      .updateTable('audit_chain')
      .set({ last_hash: hashEvent(stranger, forged, 12, row.prev_hash!) })
      .execute();
    expect((await verifyAuditChain(t.core)).problem).toEqual({ seq: 12, reason: 'event changed' });
  });

  it('finds a forged event whose hash was recomputed without its predecessor', async () => {
    await sealAuditEvents(t.core);
    const row = await t.core.store.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '=', 3)
      .executeTakeFirstOrThrow();
    await t.core.store.db
      .updateTable('audit_events')
      .set({ prev_hash: 'f'.repeat(64) })
      .where('id', '=', row.id)
      .execute();
    expect((await verifyAuditChain(t.core)).problem).toEqual({
      seq: 3,
      reason: 'link to previous event broken',
    });
  });
});
