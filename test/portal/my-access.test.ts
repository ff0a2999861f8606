/**
 * "Mein Zugang" (My access) through HTTP, on SQLite and PostgreSQL: the user's tokens,
 * "Neues Telefon einrichten" (a self-service link; the old token works until the new one
 * is active), "Telefon verloren" (confirm, revoke at once, notice mail, session kept),
 * the services page's offer after a temporary code, the limits, and hostile input.
 * A directory user: my-access-directory.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { issueTemporaryAccess } from '../../src/temporary/temporary-access.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { activate, sendTo } from '../helpers/enrollment-client.js';
import { hiddenFields, PortalBrowser as Browser } from '../helpers/portal-client.js';
import { linkIn, parseAll, startSmtpServer, type TestSmtp } from '../helpers/smtp.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

const CONTACT = 'IT-Service, Tel. 040 1234';

describe.each(DATABASES)('My access on %s', (database) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let token: TestToken;

  async function start(env: Record<string, string> = {}) {
    t = await makeApp(database, {
      PFORTE_SMTP_URL: smtp.url,
      PFORTE_MAIL_FROM: 'IT <it@example.org>',
      PFORTE_ORGANISATION_CONTACT: CONTACT,
      ...env,
    });
    token = await addUserWithToken(t.core, 'alice');
  }
  beforeEach(async () => {
    smtp = await startSmtpServer();
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  async function signedIn(otp = token.code()): Promise<Browser> {
    const browser = new Browser(t);
    const response = await browser.signIn({ username: 'alice', otp, password: PASSWORD });
    expect(response.headers.location).toBe('/services');
    return browser;
  }
  /** Loads `page` and posts its form to `action`, as the button does. */
  async function press(browser: Browser, page: string, action: string) {
    return browser.request('POST', action, hiddenFields(await browser.request('GET', page)));
  }
  const validate = async (otp: string) =>
    (
      await t.call({
        method: 'POST',
        url: '/api/v1/validate',
        key: t.validateKey,
        payload: { username: 'alice', password: PASSWORD, otp },
      })
    ).json<{ result: string }>().result;
  const tokenState = async (serial = token.serial) =>
    (await t.core.store.db
      .selectFrom('tokens')
      .select('state')
      .where('serial', '=', serial)
      .executeTakeFirstOrThrow())!.state;
  const enrollments = () => t.core.store.db.selectFrom('enrollments').selectAll().execute();
  const audit = async (action: string) =>
    (await listAudit(t.core, { action })).items.filter((e) => e.username === 'alice');

  it('shows my tokens in German and English, and sends a stranger to the sign-in', async () => {
    await start();
    const stranger = await new Browser(t).request('GET', '/access');
    expect(stranger.statusCode).toBe(303);
    expect(stranger.headers.location).toBe('/login?return=%2Faccess');

    const browser = await signedIn();
    const services = await browser.request('GET', '/services');
    expect(services.body).toContain('<a href="/access">Mein Zugang</a>');
    expect(services.body).not.toContain('Richten Sie Ihr neues Telefon ein');

    const page = await browser.request('GET', '/access');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    for (const text of [
      '<h1>Mein Zugang</h1>',
      `Token ${token.serial}`,
      'zeitbasiert (TOTP)',
      'aktiv',
      'Eingerichtet am',
      '29. November 2026',
      'Zuletzt benutzt',
      'Sonntag, 29. November 2026 um 10:00 MEZ',
      'Neues Telefon einrichten',
      'href="/access/lost-phone"',
    ]) {
      expect(page.body).toContain(text);
    }
    const english = await browser.request('GET', '/access?lang=en');
    for (const text of ['<h1>My access</h1>', 'time-based (TOTP)', 'Set up a new phone']) {
      expect(english.body).toContain(text);
    }
  });

  it('New phone mails a link; the old token signs in until the new one is active', async () => {
    await start();
    const browser = await signedIn();
    const sent = await press(browser, '/access', '/access/new-phone');
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Wir haben einen Link an a•••@example.org geschickt.');
    expect(sent.body).toContain(
      'Ihr jetziges Telefon funktioniert weiter, bis das neue eingerichtet ist.',
    );
    expect(sent.body).not.toContain('alice@example.org');
    expect(smtp.received.map((m) => m.to)).toEqual([['alice@example.org']]);
    const [open] = await enrollments();
    expect(open).toMatchObject({ state: 'open', created_by: 'alice' });
    expect(await audit('enrollment.start')).toMatchObject([
      { actor: 'alice', face: 'portal', outcome: 'success' },
    ]);
    expect((await browser.request('GET', '/access')).body).toContain(
      'Ein Link zum Einrichten wurde am Sonntag, 29. November 2026 um 10:00 MEZ',
    );

    // The old phone still signs in while the new one is being set up…
    t.clock.advance(30_000);
    expect(await validate(token.code())).toBe('accept');
    const link = linkIn(smtp.received[0]!);
    const { confirm } = await activate(
      sendTo(() => t.app),
      link.slice(link.lastIndexOf('/') + 1),
    );
    expect((await confirm!()).status).toBe(200);
    // …and no more once it is active.
    expect(await tokenState()).toBe('revoked');
    t.clock.advance(30_000);
    expect(await validate(token.code())).toBe('reject');
  });

  it('Lost phone asks first, then revokes at once, mails the notice and keeps the session', async () => {
    await start();
    const browser = await signedIn();
    const confirm = await browser.request('GET', '/access/lost-phone');
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('<h1>Telefon verloren?</h1>');
    expect(confirm.body).toContain('Token jetzt widerrufen');
    expect(await tokenState()).toBe('active');

    const done = await browser.request('POST', '/access/lost-phone', hiddenFields(confirm));
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Ihr Token ist widerrufen.');
    expect(done.body).toContain(`wenden Sie sich an ${CONTACT} und bitten Sie um einen`);
    expect(done.body).toContain('action="/access/new-phone"');
    expect(await tokenState()).toBe('revoked');
    expect(await audit('token.revoke')).toMatchObject([
      { actor: 'alice', face: 'portal', reason: 'lost_phone', serial: token.serial },
    ]);
    const [notice] = await parseAll(smtp.received);
    expect(notice!.to).toEqual(['alice@example.org']);
    expect(notice!.parsed.subject).toBe('Pforte: Ihr Token wurde widerrufen');
    expect(notice!.parsed.text).toContain(`Wenden Sie sich an ${CONTACT}`);
    t.clock.advance(30_000);
    expect(await validate(token.code())).toBe('reject');

    // Still signed in, offered the new phone; a second report revokes and mails nothing.
    const services = await browser.request('GET', '/services');
    expect(services.statusCode).toBe(200);
    expect(services.body).toContain('Richten Sie Ihr neues Telefon ein');
    expect((await browser.request('GET', '/access')).body).toContain(
      'Sie haben kein Token, mit dem Sie sich anmelden können.',
    );
    const again = await browser.request('POST', '/access/lost-phone', hiddenFields(confirm));
    expect(again.body).toContain('Sie haben kein Token, das widerrufen werden kann.');
    expect(smtp.received).toHaveLength(1);
  });

  it('after a temporary code, the services page offers the new phone and My access shows the code', async () => {
    await start();
    await press(await signedIn(), '/access/lost-phone', '/access/lost-phone');
    const { code } = await issueTemporaryAccess(t.core, ADMIN, 'alice', { uses: 3 });
    const browser = await signedIn(code);
    const services = await browser.request('GET', '/services');
    expect(services.body).toContain('Richten Sie Ihr neues Telefon ein');
    expect(services.body).toContain('href="/access#new-phone"');
    const page = await browser.request('GET', '/access');
    expect(page.body).toContain('Ihr vorübergehender Code gilt noch für 2 Anmeldungen');
    const sent = await press(browser, '/access', '/access/new-phone');
    expect(sent.body).toContain('Wir haben einen Link an a•••@example.org geschickt.');
    expect(sent.body).not.toContain('Ihr jetziges Telefon funktioniert weiter');
  });

  it('refuses a fourth New phone in 24 hours, saying when again, and mails nothing more', async () => {
    await start();
    const browser = await signedIn();
    for (let i = 0; i < 3; i++) {
      expect((await press(browser, '/access', '/access/new-phone')).statusCode).toBe(200);
      t.clock.advance(60_000);
    }
    const refused = await press(browser, '/access', '/access/new-phone');
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Bitte warten Sie 24 Stunden');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(86_000);
    expect(smtp.received).toHaveLength(3);
    expect(await enrollments()).toHaveLength(3);
    expect(await audit('enrollment.start')).toContainEqual(
      expect.objectContaining({ outcome: 'failure', reason: 'self_service_limit' }),
    );
  });

  it('keeps to three New phone in 24 hours when many are sent at the same moment', async () => {
    await start({ PFORTE_RATE_LIMIT_PER_MINUTE: '1000' });
    const browser = await signedIn();
    const fields = hiddenFields(await browser.request('GET', '/access'));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => browser.request('POST', '/access/new-phone', fields)),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(await enrollments()).toHaveLength(3);
    expect((await audit('enrollment.start')).filter((e) => e.outcome === 'success')).toHaveLength(
      3,
    );
  });

  it('with self-service off, New phone sends the user to IT; Lost phone still revokes', async () => {
    await start({ PFORTE_ENROLLMENT_SELF_SERVICE: 'false' });
    const browser = await signedIn();
    const page = await browser.request('GET', '/access');
    expect(page.body).toContain('Ein neues Telefon richtet bei Ihnen die IT ein.');
    expect(page.body).not.toContain('action="/access/new-phone"');
    const forced = await press(browser, '/access/lost-phone', '/access/new-phone');
    expect(forced.statusCode).toBe(403);
    expect(forced.body).toContain(`Bitte wenden Sie sich an ${CONTACT}.`);
    expect(await enrollments()).toEqual([]);
    await press(browser, '/access/lost-phone', '/access/lost-phone');
    expect(await tokenState()).toBe('revoked');
  });

  it('without a registered address, New phone says to ask IT and Lost phone still revokes', async () => {
    await start();
    await t.core.store.db.updateTable('users').set({ email: '' }).execute();
    const browser = await signedIn();
    const refused = await press(browser, '/access', '/access/new-phone');
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Für Sie ist keine E-Mail-Adresse hinterlegt');
    expect(await enrollments()).toEqual([]);
    const done = await press(browser, '/access/lost-phone', '/access/lost-phone');
    expect(done.body).toContain('Ihr Token ist widerrufen.');
    expect(done.body).not.toContain('Eine Bestätigung ist an Ihre E-Mail-Adresse unterwegs.');
    expect(await tokenState()).toBe('revoked');
    expect(smtp.received).toEqual([]);
  });

  it('hostile input changes nothing and is never a 500', async () => {
    await start();
    const browser = await signedIn();
    const fields = hiddenFields(await browser.request('GET', '/access'));
    const other = await signedIn(token.code(t.clock.now() + 30_000));
    const foreign = hiddenFields(await other.request('GET', '/access'));
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const raw = (url: string, type: string | undefined, payload: string, method = 'POST') =>
      t.app.inject({
        method: method as 'POST',
        url,
        headers: { cookie, ...(type ? { 'content-type': type } : {}) },
        payload,
      });
    for (const url of ['/access/new-phone', '/access/lost-phone']) {
      const answers = [
        await browser.request('POST', url, {}),
        await browser.request('POST', url, { _csrf: 'forged' }),
        await browser.request('POST', url, { _csrf: 'x'.repeat(5000) }),
        await browser.request('POST', url, foreign),
        await new Browser(t).request('POST', url, fields),
        await raw(url, 'application/json', JSON.stringify(fields)),
        await raw(url, 'text/plain', `_csrf=${fields._csrf}`),
        await raw(url, 'multipart/form-data; boundary=x', '--x--'),
        await raw(url, 'application/x-www-form-urlencoded', '%%%&&&=='),
        await raw(url, undefined, ''),
        await raw(url, 'application/x-www-form-urlencoded', `_csrf=${'a'.repeat(10_000)}`),
        await raw(url, 'application/x-www-form-urlencoded', '', 'PUT'),
        await raw(`${url}?_csrf=${fields._csrf}`, undefined, '', 'GET'),
      ];
      expect(answers.map((a) => a.statusCode)).toEqual([
        400,
        403,
        413,
        403,
        303,
        400,
        415,
        415,
        400,
        400,
        413,
        405,
        url === '/access/lost-phone' ? 200 : 405,
      ]);
      // The form's own refusals and the parser's are pages of the portal, in its language.
      for (const refused of [answers[1]!, answers[2]!, answers[6]!]) {
        expect(refused.headers['content-type']).toMatch(/^text\/html/);
        expect(refused.body).toContain('Es wurde nichts geändert.');
      }
      expect(answers[4]!.headers.location).toBe('/login?return=%2Faccess');
    }
    expect(await tokenState()).toBe('active');
    expect(await enrollments()).toEqual([]);
    expect(smtp.received).toEqual([]);
    expect(await audit('token.revoke')).toEqual([]);
  });

  it('too many actions from one address get a page saying when again, not a 500', async () => {
    await start({ PFORTE_RATE_LIMIT_PER_MINUTE: '2' });
    const browser = await signedIn();
    const confirm = hiddenFields(await browser.request('GET', '/access/lost-phone'));
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await browser.request('POST', '/access/lost-phone', confirm));
    }
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 429]);
    expect(answers[2]!.body).toContain('Zu viele Versuche. Bitte warten Sie');
    expect(answers[2]!.headers['retry-after']).toBeDefined();
  });
});
