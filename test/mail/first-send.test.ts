/**
 * A new message is its sender's to deliver first: bulk enrollment beside the background
 * mail job (the same process's, or another server's on the same database) counts every
 * mail it sent as sent, and the job picks up only what a sender left behind. Found by
 * `npm run bench`: rows of a bulk request were reported "not delivered yet (sending)"
 * while the job was sending them.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enrollMany } from '../../src/enrollment/bulk.js';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { deliverDueMail } from '../../src/mail/outbox.js';
import { createUser } from '../../src/users/users.js';
import { ADMIN, DATABASES, makeCore, type TestCore } from '../helpers/core.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

describe.each(DATABASES)('the first delivery of a message on %s', (database) => {
  let smtp: TestSmtp;
  let t: TestCore;

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.close());
  beforeEach(async () => {
    smtp.received.length = 0;
    t = await makeCore(database, { PFORTE_SMTP_URL: smtp.url });
  });
  afterEach(async () => t.close());

  it('is bulk enrollment’s own, so the background job running beside it takes none', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({
      username: `staff${i}`,
      email: `staff${i}@example.org`,
    }));
    let jobRunning = true;
    let jobSent = 0;
    const job = (async () => {
      while (jobRunning) {
        jobSent += (await deliverDueMail(t.core)).sent;
        // Let the SMTP sockets and the enrollment run between two ticks of the job.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const summary = await enrollMany(t.core, ADMIN, rows);
    jobRunning = false;
    await job;
    expect(summary.failed).toEqual([]);
    expect(summary.sent).toBe(60);
    expect(jobSent).toBe(0);
    expect(smtp.received).toHaveLength(60);
  });

  it('goes to the background job after a minute when its sender did not deliver it', async () => {
    await createUser(t.core, ADMIN, { username: 'alice', email: 'alice@example.org' });
    await startEnrollment(t.core, ADMIN, { username: 'alice' });
    expect(await deliverDueMail(t.core)).toEqual({ sent: 0, retrying: 0, failed: 0 });
    t.clock.advance(60_000);
    expect(await deliverDueMail(t.core)).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.received.map((m) => m.to).flat()).toEqual(['alice@example.org']);
  });
});
