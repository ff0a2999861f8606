/**
 * Mail in the console: the outbox filtered by state and paged, never a message's text;
 * a failed message is queued again and then delivered; what may not be retried is
 * refused with nothing changed. The same retry from REST and the CLI. Help-desk
 * operators reach none of it. On SQLite and PostgreSQL, with a real SMTP server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { resendEnrollment, startEnrollment } from '../../src/enrollment/enrollments.js';
import { deliverDueMail, deliverNow, getMail } from '../../src/mail/outbox.js';
import { createUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { signedInOperator, type ConsoleBrowser } from '../helpers/console-client.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

describe.each(DATABASES)('console mail on %s', (database) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let admin: ConsoleBrowser;
  beforeEach(async () => {
    smtp = await startSmtpServer();
    t = await makeApp(database, { PFORTE_SMTP_URL: smtp.url, PFORTE_MAIL_MAX_ATTEMPTS: '1' });
    admin = await signedInOperator(t, 'olga', 'admin');
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  /** An enrollment whose mail the SMTP server refused: failed after its one attempt. */
  const failedEnrollmentMail = async (username: string) => {
    await createUser(t.core, ADMIN, { username, email: `${username}@example.org` });
    const enrollment = await startEnrollment(t.core, ADMIN, { username });
    smtp.refuseNext(1);
    expect((await deliverNow(t.core, enrollment.mail!.id)).state).toBe('failed');
    return { enrollment, mailId: enrollment.mail!.id };
  };

  it('lists failed mail with its error, never its text, and sends it again on retry', async () => {
    const { enrollment, mailId } = await failedEnrollmentMail('alice');
    const code = enrollment.link.split('/enroll/')[1]!;
    const page = await admin.request('GET', '/admin/mail?state=failed');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<td>alice@example.org</td>');
    expect(page.body).toContain('fehlgeschlagen');
    expect(page.body).toContain('try again later');
    expect(page.body).not.toContain(code);
    expect(page.body).not.toContain('/enroll/');

    const retried = await admin.submit('/admin/mail?state=failed', `/admin/mail/${mailId}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.body).toContain(
      'Die E-Mail an alice@example.org steht wieder in der Warteschlange',
    );
    expect(await getMail(t.core, mailId)).toMatchObject({ state: 'queued', attempts: 0 });
    const [event] = (await listAudit(t.core, { action: 'mail.retry' })).items;
    expect(event).toMatchObject({ actor: 'olga', face: 'console', detail: { mailId } });
    expect((await admin.request('GET', '/admin/mail?state=failed')).body).toContain(
      'Keine E-Mails in dieser Auswahl.',
    );

    // The delivery loop sends it at its next round, with the link that still works.
    expect(await deliverDueMail(t.core)).toMatchObject({ sent: 1 });
    expect(smtp.received.map((m) => m.to)).toEqual([['alice@example.org']]);
    expect(smtp.received[0]!.raw).toContain(code);
  });

  it('refuses to retry what has not failed, or a link that no longer works', async () => {
    const { enrollment, mailId } = await failedEnrollmentMail('alice');
    // A newer link was sent meanwhile: the failed mail's link is dead.
    const resent = await resendEnrollment(t.core, ADMIN, enrollment.id);
    await deliverNow(t.core, resent.mail!.id);
    const failedBefore = await getMail(t.core, mailId);
    const page = await admin.request('GET', '/admin/mail?state=failed');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const dead = await admin.request('POST', `/admin/mail/${mailId}/retry`, { _csrf: csrf });
    expect(dead.statusCode).toBe(409);
    expect(dead.body).toContain('Senden Sie stattdessen die Einrichtung erneut');
    expect(await getMail(t.core, mailId)).toEqual(failedBefore);
    const sent = await admin.request('POST', `/admin/mail/${resent.mail!.id}/retry`, {
      _csrf: csrf,
    });
    expect(sent.statusCode).toBe(409);
    expect(sent.body).toContain('Nur eine fehlgeschlagene E-Mail kann erneut gesendet werden');
    expect(await getMail(t.core, resent.mail!.id)).toMatchObject({ state: 'sent' });
    for (const [id, status] of [
      ['no-such-message', 404],
      ['%3Cscript%3E', 404],
      ['x'.repeat(65), 404],
    ] as const) {
      const answer = await admin.request('POST', `/admin/mail/${id}/retry`, { _csrf: csrf });
      expect(answer.statusCode, id).toBe(status);
    }
    const forms: Record<string, string>[] = [{}, { _csrf: 'forged' }, { _csrf: csrf, extra: 'x' }];
    for (const form of forms) {
      const answer = await admin.request('POST', `/admin/mail/${mailId}/retry`, form);
      expect([400, 403]).toContain(answer.statusCode);
      expect(answer.body).toContain('Das Formular ist abgelaufen');
    }
    expect(await getMail(t.core, mailId)).toEqual(failedBefore);
    expect((await listAudit(t.core, { action: 'mail.retry' })).items).toEqual([]);
  });

  it('filters by state, pages without repeats, and refuses an unknown state', async () => {
    await failedEnrollmentMail('alice');
    for (let i = 0; i < 60; i++) {
      await createUser(t.core, ADMIN, { username: `u${i}`, email: `u${i}@example.org` });
      await startEnrollment(t.core, ADMIN, { username: `u${i}` });
    }
    const recipients = (body: string) =>
      [...body.matchAll(/<td>([a-z0-9]+@example\.org)<\/td>/g)].map((m) => m[1]!);
    const failed = await admin.request('GET', '/admin/mail?state=failed');
    expect(recipients(failed.body)).toEqual(['alice@example.org']);
    const seen: string[] = [];
    let url: string | undefined = '/admin/mail?state=queued';
    while (url) {
      const page = await admin.request('GET', url);
      seen.push(...recipients(page.body));
      url = /<a href="([^"]+)" rel="next">/.exec(page.body)?.[1]?.replaceAll('&amp;', '&');
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    const all = await admin.request('GET', '/admin/mail');
    expect(recipients(all.body)).toHaveLength(50);
    for (const query of ['state=lost', 'state=failed&state=sent', `state=${'x'.repeat(300)}`]) {
      const page = await admin.request('GET', `/admin/mail?${query}`);
      expect(page.statusCode, query).toBe(400);
      expect(page.body).toContain('Der Zustand ist ungültig');
    }
    expect((await admin.request('GET', '/admin/mail?cursor=bm9wZQ')).statusCode).toBe(400);
    const english = await admin.request('GET', '/admin/mail?lang=en&state=failed');
    expect(english.body).toContain('<h1>Mail</h1>');
    expect(english.body).toMatch(/>\s*Send again\s*</);
  });

  it('refuses a help-desk operator the list and the retry, and changes nothing', async () => {
    const { mailId } = await failedEnrollmentMail('alice');
    const helpdesk = await signedInOperator(t, 'hans', 'helpdesk');
    const list = await helpdesk.request('GET', '/admin/mail?state=failed');
    expect(list.statusCode).toBe(403);
    expect(list.body).not.toContain('alice@example.org');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(
      (await helpdesk.request('GET', '/admin/')).body,
    )![1]!;
    const retry = await helpdesk.request('POST', `/admin/mail/${mailId}/retry`, { _csrf: csrf });
    expect(retry.statusCode).toBe(403);
    expect(await getMail(t.core, mailId)).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('retries through REST and the CLI as well', async () => {
    // The command line below checks the link's expiry with the real clock: the server's
    // follows it (a link made at START expired for the CLI seven days after START).
    t.clock.ms = Date.now();
    const first = await failedEnrollmentMail('alice');
    const answer = await t.call({ method: 'POST', url: `/api/v1/outbox/${first.mailId}/retry` });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ id: first.mailId, state: 'queued', attempts: 0 });
    expect(answer.body).not.toContain('/enroll/');
    const again = await t.call({ method: 'POST', url: `/api/v1/outbox/${first.mailId}/retry` });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ERR_CONFLICT');
    const bad = await t.call({ method: 'POST', url: '/api/v1/outbox/%3Cx%3E/retry' });
    expect(bad.statusCode).toBe(400);

    const second = await failedEnrollmentMail('bob');
    const run = await cli(t.env, ['outbox', 'retry', second.mailId]);
    expect(run).toEqual({
      code: 0,
      stdout: `queued message ${second.mailId} to bob@example.org again\n`,
      stderr: '',
    });
    expect((await cli(t.env, ['outbox', 'retry', second.mailId])).code).toBe(1);
  });
});
