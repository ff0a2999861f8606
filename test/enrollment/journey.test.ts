/**
 * Self-enrollment as a user lives it, on SQLite and PostgreSQL: the mail arrives at a
 * real SMTP server, the link in it opens the page, a client written from DESIGN.md
 * alone activates, and a passcode from the derived seed signs in.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Secret, TOTP, URI } from 'otpauth';
import { listAudit } from '../../src/audit/record.js';
import { deliverDueMail } from '../../src/mail/outbox.js';
import { getToken, listTokens } from '../../src/tokens/tokens.js';
import { createUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { activate, sendTo } from '../helpers/enrollment-client.js';
import { snapshotDatabase } from '../helpers/snapshot.js';
import { linkIn, parseAll, startSmtpServer, type TestSmtp } from '../helpers/smtp.js';
import { addToken } from '../helpers/tokens.js';

const PHONE =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

describe.each(DATABASES)('self-enrollment on %s', (database) => {
  let smtp: TestSmtp;
  let t: TestApp;
  const send = sendTo(() => t.app);

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.close());
  beforeEach(async () => {
    smtp.received.length = 0;
    t = await makeApp(database, {
      PFORTE_SMTP_URL: smtp.url,
      PFORTE_MAIL_FROM: 'Hamburg-Cloud IT <it@example.org>',
      PFORTE_PUBLIC_URL: 'https://sso.example.org',
      PFORTE_ORGANISATION_NAME: 'Hamburg-Cloud',
    });
    await createUser(t.core, ADMIN, {
      username: 'alice',
      email: 'alice@example.org',
      name: 'Alice Example',
      lang: 'de',
      password: 'correct horse battery',
    });
  });
  afterEach(async () => t.close());

  async function enrollAlice(): Promise<string> {
    const response = await t.call({
      method: 'POST',
      url: '/api/v1/enrollments',
      payload: { username: 'alice' },
    });
    expect(response.statusCode).toBe(201);
    await deliverDueMail(t.core);
    const mail = smtp.received.at(-1)!;
    return linkIn(mail);
  }
  const codeOf = (link: string) => link.split('/enroll/')[1]!;
  const page = (link: string, ua = PHONE) =>
    t.app.inject({
      method: 'GET',
      url: new URL(link).pathname,
      headers: { 'user-agent': ua, 'accept-language': 'en' },
    });

  it('mails the link, the page hands it to the app, the app activates, the passcode signs in', async () => {
    const oldToken = await addToken(t.core, 'alice');
    const link = await enrollAlice();

    const [mail] = await parseAll(smtp.received);
    expect(mail!.to).toEqual(['alice@example.org']);
    expect(mail.parsed.from?.value[0]).toMatchObject({
      name: 'Hamburg-Cloud IT',
      address: 'it@example.org',
    });
    expect(mail.parsed.subject).toContain('Hamburg-Cloud');
    expect(mail.parsed.text).toContain('Smartphone');
    expect(mail.parsed.html).toContain(link);
    expect(link).toMatch(/^https:\/\/sso\.example\.org\/enroll\/[0-9A-Z]{25}$/);

    const opened = await page(link);
    expect(opened.statusCode).toBe(200);
    expect(opened.headers['cache-control']).toBe('no-store');
    expect(opened.headers['referrer-policy']).toBe('no-referrer');
    expect(opened.headers['content-security-policy']).toContain("script-src 'self'");
    expect(opened.body).toContain(`https://sso.example.org/app/#enroll=${codeOf(link)}`);
    expect(opened.body).toContain(codeOf(link).match(/.{5}/g)!.join('-'));
    await page(link); // opened twice (mail scanners do): the code is not spent
    expect(
      (await t.call({ method: 'GET', url: '/api/v1/enrollments' })).json().items[0],
    ).toMatchObject({
      state: 'open',
      activationsUsed: 0,
      mail: { state: 'sent' },
    });

    const app = await activate(send, codeOf(link).toLowerCase().match(/.{5}/g)!.join(' '));
    expect(app.started.status).toBe(201);
    expect(app.offer).toMatchObject({
      token: {
        type: 'totp',
        algorithm: 'SHA1',
        digits: 6,
        period: 30,
        issuer: 'Hamburg-Cloud',
        label: 'alice',
      },
      pin: { minLength: 6, maxAttempts: 5 },
    });
    expect(Buffer.from(app.offer!.salt, 'base64url')).toHaveLength(32);
    const confirmed = await app.confirm!();
    expect(confirmed).toEqual({
      status: 200,
      body: { serial: app.offer!.token.serial, state: 'active' },
    });

    const code = new TOTP({ secret: new Secret({ buffer: app.seed!.slice().buffer }) }).generate({
      timestamp: t.clock.now(),
    });
    const signIn = await t.call({
      method: 'POST',
      url: '/api/v1/validate',
      key: t.validateKey,
      payload: { username: 'alice', password: 'correct horse battery', otp: code },
    });
    expect(signIn.json()).toEqual({ result: 'accept' });
    expect((await getToken(t.core, oldToken.serial)).state).toBe('revoked');
    const enrollment = (await t.call({ method: 'GET', url: '/api/v1/enrollments' })).json()
      .items[0];
    expect(enrollment).toMatchObject({ state: 'done', tokenSerial: app.offer!.token.serial });
    const actions = (await listAudit(t.core, { username: 'alice' })).items.map(
      (e) => `${e.action}:${e.outcome}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'enrollment.start:success',
        'enrollment.activate:success',
        'enrollment.confirm:success',
        'signin:accept',
      ]),
    );
    expect((await page(link)).statusCode).toBe(404); // used: the friendly page
  });

  it('explains the steps for the device the link is opened on', async () => {
    const link = await enrollAlice();
    const iphone = await page(
      link,
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    );
    expect(iphone.body).toContain('Home-Bildschirm'); // Alice's language is German
    expect(iphone.body).toContain('data-copy="enrollment-string"');
    expect(iphone.body).toContain('https://sso.example.org/help/iphone');
    const computer = await page(
      link,
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    );
    expect(computer.body).toContain('<svg');
    expect(computer.body).toMatch(/Smartphone/);
    const css = await t.app.inject({ method: 'GET', url: '/assets/pforte.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('writes the mail in English for English users, and the link must be opened on the phone', async () => {
    await t.call({ method: 'PATCH', url: '/api/v1/users/alice', payload: { lang: 'en' } });
    await enrollAlice();
    const [mail] = await parseAll(smtp.received);
    expect(mail!.parsed.text).toMatch(/smartphone/i);
    expect(mail!.parsed.text).toContain('Alice Example');
  });

  it('answers a used, expired, cancelled, replaced or unknown code alike at the API, and the pages say which', async () => {
    const first = codeOf(await enrollAlice());
    t.clock.advance(1000);
    const second = codeOf(await enrollAlice()); // a new enrollment cancels the open one
    const unknown = '0123456789ABCDEFGHJKMNPQR';
    const answers = [];
    for (const code of [first, unknown]) answers.push((await activate(send, code)).started);
    t.clock.advance(8 * 86_400_000);
    answers.push((await activate(send, second)).started);
    for (const answer of answers) {
      expect(answer).toEqual({
        status: 404,
        body: {
          error: {
            code: 'ERR_ENROLLMENT_CODE_INVALID',
            message: expect.stringContaining('Ask for a new enrollment'),
          },
        },
      });
    }
    // The pages tell the holder of a real link what to do (link-exceptions.test.ts);
    // each answers 404, and an unknown code still gets the invalid-link page.
    const pages = await Promise.all(
      [first, unknown, second].map((c) => page(`https://x/enroll/${c}`)),
    );
    expect(pages.map((p) => p.statusCode)).toEqual([404, 404, 404]);
    expect(pages.map((p) => /<h1>([^<]*)<\/h1>/.exec(p.body)![1])).toEqual([
      'Es gibt einen neueren Link', // in Alice's language
      'This link cannot be used', // in the browser's: nobody's link
      'Dieser Link ist abgelaufen',
    ]);
  });

  it('cancels and resends: only the newest link works', async () => {
    const first = codeOf(await enrollAlice());
    const [enrollment] = (
      await t.call({ method: 'GET', url: '/api/v1/enrollments?state=open' })
    ).json().items;
    const resent = await t.call({
      method: 'POST',
      url: `/api/v1/enrollments/${enrollment.id}/resend`,
    });
    expect(resent.statusCode).toBe(200);
    await deliverDueMail(t.core);
    const second = codeOf(linkIn(smtp.received.at(-1)!));
    expect(second).not.toBe(first);
    expect((await activate(send, first)).started.status).toBe(404);
    const cancelled = await t.call({
      method: 'POST',
      url: `/api/v1/enrollments/${enrollment.id}/cancel`,
    });
    expect(cancelled.json().state).toBe('cancelled');
    expect((await activate(send, second)).started.status).toBe(404);
    expect(
      (await t.call({ method: 'POST', url: `/api/v1/enrollments/${enrollment.id}/cancel` }))
        .statusCode,
    ).toBe(409);
  });

  it('allows 5 activations per enrollment, and an unconfirmed one expires after 10 minutes', async () => {
    const code = codeOf(await enrollAlice());
    const attempts = [];
    for (let i = 0; i < 5; i++) attempts.push(await activate(send, code));
    expect(attempts.map((a) => a.started.status)).toEqual([201, 201, 201, 201, 201]);
    expect((await activate(send, code)).started.status).toBe(404);
    t.clock.advance(11 * 60_000);
    const late = await attempts[0]!.confirm!();
    expect(late).toMatchObject({
      status: 404,
      body: { error: { code: 'ERR_ACTIVATION_INVALID' } },
    });
  });

  it('refuses a wrong proof, removes that token, and lets the app start again', async () => {
    const code = codeOf(await enrollAlice());
    const app = await activate(send, code);
    const wrong = await app.confirm!(Buffer.alloc(32, 1).toString('base64url'));
    expect(wrong).toMatchObject({ status: 400, body: { error: { code: 'ERR_ACTIVATION_PROOF' } } });
    expect((await app.confirm!()).status).toBe(404); // that activation is over
    expect(
      (await listTokens(t.core, { username: 'alice' })).items.filter((k) => k.state === 'pending'),
    ).toEqual([]);
    const again = await activate(send, code);
    expect((await again.confirm!()).status).toBe(200);
  });

  it('lets exactly one of two phones racing to confirm win', async () => {
    const code = codeOf(await enrollAlice());
    const phones = [await activate(send, code), await activate(send, code)];
    const results = await Promise.all(phones.map((p) => p.confirm!()));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('ERR_ENROLLMENT_COMPLETED');
    const tokens = (await listTokens(t.core, { username: 'alice' })).items;
    expect(tokens.map((k) => k.state)).toEqual(['active']);
    expect(tokens[0]!.serial).toBe(results.find((r) => r.status === 200)!.body.serial);
  });

  it('offers other authenticator apps an otpauth QR code; one valid passcode activates', async () => {
    const link = await enrollAlice();
    const path = `${new URL(link).pathname}/standard`;
    const offer = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'accept-language': 'en' },
    });
    expect(offer.statusCode).toBe(200);
    expect(offer.headers['cache-control']).toBe('no-store');
    const uri = /otpauth:\/\/totp\/[^"<\s]+/.exec(offer.body.replaceAll('&amp;', '&'))![0];
    const totp = URI.parse(uri) as TOTP;
    expect(totp).toBeInstanceOf(TOTP);
    expect(uri).toContain('issuer=Hamburg-Cloud');
    const action = new URL(/action="([^"]+\/standard\/[^"]+)"/.exec(offer.body)![1]!).pathname;
    const form = (otp: string) =>
      t.app.inject({
        method: 'POST',
        url: action,
        payload: `otp=${otp}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const now = totp.generate({ timestamp: t.clock.now() });
    const wrong = await form(now === '000000' ? '111111' : '000000');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('role="alert"');
    const right = await form(now);
    expect(right.statusCode).toBe(200);
    const [token] = (await listTokens(t.core, { username: 'alice' })).items;
    expect(token).toMatchObject({ state: 'active' });
    const signIn = (otp: string) =>
      t.call({
        method: 'POST',
        url: '/api/v1/validate',
        key: t.validateKey,
        payload: { username: 'alice', otp },
      });
    expect((await signIn(now)).json()).toEqual({ result: 'reject' }); // the activating code is used
    t.clock.advance(30_000);
    expect((await signIn(totp.generate({ timestamp: t.clock.now() }))).json()).toEqual({
      result: 'accept',
    });
  });

  it('keeps an enrollment whose mail could not be sent, and retries it with back-off', async () => {
    smtp.refuseNext(1);
    const started = await t.call({
      method: 'POST',
      url: '/api/v1/enrollments',
      payload: { username: 'alice' },
    });
    expect(started.statusCode).toBe(201);
    expect(started.json().mail).toMatchObject({
      state: 'queued',
      lastError: expect.stringContaining('try again later'),
    });
    const [enrollment] = (await t.call({ method: 'GET', url: '/api/v1/enrollments' })).json().items;
    expect(enrollment.mail).toMatchObject({
      state: 'queued',
      lastError: expect.stringContaining('try again later'),
    });
    expect(await deliverDueMail(t.core)).toEqual({ sent: 0, retrying: 0, failed: 0 }); // not due yet
    t.clock.advance(60_000);
    expect(await deliverDueMail(t.core)).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const sent = (
      await t.call({ method: 'GET', url: `/api/v1/enrollments/${enrollment.id}` })
    ).json();
    expect(sent.mail.state).toBe('sent');
  });

  it('refuses bad input at every enrollment endpoint and changes nothing', async () => {
    const code = codeOf(await enrollAlice());
    const before = await snapshotDatabase(t.core);
    const point = Buffer.alloc(65, 4).toString('base64url');
    const cases: [string, string, unknown, number][] = [
      ['POST', '/api/v1/activations', { code }, 400],
      ['POST', '/api/v1/activations', { code, publicKey: 'not a key!' }, 400],
      ['POST', '/api/v1/activations', { code, publicKey: point }, 400],
      ['POST', '/api/v1/activations', { code, publicKey: point, admin: true }, 400],
      ['POST', '/api/v1/activations', { code: "' OR 1=1 --", publicKey: point }, 400],
      ['POST', '/api/v1/activations', { code: 'x'.repeat(5000), publicKey: point }, 400],
      ['POST', '/api/v1/activations/..%2F..%2Fetc/confirm', { proof: 'x' }, 404],
      ['POST', '/api/v1/activations/AAAAAAAAAAAAAAAAAAAAAA/confirm', { proof: 'x' }, 404],
      ['POST', '/api/v1/activations/AAAAAAAAAAAAAAAAAAAAAA/confirm', { proof: 12 }, 400],
      ['POST', '/api/v1/enrollments', { username: "x'; DROP TABLE users; --" }, 400],
      ['POST', '/api/v1/enrollments', { username: 'alice', lifetime: '7 weeks' }, 400],
      ['POST', '/api/v1/enrollments', { username: 'nobody' }, 404],
      ['POST', '/api/v1/enrollments/ENXXXXXXXXXX/resend', undefined, 404],
      ['POST', '/api/v1/enrollments/bulk', { rows: 'alice' }, 400],
    ];
    for (const [method, url, payload, status] of cases) {
      const response = await t.call({
        method: method as 'POST',
        url,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      expect({ url, payload, status: response.statusCode }).toEqual({ url, payload, status });
      expect(response.json().error.code).toMatch(/^ERR_/);
    }
    const pageCases = [
      '/enroll/%00',
      `/enroll/${'A'.repeat(300)}`,
      "/enroll/'%20OR%201=1",
      '/enroll/<script>',
    ];
    for (const url of pageCases) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    }
    expect(await snapshotDatabase(t.core)).toBe(before);
  });
});

describe('enrollment mail headers', () => {
  it('cannot be given extra headers through a name', async () => {
    const smtp = await startSmtpServer();
    const { createSmtpMailer } = await import('../../src/mail/mailer.js');
    const mailer = createSmtpMailer(smtp.url, 'Pforte <pforte@example.org>');
    try {
      await mailer.send({
        to: { name: 'Eve\r\nBcc: all@example.org', address: 'eve@example.org' },
        subject: 'Hello',
        text: 'x',
        html: '<p>x</p>',
      });
      await parseAll(smtp.received);
      expect(smtp.received[0]!.to).toEqual(['eve@example.org']);
      expect(smtp.received[0]!.parsed.bcc).toBeUndefined();
      expect(smtp.received[0]!.raw).not.toMatch(/^Bcc:/im);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });
});
