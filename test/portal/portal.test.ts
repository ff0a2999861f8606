/**
 * The sign-in portal through HTTP, on SQLite and PostgreSQL: the seed's page, one
 * generic failure, sessions (new id, idle and absolute end, sign-out), return addresses,
 * CSRF, hostile input, and the forward-authentication check.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DATABASES } from '../helpers/core.js';
import { hiddenFields, PortalBrowser as Browser } from '../helpers/portal-client.js';
import { addUserWithToken, type TestToken } from '../helpers/tokens.js';
import { PASSWORD_MAX, USERNAME_MAX } from '../../src/users/fields.js';

const SERVICES = JSON.stringify([
  { name: 'Mail', description: 'Webmail', url: 'https://mail.example.org/' },
  { name: 'Wiki', url: 'https://wiki.example.org/start' },
]);

describe.each(DATABASES)('the sign-in portal on %s', (database) => {
  let t: TestApp;
  let token: TestToken;
  const password = 'correct horse battery';

  beforeEach(async () => {
    t = await makeApp(database, {
      PFORTE_PORTAL_SERVICES: SERVICES,
      PFORTE_PORTAL_NAME: 'Hamburg-Cloud',
    });
    token = await addUserWithToken(t.core, 'alice', { password });
  });
  afterEach(async () => t.close());

  it('shows the seed’s page: texts, then Benutzername, Token Code, Kennwort, Anmelden', async () => {
    const page = await new Browser(t).request('GET', '/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="de">');
    const body = page.body.slice(page.body.indexOf('<main'));
    expect(page.body).toContain('Hamburg-Cloud');
    const order = [
      'Willkommen',
      'Bitte melden Sie sich an.',
      'Benutzername',
      'Token Code',
      'Kennwort',
      'Anmelden',
    ];
    const positions = order.map((text) => body.indexOf(text));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(body).toMatch(
      /<label for="otp">Token Code<\/label>\s*<input\s+id="otp"[^>]*inputmode="numeric"[^>]*autocomplete="one-time-code"/,
    );
    expect(body).toMatch(/id="username"[^>]*autocomplete="username"/);
    expect(body).toMatch(/id="password"[^>]*type="password"[^>]*autocomplete="current-password"/);
    expect(body).toContain('href="/help/enrollment"');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.headers['strict-transport-security']).toBeUndefined(); // http here

    const english = await t.app.inject({ method: 'GET', url: '/login?lang=en' });
    expect(english.body).toContain('<html lang="en">');
    for (const text of [
      'Welcome',
      'Please sign in.',
      'Username',
      'Token code',
      'Password',
      'Sign in',
    ]) {
      expect(english.body).toContain(text);
    }
    // Remembered: the cookie chooses the language over the browser's.
    const remembered = english.headers['set-cookie'];
    expect([remembered].flat().join()).toMatch(/pforte-lang=en/);
  });

  it('signs in with username, code and password, with a new session, and signs out', async () => {
    const browser = new Browser(t);
    // A session id planted by someone else (fixation) is never the one signed in.
    const planted = 'x'.repeat(43);
    browser.cookies.set('pforte-session', planted);
    const response = await browser.signIn({ username: 'Alice', otp: token.code(), password });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/services');
    const set = [response.headers['set-cookie']]
      .flat()
      .find((c) => c!.startsWith('pforte-session='))!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    const sessionToken = browser.cookies.get('pforte-session')!;
    expect(sessionToken).toMatch(/^[\w-]{43}$/);
    // Only the token's hash is stored.
    const rows = await t.core.store.db.selectFrom('sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(sessionToken);

    const services = await browser.request('GET', '/services');
    expect(services.statusCode).toBe(200);
    expect(services.body).toContain('Angemeldet als');
    expect(services.body).toContain('<a href="https://mail.example.org/">Mail</a>');
    expect(services.body).toContain('Webmail');
    expect(services.body).toContain('Abmelden');
    const check = await browser.request('GET', '/auth/check');
    expect(check.statusCode).toBe(200);
    expect(check.headers['x-pforte-user']).toBe('alice');

    expect(sessionToken).not.toBe(planted);
    // Signing in again, signed in: a new session, and the old one is gone from the database.
    const again = await browser.request('POST', '/login', {
      ...hiddenFields(await browser.request('GET', '/services')),
      username: 'alice',
      otp: token.code(t.clock.now() + 30_000),
      password,
    });
    t.clock.advance(30_000);
    expect(again.statusCode).toBe(303);
    const renewed = browser.cookies.get('pforte-session')!;
    expect(renewed).not.toBe(sessionToken);
    expect(await t.core.store.db.selectFrom('sessions').selectAll().execute()).toHaveLength(1);
    expect((await browser.request('GET', '/auth/check')).statusCode).toBe(200);
    const stale = new Browser(t);
    stale.cookies.set('pforte-session', sessionToken);
    expect((await stale.request('GET', '/auth/check')).statusCode).toBe(401);
    // Signed in, the sign-in page sends the browser on.
    expect((await browser.request('GET', '/login')).headers.location).toBe('/services');

    const out = await browser.request('POST', '/logout', hiddenFields(services));
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/login?signedout=1');
    expect((await browser.request('GET', '/auth/check')).statusCode).toBe(401);
    expect(await t.core.store.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
    expect((await browser.request('GET', '/login?signedout=1')).body).toContain(
      'Sie haben sich abgemeldet.',
    );

    const events = (await listAudit(t.core, { username: 'alice' })).items;
    expect(
      events.filter((e) => e.action === 'signin' && e.face === 'portal').length,
    ).toBeGreaterThan(0);
  });

  it('gives one message for a wrong password, a wrong code, an unknown user and a replay', async () => {
    const code = token.code();
    const wrong = [
      { username: 'alice', otp: code, password: 'wrong' },
      { username: 'alice', otp: code === '000000' ? '111111' : '000000', password },
      { username: 'mallory', otp: code, password },
    ];
    const pages = [];
    for (const fields of wrong) pages.push(await new Browser(t).signIn(fields));
    const first = await new Browser(t).signIn({ username: 'alice', otp: code, password });
    expect(first.statusCode).toBe(303);
    pages.push(await new Browser(t).signIn({ username: 'alice', otp: code, password }));
    for (const page of pages) {
      expect(page.statusCode).toBe(401);
      expect(page.body).toContain('Anmeldung fehlgeschlagen.');
      expect(page.body).toMatch(/id="password"(?![^>]*value=)/);
      expect(page.body).toMatch(/id="otp"(?![^>]*value=)/);
    }
    expect(pages[0]!.body).toContain('value="alice"');
    expect(new Set(pages.map((p) => p.body.match(/<p class="alert"[^]*?<\/p>/)![0])).size).toBe(1);
  });

  it('says when to try again under back-off, without saying whether the user exists', async () => {
    for (const username of ['alice', 'nobody']) {
      let last;
      for (let i = 0; i < 5; i++)
        last = await new Browser(t).signIn({ username, otp: '123456', password: 'x' });
      expect(last!.statusCode).toBe(429);
      expect(last!.headers['retry-after']).toMatch(/^\d+$/);
      expect(last!.body).toMatch(/Bitte warten Sie (eine (Sekunde|Minute)|\d+ (Sekunden|Minuten))/);
    }
  });

  it('ends sessions after 30 idle minutes and after 8 hours however busy', async () => {
    const browser = new Browser(t);
    await browser.signIn({ username: 'alice', otp: token.code(), password });
    t.clock.advance(29 * 60_000);
    expect((await browser.request('GET', '/auth/check')).statusCode).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await browser.request('GET', '/auth/check')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    const idle = await browser.request('GET', '/services');
    expect(idle.statusCode).toBe(303);
    expect(idle.headers.location).toBe('/login?return=%2Fservices&expired=1');

    t.clock.advance(60_000);
    const busy = new Browser(t);
    await busy.signIn({ username: 'alice', otp: token.code(), password });
    for (let hour = 0; hour < 8; hour++) {
      t.clock.advance(20 * 60_000);
      expect((await busy.request('GET', '/auth/check')).statusCode).toBe(200);
      t.clock.advance(20 * 60_000);
      expect((await busy.request('GET', '/auth/check')).statusCode).toBe(200);
      t.clock.advance(20 * 60_000);
      if (hour < 7) expect((await busy.request('GET', '/auth/check')).statusCode).toBe(200);
    }
    expect((await busy.request('GET', '/auth/check')).statusCode).toBe(401);
  });

  it.each([
    ['a path on Pforte', '/services', '/services'],
    [
      'a configured service',
      'https://mail.example.org/inbox?id=1',
      'https://mail.example.org/inbox?id=1',
    ],
    ['another host', 'https://evil.example/', '/services'],
    ['a protocol-relative address', '//evil.example/', '/services'],
    ['a backslash trick', '/\\evil.example/', '/services'],
    ['a look-alike suffix', 'https://mail.example.org.evil.example/', '/services'],
    ['a userinfo trick', 'https://mail.example.org@evil.example/', '/services'],
    ['javascript:', 'javascript:alert(1)', '/services'],
    ['a data: URL', 'data:text/html,hi', '/services'],
    ['a path with non-ASCII characters (encoded)', '/berichte/€', '/berichte/%E2%82%AC'],
  ])('returns after sign-in only to allowed places: %s', async (_name, target, expected) => {
    const browser = new Browser(t);
    const response = await browser.signIn(
      { username: 'alice', otp: token.code(), password },
      `/login?return=${encodeURIComponent(target)}`,
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(expected);
  });

  it('answers too many posts from one address with the page and when to try again', async () => {
    const limited = await makeApp(database, { PFORTE_RATE_LIMIT_PER_MINUTE: '2' });
    const browser = new Browser(limited);
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await browser.signIn({ username: 'alice', otp: '123456', password: 'x' }));
    }
    await limited.close();
    const last = answers.at(-1)!;
    expect(last.statusCode).toBe(429);
    expect(last.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(last.headers['retry-after']).toMatch(/^\d+$/);
    expect(last.body).toMatch(
      /Zu viele Versuche\. Bitte warten Sie (eine (Sekunde|Minute)|\d+ (Sekunden|Minuten))/,
    );
  });

  it('uses __Host- cookies, Secure and HSTS when the public address is https', async () => {
    const secure = await makeApp(database, { PFORTE_PUBLIC_URL: 'https://sso.example.org' });
    const page = await secure.app.inject({ method: 'GET', url: '/login' });
    await secure.close();
    const cookie = [page.headers['set-cookie']].flat().join('\n');
    expect(cookie).toMatch(/^__Host-pforte-csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax/m);
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('takes fields only as long as the core takes them, and says so in the page', async () => {
    const browser = new Browser(t);
    const page = await browser.request('GET', '/login');
    expect(page.body).toMatch(new RegExp(`name="username"[^>]*maxlength="${USERNAME_MAX}"`));
    expect(page.body).toMatch(new RegExp(`name="password"[^>]*maxlength="${PASSWORD_MAX}"`));
    const tooLong = await browser.signIn({
      username: 'alice',
      otp: token.code(),
      password: 'p'.repeat(PASSWORD_MAX + 1),
    });
    expect(tooLong.statusCode).toBe(400);
    const events = (await listAudit(t.core, { limit: 50 })).items;
    expect(events.filter((e) => e.action === 'signin')).toEqual([]);
  });

  it('refuses forms without their CSRF token, of the wrong type, or oversized, changing nothing', async () => {
    const browser = new Browser(t);
    await browser.request('GET', '/login');
    const noToken = await browser.request('POST', '/login', {
      username: 'alice',
      otp: token.code(),
      password,
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).toContain('Das Formular konnte nicht gelesen werden.');
    const json = await t.app.inject({
      method: 'POST',
      url: '/login',
      payload: { username: 'alice', otp: token.code(), password },
    });
    expect(json.statusCode).toBe(400);
    expect(json.body).toContain('<form');
    const huge = await browser.request('POST', '/login', {
      username: 'a'.repeat(5000),
      otp: '1',
      password: 'x',
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(huge.body).toContain('Das Formular konnte nicht gelesen werden.');
    const control = await browser.signIn({
      username: 'al\u0000ice\u001b',
      otp: '12\n34',
      password: 'x\u0000',
    });
    expect(control.statusCode).toBe(400);
    expect(control.body).toContain('Anmeldung fehlgeschlagen.');
    const logout = await t.app.inject({ method: 'POST', url: '/logout', payload: '' });
    expect([400, 403, 415]).toContain(logout.statusCode);
    expect(await t.core.store.db.selectFrom('sessions').selectAll().execute()).toHaveLength(0);
    for (const response of [noToken, json, huge, control]) {
      expect(response.body).not.toMatch(/at \w+ \(|stack/i);
    }
  });
});
