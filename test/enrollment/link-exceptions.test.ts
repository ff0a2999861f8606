/**
 * An enrollment link that no longer shows the steps, as its holder meets it, on SQLite and
 * PostgreSQL: an expired link offers a new one (mailed to the registered address only, at
 * most `selfServicePerDay` a day, audited with the user as the actor), a used link leads
 * to the portal, a replaced one to the newer mail, and an unknown code still gets the
 * invalid-link page. Hostile requests on the new form change nothing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { listEnrollments, startEnrollment } from '../../src/enrollment/enrollments.js';
import { maskAddress, renewExpiredEnrollment } from '../../src/enrollment/renew.js';
import { selfCaller } from '../../src/enrollment/self-service.js';
import type { PforteError } from '../../src/errors.js';
import { deliverDueMail, deliverNow } from '../../src/mail/outbox.js';
import { messagesFor } from '../../src/text/i18n.js';
import { createUser, updateUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { activate, sendTo } from '../helpers/enrollment-client.js';
import { snapshotDatabase } from '../helpers/snapshot.js';
import { sql } from 'kysely';
import { linkIn, startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

const BASE = 'https://sso.example.org';
const PORTAL = 'https://portal.example.org/';
const UNKNOWN = '0123456789ABCDEFGHJKMNPQR';
const DAY = 86_400_000;

describe.each(DATABASES)('an enrollment link that no longer shows the steps, on %s', (database) => {
  let smtp: TestSmtp;
  let t: TestApp;
  const send = sendTo(() => t.app);

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.close());
  async function start(env: Record<string, string> = {}) {
    smtp.received.length = 0;
    t = await makeApp(database, {
      PFORTE_SMTP_URL: smtp.url,
      PFORTE_PUBLIC_URL: BASE,
      PFORTE_PORTAL_URL: PORTAL,
      PFORTE_ORGANISATION_NAME: 'Hamburg-Cloud',
      // Every request here comes from one address: the per-address budget is not under test.
      PFORTE_ENROLLMENT_ACTIVATIONS_PER_MINUTE: '1000',
      ...env,
    });
    await createUser(t.core, ADMIN, {
      username: 'alice',
      email: 'alice@example.org',
      name: 'Alice Example',
      lang: 'de',
    });
  }
  beforeEach(async () => start());
  afterEach(async () => t.close());

  /** Starts an enrollment as an administrator; the code of the mailed link. */
  async function enroll(): Promise<string> {
    const response = await t.call({
      method: 'POST',
      url: '/api/v1/enrollments',
      payload: { username: 'alice' },
    });
    expect(response.statusCode).toBe(201);
    return latestMailedCode();
  }
  async function latestMailedCode(): Promise<string> {
    await deliverDueMail(t.core);
    return linkIn(smtp.received.at(-1)!).split('/enroll/')[1]!;
  }
  const expire = () => t.clock.advance(t.core.config.enrollment.lifetimeDays * DAY + 1);
  const page = (code: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: `/enroll/${code}`, headers });
  const renew = (code: string) =>
    t.app.inject({
      method: 'POST',
      url: `/enroll/${code}/renew`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
  const heading = (body: string) => /<h1>([^<]*)<\/h1>/.exec(body)?.[1];
  /** The database, enrollments and outbox included, to show a request changed nothing. */
  const everything = async () => {
    const rows = async (table: string) =>
      (await sql`select * from ${sql.table(table)} order by 1`.execute(t.core.store.db)).rows;
    return JSON.stringify([
      await snapshotDatabase(t.core),
      await rows('enrollments'),
      await rows('mail_outbox'),
    ]);
  };
  const selfServiceEvents = async () =>
    (await listAudit(t.core, { username: 'alice', action: 'enrollment.resend' })).items;

  it('offers a new link on an expired one, mails it to the registered address, and only the new one works', async () => {
    const old = await enroll();
    expire();
    const expired = await page(old);
    expect(expired.statusCode).toBe(404);
    expect(heading(expired.body)).toBe('Dieser Link ist abgelaufen');
    expect(expired.body).toContain(`action="${BASE}/enroll/${old}/renew"`);
    expect(expired.body).toContain('Neuen Link senden');

    const sent = await renew(old);
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Wir haben Ihnen einen neuen Link an a•••@example.org geschickt.');
    expect(sent.body).not.toContain('alice@example.org');
    const fresh = await latestMailedCode();
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received.at(-1)!.to).toEqual(['alice@example.org']);
    expect(fresh).not.toBe(old);

    expect((await page(fresh)).statusCode).toBe(200);
    expect(heading((await page(old)).body)).toBe('Dieser Link kann nicht verwendet werden');
    expect((await activate(send, old)).started.status).toBe(404);
    expect((await activate(send, fresh)).started.status).toBe(201);
    const [enrollment] = (await listEnrollments(t.core, { username: 'alice' })).items;
    expect(enrollment).toMatchObject({
      state: 'open',
      expiresAt: new Date(
        t.clock.now() + t.core.config.enrollment.lifetimeDays * DAY,
      ).toISOString(),
    });

    const events = await selfServiceEvents();
    expect(events).toEqual([
      expect.objectContaining({ actor: 'alice', face: 'web', outcome: 'success' }),
    ]);
    const audit = JSON.stringify((await listAudit(t.core, {})).items);
    for (const code of [old, fresh]) expect(audit).not.toContain(code);
  });

  it('tells the holder of a used link that they are set up, and leads to the portal', async () => {
    const code = await enroll();
    const app = await activate(send, code);
    expect((await app.confirm!()).status).toBe(200);
    const used = await page(code);
    expect(used.statusCode).toBe(404);
    expect(heading(used.body)).toBe('Sie sind bereits eingerichtet — melden Sie sich an');
    expect(used.body).toContain(`href="${PORTAL}"`);
    expect(used.body).not.toContain('IT-Abteilung');
    // The form posted anyway: the same page, nothing mailed.
    expect(heading((await renew(code)).body)).toBe(heading(used.body));
    await deliverDueMail(t.core);
    expect(smtp.received).toHaveLength(1);
  });

  it('does not claim a link whose attempts are spent was completed', async () => {
    const code = await enroll();
    for (let i = 0; i < t.core.config.enrollment.maxActivations; i++) await activate(send, code);
    const spent = await page(code, { 'accept-language': 'en' });
    expect(heading(spent.body)).toBe('Dieser Link wurde bereits verwendet');
    expect(spent.body).toContain(`href="${PORTAL}"`);
  });

  it('sends the holder of a replaced link to the newer mail; a cancelled one gets the invalid page', async () => {
    const first = await enroll();
    t.clock.advance(1000);
    const second = await enroll();
    const replaced = await page(first);
    expect(heading(replaced.body)).toBe('Es gibt einen neueren Link');
    expect(replaced.body).toContain('neuere E-Mail');
    const [open] = (await listEnrollments(t.core, { state: 'open' })).items;
    await t.call({ method: 'POST', url: `/api/v1/enrollments/${open!.id}/cancel` });
    expect(heading((await page(second)).body)).toBe('Dieser Link kann nicht verwendet werden');
  });

  it('answers an unknown code with the invalid-link page, on the form too, and changes nothing', async () => {
    const cancelled = await enroll();
    const [open] = (await listEnrollments(t.core, { state: 'open' })).items;
    await t.call({ method: 'POST', url: `/api/v1/enrollments/${open!.id}/cancel` });
    const before = await everything();
    const answers = [
      await page(UNKNOWN),
      await renew(UNKNOWN),
      await page(cancelled),
      await renew(cancelled),
    ];
    // Alike but for the code in the language switch's link, which is the visitor's own.
    const shown = answers.map(
      (a) => `${a.statusCode} ${a.body.replaceAll(UNKNOWN, 'CODE').replaceAll(cancelled, 'CODE')}`,
    );
    expect(new Set(shown).size).toBe(1);
    expect(answers[0]!.statusCode).toBe(404);
    expect(await everything()).toBe(before);
    await deliverDueMail(t.core);
    expect(smtp.received).toHaveLength(1);
  });

  it('allows three self-service links in 24 hours, then says how long to wait, and allows one again after', async () => {
    // Two starts from the portal ("New phone") with short links, one new link in between.
    const me = selfCaller({ username: 'alice' }, 'portal', '192.0.2.7');
    const newPhone = async () => {
      const started = await startEnrollment(t.core, me, { username: 'alice', lifetimeMs: 60_000 });
      await deliverNow(t.core, started.mail!.id);
      return latestMailedCode();
    };
    let code = await newPhone();
    t.clock.advance(2 * 60_000);
    expect((await renew(code)).statusCode).toBe(200);
    code = await newPhone();
    t.clock.advance(2 * 60_000);
    const mails = smtp.received.length;

    const refused = await renew(code);
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBe(24 * 3600 - 4 * 60);
    expect(heading(refused.body)).toBe('Es wurden schon mehrere neue Links verschickt');
    expect(refused.body).toContain('Bitte warten Sie 24 Stunden.');
    expect(refused.body).toContain('Eilt es? Dann wenden Sie sich an Ihre IT-Abteilung.');
    await deliverDueMail(t.core);
    expect(smtp.received).toHaveLength(mails);
    expect((await selfServiceEvents()).map((e) => `${e.actor} ${e.outcome}`)).toEqual([
      'alice failure',
      'alice success',
    ]);

    t.clock.advance(retryAfter * 1000);
    expect((await renew(code)).statusCode).toBe(200);
  });

  it('says whom to ask instead when policy does not allow a new link, and refuses the form', async () => {
    await t.close();
    await start({
      PFORTE_ENROLLMENT_SELF_SERVICE: 'false',
      PFORTE_ORGANISATION_CONTACT: 'den IT-Service (Telefon 1234)',
    });
    const code = await enroll();
    expire();
    const expired = await page(code);
    expect(heading(expired.body)).toBe('Dieser Link ist abgelaufen');
    expect(expired.body).not.toContain('<form');
    expect(expired.body).toContain(
      'Für einen neuen Link wenden Sie sich bitte an den IT-Service (Telefon 1234).',
    );
    const posted = await renew(code);
    expect(posted.statusCode).toBe(404);
    expect(posted.body).not.toContain('<form');
    await deliverDueMail(t.core);
    expect(smtp.received).toHaveLength(1);
    expect((await selfServiceEvents()).map((e) => e.outcome)).toEqual(['failure']);
  });

  it("speaks the user's language, else the browser's, and remembers a switch", async () => {
    const code = await enroll();
    expire();
    const own = await page(code, { 'accept-language': 'en' });
    expect(heading(own.body)).toBe('Dieser Link ist abgelaufen');
    expect(own.body).toContain(`href="${BASE}/enroll/${code}?lang=en"`);
    expect(heading((await page(UNKNOWN, { 'accept-language': 'en' })).body)).toBe(
      'This link cannot be used',
    );

    const switched = await page(`${code}?lang=en`);
    expect(heading(switched.body)).toBe('This link has expired');
    expect(switched.body).toContain('Send me a new link');
    const cookie = switched.cookies.find((c) => c.name.endsWith('pforte-lang'))!;
    expect(cookie).toMatchObject({ value: 'en', httpOnly: true, sameSite: 'Lax', path: '/' });
    const remembered = await t.app.inject({
      method: 'POST',
      url: `/enroll/${code}/renew`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `${cookie.name}=en`,
      },
      payload: '',
    });
    expect(remembered.body).toContain('We have sent a new link to a•••@example.org.');
  });

  it('renews only an expired link, in the core too', async () => {
    const from = { face: 'web', address: '192.0.2.7' } as const;
    const refusal = (code: string) =>
      renewExpiredEnrollment(t.core, from, code).then(
        () => 'renewed',
        (error: PforteError) => error.code,
      );
    const code = await enroll();
    expect(await refusal(UNKNOWN)).toBe('ERR_ENROLLMENT_CODE_INVALID');
    expect(await refusal('not a code')).toBe('ERR_ENROLLMENT_CODE_INVALID');
    expect(await refusal(code)).toBe('ERR_ENROLLMENT_STATE'); // still open
    expire();
    await updateUser(t.core, ADMIN, 'alice', { disabled: true });
    expect(await refusal(code)).toBe('ERR_ENROLLMENT_CODE_INVALID');
    expect(await selfServiceEvents()).toEqual([]);
  });

  it('renews an expired link once when its form is sent several times at the same moment', async () => {
    const old = await enroll();
    expire();
    const answers = await Promise.all(Array.from({ length: 10 }, () => renew(old)));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    expect(answers.every((a) => a.statusCode === 200 || a.statusCode === 404)).toBe(true);
    await deliverDueMail(t.core);
    expect(smtp.received).toHaveLength(2);
    expect(await selfServiceEvents()).toMatchObject([{ outcome: 'success' }]);
    const fresh = await latestMailedCode();
    expect((await page(fresh)).statusCode).toBe(200);
  });

  it('answers hostile requests on the form with a page and changes nothing', async () => {
    const code = await enroll();
    expire();
    const before = await everything();
    const path = `/enroll/${code}/renew`;
    const answers = [
      await t.app.inject({ method: 'POST', url: '/enroll/%3Cscript%3E/renew', payload: '' }),
      await t.app.inject({ method: 'POST', url: `/enroll/${'A'.repeat(300)}/renew` }),
      await t.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `x=${'y'.repeat(1024 * 1024)}`,
      }),
      await t.app.inject({ method: 'POST', url: path, payload: { renew: true } }),
      await t.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'text/plain' },
        payload: 'renew',
      }),
      await t.app.inject({ method: 'GET', url: path }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([404, 400, 413, 415, 415, 303]);
    expect(answers[0]!.body).not.toContain('<script>');
    expect(answers[2]!.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(heading(answers[3]!.body)).toBe('Diese Anfrage konnte nicht gelesen werden');
    expect(answers[5]!.headers.location).toBe(`${BASE}/enroll/${code}`);
    expect(await everything()).toBe(before);
    await deliverDueMail(t.core);
    expect(smtp.received).toHaveLength(1);
  });
});

describe('a masked address', () => {
  it.each([
    ['alice@example.org', 'a•••@example.org'],
    ['a@example.org', 'a•••@example.org'],
    ['no-at-sign', '•••'],
    ['', '•••'],
  ])('%s is shown as %s', (address, masked) => expect(maskAddress(address)).toBe(masked));
});

describe('the texts of the new link, with the plural right', () => {
  it.each([
    [1, 'Bitte warten Sie eine Sekunde.', 'please wait one second.'],
    [3600, 'Bitte warten Sie eine Stunde.', 'please wait one hour.'],
    [3601, 'Bitte warten Sie 2 Stunden.', 'please wait 2 hours.'],
    [86_400, 'Bitte warten Sie 24 Stunden.', 'please wait 24 hours.'],
  ])('%s s', (seconds, de, en) => {
    expect(messagesFor('de').link.limitText(seconds)).toContain(de);
    expect(messagesFor('en').link.limitText(seconds)).toContain(en);
  });
});
