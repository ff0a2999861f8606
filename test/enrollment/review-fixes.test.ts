/** Regression tests named after what a review of self-enrollment found broken. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sweepExpiredActivations } from '../../src/enrollment/pending.js';
import { enrollMany } from '../../src/enrollment/bulk.js';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { redactPath } from '../../src/http/app.js';
import { listOutbox } from '../../src/mail/outbox.js';
import { changeTokenState } from '../../src/tokens/state.js';
import { listTokens } from '../../src/tokens/tokens.js';
import { createUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { activate, sendTo } from '../helpers/enrollment-client.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

describe.each(DATABASES)('self-enrollment review fixes on %s', (database) => {
  let smtp: TestSmtp;
  let t: TestApp;
  const send = sendTo(() => t.app);
  const codeOf = (link: string) => link.split('/enroll/')[1]!;
  const enroll = async (username: string) =>
    codeOf((await startEnrollment(t.core, ADMIN, { username, sendMail: false })).link);

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.close());
  beforeEach(async () => {
    t = await makeApp(database, { PFORTE_SMTP_URL: smtp.url });
    for (const username of ['alice', 'bob']) {
      await createUser(t.core, ADMIN, { username, email: `${username}@example.org` });
    }
  });
  afterEach(async () => t.close());

  it("does not show or complete another user's standard-app activation with one's own code", async () => {
    const alice = await enroll('alice');
    const bob = await enroll('bob');
    const bobsPage = await t.app.inject({ method: 'POST', url: `/enroll/${bob}/standard` });
    const bobsAction = /action="[^"]*\/standard\/([^"]+)"/.exec(bobsPage.body)![1]!;
    const bobsSecret = /secret=([A-Z2-7]+)/.exec(bobsPage.body)![1]!;
    const crossed = await t.app.inject({
      method: 'POST',
      url: `/enroll/${alice}/standard/${bobsAction}`,
      payload: 'otp=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(crossed.statusCode).toBe(404);
    expect(crossed.body).not.toContain(bobsSecret);
    const enrollments = (
      await t.call({ method: 'GET', url: '/api/v1/enrollments?username=bob' })
    ).json().items;
    expect(enrollments[0].state).toBe('open');
  });

  it('never turns a pending token active by disable and enable', async () => {
    await activate(send, await enroll('alice'));
    const [pending] = (await listTokens(t.core, { username: 'alice' })).items;
    expect(pending!.state).toBe('pending');
    await expect(changeTokenState(t.core, ADMIN, pending!.serial, 'disable')).rejects.toThrow(
      'cannot be disabled',
    );
    await expect(changeTokenState(t.core, ADMIN, pending!.serial, 'enable')).rejects.toThrow(
      'cannot be enabled',
    );
  });

  it('ends activations started with the old code when the link is resent, and gives the new link all attempts', async () => {
    const old = await enroll('alice');
    const started = await activate(send, old);
    for (let i = 0; i < 4; i++) await activate(send, old);
    const [enrollment] = (await t.call({ method: 'GET', url: '/api/v1/enrollments' })).json().items;
    const resent = (
      await t.call({ method: 'POST', url: `/api/v1/enrollments/${enrollment.id}/resend` })
    ).json();
    expect(resent.activationsUsed).toBe(0);
    expect((await started.confirm!()).status).toBe(404);
    expect(
      (await listTokens(t.core, { username: 'alice' })).items.filter((k) => k.state === 'pending'),
    ).toEqual([]);
    const fresh = await activate(send, codeOf(resent.link));
    expect((await fresh.confirm!()).status).toBe(200);
  });

  it('treats a code whose attempts are spent like a used one, on the page too', async () => {
    const code = await enroll('alice');
    for (let i = 0; i < 5; i++) await activate(send, code);
    expect((await t.app.inject({ method: 'GET', url: `/enroll/${code}` })).statusCode).toBe(404);
  });

  it('sweeps expired activations and their pending tokens', async () => {
    await activate(send, await enroll('alice'));
    t.clock.advance(11 * 60_000);
    expect(await sweepExpiredActivations(t.core)).toBe(1);
    expect((await listTokens(t.core, { username: 'alice' })).items).toEqual([]);
  });

  it('does not deliver the mail of a link that was replaced before it went out', async () => {
    smtp.refuseNext(1);
    const first = await t.call({
      method: 'POST',
      url: '/api/v1/enrollments',
      payload: { username: 'alice' },
    });
    expect(first.json().mail.state).toBe('queued');
    await t.call({ method: 'POST', url: '/api/v1/enrollments', payload: { username: 'alice' } });
    const states = (await listOutbox(t.core)).items.map((m) => m.state).sort();
    expect(states).toEqual(['cancelled', 'sent']);
  });

  it('keeps one open enrollment when two are started for a user at the same moment', async () => {
    const results = await Promise.allSettled([
      startEnrollment(t.core, ADMIN, { username: 'alice', sendMail: false }),
      startEnrollment(t.core, ADMIN, { username: 'alice', sendMail: false }),
    ]);
    expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    const open = (await t.call({ method: 'GET', url: '/api/v1/enrollments?state=open' })).json()
      .items;
    expect(open).toHaveLength(1);
  });
});

describe('request paths in the log', () => {
  it.each([
    ['/enroll/0123456789ABCDEFGHJKMNPQR', '/enroll/[redacted]'],
    ['/%65nroll/0123456789ABCDEFGHJKMNPQR/standard', '/%65nroll/[redacted]/standard'],
    [
      '/api/v1/activations/AAAAAAAAAAAAAAAAAAAAAA/confirm',
      '/api/v1/activations/[redacted]/confirm',
    ],
    ['/api/v1/audit?since=x', '/api/v1/audit?[query]'],
    ['/api/v1/users/alice', '/api/v1/users/alice'],
  ])('%s is logged as %s', (path, logged) => {
    expect(redactPath(path)).toBe(logged);
  });
});

describe('bulk enrollment run again', () => {
  it('mails a new link to users whose mail failed, and skips the others', async () => {
    const smtp = await startSmtpServer();
    const t = await makeApp('sqlite', { PFORTE_SMTP_URL: smtp.url, PFORTE_MAIL_MAX_ATTEMPTS: '1' });
    try {
      const rows = [
        { username: 'alice', email: 'alice@example.org' },
        { username: 'bob', email: 'bob@example.org' },
      ];
      smtp.refuseNext(1);
      const first = await enrollMany(t.core, ADMIN, rows);
      expect(first.sent).toBe(1);
      expect(first.failed).toHaveLength(1);
      const again = await enrollMany(t.core, ADMIN, rows);
      expect(again).toMatchObject({ sent: 1, failed: [] });
      expect(again.skipped).toHaveLength(1);
      expect(new Set(smtp.received.flatMap((m) => m.to))).toEqual(
        new Set(['alice@example.org', 'bob@example.org']),
      );
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});
