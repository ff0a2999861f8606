/**
 * The console's enrollments (issue 12, item 4): every enrollment, filtered by state
 * (expired: open past its lifetime), bulk run and the day it started, a page at a time;
 * a CSV export of the filtered view; and "Remind all pending
 * (Alle offenen erinnern)" after a confirmation page: one mail to each open enrollment,
 * with a renewed lifetime, and nothing for the done, expired or cancelled ones. A
 * help-desk operator reads the list but may not remind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { createBulkRun } from '../../src/enrollment/bulk-runs.js';
import { tickBulkRuns } from '../../src/enrollment/bulk-run-worker.js';
import {
  cancelEnrollment,
  getEnrollment,
  startEnrollment,
} from '../../src/enrollment/enrollments.js';
import { listOutbox } from '../../src/mail/outbox.js';
import { createUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { signedInOperator, type ConsoleBrowser } from '../helpers/console-client.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { activate, sendTo } from '../helpers/enrollment-client.js';
import { hiddenFields } from '../helpers/portal-client.js';

const DAY = 86_400_000;

/** The usernames of the list's rows, in order. */
const usernamesIn = (body: string) =>
  [...body.matchAll(/<td><a href="\/admin\/users\/[^"]+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]);

describe.each(DATABASES)('enrollments in the console on %s', (database) => {
  let t: TestApp;
  let admin: ConsoleBrowser;
  const send = sendTo(() => t.app);
  const enroll = async (username: string, lifetimeMs?: number) => {
    await createUser(t.core, ADMIN, { username, email: `${username}@example.org` });
    return startEnrollment(t.core, ADMIN, { username, ...(lifetimeMs ? { lifetimeMs } : {}) });
  };

  beforeEach(async () => {
    t = await makeApp(database);
    admin = await signedInOperator(t, 'olga', 'admin');
  });
  afterEach(async () => t.close());

  /** One enrollment in each state: open (2), done, expired, cancelled. */
  async function everyState() {
    const open1 = await enroll('open1');
    const open2 = await enroll('open2');
    const done = await enroll('done1');
    const { confirm } = await activate(send, done.link.split('/enroll/')[1]!);
    expect((await confirm!()).status).toBe(200);
    const expired = await enroll('expired1', 60 * 60_000);
    const cancelled = await enroll('cancelled1');
    await cancelEnrollment(t.core, ADMIN, cancelled.id);
    t.clock.advance(2 * 60 * 60_000);
    // Two hours on, the console asks the operator to sign in again.
    await admin.signInNow();
    return { open1, open2, done, expired, cancelled };
  }

  it('filters by state as the overview links to it, expired meaning open past its lifetime', async () => {
    await everyState();
    const state = async (name: string) =>
      usernamesIn((await admin.request('GET', `/admin/enrollments?state=${name}`)).body).sort();
    expect(await state('open')).toEqual(['open1', 'open2']);
    expect(await state('done')).toEqual(['done1']);
    expect(await state('expired')).toEqual(['expired1']);
    expect(await state('cancelled')).toEqual(['cancelled1']);
    const all = await admin.request('GET', '/admin/enrollments?lang=en');
    expect(all.statusCode).toBe(200);
    expect(usernamesIn(all.body)).toHaveLength(5);
    expect(all.body).toContain('<span class="state state-expired">expired</span>');
    expect(all.body).toContain('<option value="open" ');
    const bad = await admin.request('GET', '/admin/enrollments?state=lost');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The filter is not valid');
  });

  it('filters by bulk run and by the day started, and pages 50 at a time', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({
      username: `staff${String(i).padStart(2, '0')}`,
      email: `staff${i}@example.org`,
    }));
    const run = await createBulkRun(t.core, ADMIN, { rows, source: { kind: 'list' } });
    await tickBulkRuns(t.core, { worker: 'server' });
    t.clock.advance(3 * DAY);
    await admin.signInNow();
    await enroll('later');
    const today = new Date(t.clock.now()).toISOString().slice(0, 10);

    const first = await admin.request('GET', `/admin/enrollments?batch=${run.id.toLowerCase()}`);
    expect(usernamesIn(first.body)).toHaveLength(50);
    expect(first.body).toContain(`<a href="/admin/bulk/${run.id}"><code>${run.id}</code></a>`);
    const next = /<a href="([^"]+)" rel="next">/.exec(first.body)![1]!.replaceAll('&amp;', '&');
    const second = await admin.request('GET', next);
    expect(usernamesIn(second.body)).toHaveLength(10);
    expect(second.body).not.toContain('rel="next"');
    expect(new Set([...usernamesIn(first.body), ...usernamesIn(second.body)]).size).toBe(60);

    const byDay = await admin.request('GET', `/admin/enrollments?from=${today}&to=${today}`);
    expect(usernamesIn(byDay.body)).toEqual(['later']);
    const before = await admin.request('GET', `/admin/enrollments?to=2026-11-29`);
    expect(usernamesIn(before.body)).toHaveLength(50);
    expect((await admin.request('GET', '/admin/enrollments?from=29.11.2026')).statusCode).toBe(400);
    expect((await admin.request('GET', '/admin/enrollments?batch=x')).statusCode).toBe(400);
    expect((await admin.request('GET', '/admin/enrollments?cursor=AAAA')).statusCode).toBe(400);
  });

  it('exports the filtered view as CSV', async () => {
    await everyState();
    const csv = await admin.request('GET', '/admin/enrollments.csv?state=open');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="enrollments.csv"');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'id,username,state,createdAt,expiresAt,completedAt,mail,batch,tokenSerial',
    );
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[1])
        .sort(),
    ).toEqual(['open1', 'open2']);
    expect(lines.slice(1).every((line) => line.split(',')[2] === 'open')).toBe(true);
    const page = await admin.request('GET', '/admin/enrollments?state=open');
    expect(page.body).toContain('href="/admin/enrollments.csv?state=open"');
  });

  it('reminds each open enrollment once, after asking, with a renewed expiry, and leaves the others', async () => {
    const { open1, open2, done, expired, cancelled } = await everyState();
    const before = {
      done: await getEnrollment(t.core, done.id),
      expired: await getEnrollment(t.core, expired.id),
      cancelled: await getEnrollment(t.core, cancelled.id),
    };
    const mailsBefore = (await listOutbox(t.core)).items.length;

    const list = await admin.request('GET', '/admin/enrollments');
    expect(list.body).toMatch(/href="\/admin\/enrollments\/remind"\s*>Alle offenen erinnern</);
    const confirm = await admin.request('GET', '/admin/enrollments/remind');
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('2 offene Einrichtungen erhalten je eine neue E-Mail');
    // Asking changes nothing.
    expect((await listOutbox(t.core)).items).toHaveLength(mailsBefore);

    t.clock.advance(DAY);
    await admin.signInNow();
    const reminded = await admin.submit('/admin/enrollments/remind', '/admin/enrollments/remind', {
      batch: '',
    });
    expect(reminded.statusCode).toBe(200);
    expect(reminded.body).toContain('2 Einrichtungen erinnert.');
    expect(reminded.body).toContain('0 E-Mails gesendet, 2 im Postausgang.');

    const mails = (await listOutbox(t.core, { limit: 1000 })).items.slice(
      0,
      (await listOutbox(t.core, { limit: 1000 })).items.length - mailsBefore,
    );
    expect(mails.map((m) => m.to).sort()).toEqual(['open1@example.org', 'open2@example.org']);
    for (const open of [open1, open2]) {
      const now = await getEnrollment(t.core, open.id);
      expect(now.state).toBe('open');
      expect(Date.parse(now.expiresAt)).toBe(t.clock.now() + 7 * DAY);
    }
    expect(await getEnrollment(t.core, done.id)).toEqual(before.done);
    expect(await getEnrollment(t.core, expired.id)).toEqual(before.expired);
    expect(await getEnrollment(t.core, cancelled.id)).toEqual(before.cancelled);

    const audit = (await listAudit(t.core, { limit: 100 })).items;
    expect(audit.filter((e) => e.action === 'enrollment.resend').map((e) => e.actor)).toEqual([
      'olga',
      'olga',
    ]);
    expect(audit.find((e) => e.action === 'enrollment.remind')).toMatchObject({
      actor: 'olga',
      face: 'console',
      detail: { reminded: 2, stored: 2 },
    });
  });

  it('lets a help-desk operator read the list, but not remind: 403, nothing mailed', async () => {
    await everyState();
    const mails = (await listOutbox(t.core)).items.length;
    const helpdesk = await signedInOperator(t, 'hans', 'helpdesk');
    const list = await helpdesk.request('GET', '/admin/enrollments');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('Alle offenen erinnern');
    expect((await helpdesk.request('GET', '/admin/enrollments/remind')).statusCode).toBe(403);
    const csrf = hiddenFields(list)._csrf!;
    const posted = await helpdesk.request('POST', '/admin/enrollments/remind', {
      _csrf: csrf,
      batch: '',
    });
    expect(posted.statusCode).toBe(403);
    expect(posted.body).toContain('Es wurde nichts geändert.');
    expect((await listOutbox(t.core)).items).toHaveLength(mails);
    const noToken = await admin.request('POST', '/admin/enrollments/remind', { batch: '' });
    expect(noToken.statusCode).toBe(403);
    expect((await listOutbox(t.core)).items).toHaveLength(mails);
  });
});
