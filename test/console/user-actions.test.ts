/**
 * A user's page in the console and what operators do there: each action changes what
 * the database holds and is audited with face `console` and the operator as actor; the
 * dangerous ones ask first; the help desk may only what its role allows; hostile forms
 * change nothing and are never a 500. On SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { listEnrollments, startEnrollment } from '../../src/enrollment/enrollments.js';
import { generateHOTP } from '../../src/otp/codes.js';
import { reserveAttempt } from '../../src/signin/backoff.js';
import { getToken } from '../../src/tokens/tokens.js';
import { createUser, findUserRow, getUser, getUserRow } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { signedInOperator, type ConsoleBrowser } from '../helpers/console-client.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { hiddenFields } from '../helpers/portal-client.js';
import { snapshotDatabase } from '../helpers/snapshot.js';
import { addToken, addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

describe.each(DATABASES)('a user’s page on %s', (database) => {
  let t: TestApp;
  let admin: ConsoleBrowser;
  let anna: TestToken;
  beforeEach(async () => {
    t = await makeApp(database);
    admin = await signedInOperator(t, 'olga', 'admin');
    anna = await addUserWithToken(t.core, 'anna');
  });
  afterEach(async () => t.close());

  const PAGE = '/admin/users/anna';
  const tokenState = async (serial: string) => (await getToken(t.core, serial)).state;
  /** The latest audit event of `action`, as the log holds it. */
  const lastEvent = async (action: string) =>
    (await listAudit(t.core, { action, limit: 1 })).items[0];
  const expectDone = (
    answer: { statusCode: number; headers: Record<string, unknown> },
    done: string,
  ) => {
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe(`${PAGE}?done=${done}`);
  };
  async function lockAnna() {
    await t.core.store.db
      .updateTable('tokens')
      .set({ state: 'locked', locked_at: t.clock.now(), fail_count: 10 })
      .where('serial', '=', anna.serial)
      .execute();
  }
  const validate = (otp: string) =>
    t.call({
      method: 'POST',
      url: '/api/v1/validate',
      payload: { username: 'anna', password: PASSWORD, otp },
      key: t.validateKey,
    });

  it('shows profile, tokens, enrollments with their mail, and the latest events, in German and English', async () => {
    await startEnrollment(t.core, ADMIN, { username: 'anna' });
    const page = await admin.request('GET', PAGE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2 id="profile">Profil</h2>');
    expect(page.body).toContain('anna@example.org');
    expect(page.body).toContain(anna.serial);
    expect(page.body).toMatch(/<span class="state state-open"\s*>offen<\/span/);
    expect(page.body).toMatch(/abgelegt \(kein Mailserver\)|wartet auf Versand/);
    expect(page.body).toContain('enrollment.start');
    expect(page.body).toContain('Einrichtung starten');
    const english = await admin.request('GET', `${PAGE}?lang=en`);
    expect(english.body).toContain('<h2 id="tokens">Tokens</h2>');
    expect(english.body).toContain('Latest events');
    expect(english.body).toContain('Start enrollment');
    expect((await admin.request('GET', '/admin/users/nobody')).statusCode).toBe(404);
  });

  it('unlocks a locked token and lifts the user’s back-off, audited as the operator’s', async () => {
    await lockAnna();
    for (let i = 0; i < 40; i++)
      await reserveAttempt(t.core, { username: 'anna', address: '198.51.100.7' });
    expect(
      (await reserveAttempt(t.core, { username: 'anna', address: '198.51.100.7' })).granted,
    ).toBe(false);
    const answer = await admin.submit(PAGE, `${PAGE}/tokens/${anna.serial}/unlock`);
    expectDone(answer, 'token-unlocked');
    expect(await tokenState(anna.serial)).toBe('active');
    expect(
      (await reserveAttempt(t.core, { username: 'anna', address: '198.51.100.7' })).granted,
    ).toBe(true);
    expect(await lastEvent('token.unlock')).toMatchObject({
      face: 'console',
      actor: 'olga',
      username: 'anna',
    });
    const shown = await admin.request('GET', answer.headers.location as string);
    expect(shown.body).toContain('Wartezeit nach Fehlversuchen ist aufgehoben');
  });

  it('resyncs a drifted TOTP token with two codes; sign-in then follows the authenticator’s clock', async () => {
    const ahead = 10 * 60_000; // the phone's clock runs ten minutes ahead
    const now = t.clock.now();
    expect((await validate(anna.code(now + ahead))).json().result).toBe('reject');
    const answer = await admin.submit(PAGE, `${PAGE}/tokens/${anna.serial}/resync`, {
      code1: anna.code(now + ahead - 30_000),
      code2: anna.code(now + ahead),
    });
    expectDone(answer, 'token-resynced');
    expect(await lastEvent('token.resync')).toMatchObject({
      face: 'console',
      actor: 'olga',
      outcome: 'success',
      detail: { driftSteps: 20 },
    });
    expect((await validate(anna.code(now + ahead))).json().result).toBe('reject'); // used up
    t.clock.advance(30_000);
    expect((await validate(anna.code(t.clock.now() + ahead))).json().result).toBe('accept');
  });

  it('resyncs an HOTP token whose counter ran ahead, with two consecutive codes', async () => {
    const hotp = await addToken(t.core, 'anna', { type: 'hotp' });
    const answer = await admin.submit(PAGE, `${PAGE}/tokens/${hotp.serial}/resync`, {
      code1: generateHOTP(hotp.seed, 40, { algorithm: 'SHA1', digits: 6 }),
      code2: generateHOTP(hotp.seed, 41, { algorithm: 'SHA1', digits: 6 }),
    });
    expectDone(answer, 'token-resynced');
    expect((await getToken(t.core, hotp.serial)).counter).toBe(42);
  });

  it('refuses a resync with codes that do not follow each other, with a page and nothing changed', async () => {
    const before = await getToken(t.core, anna.serial);
    const answer = await admin.submit(PAGE, `${PAGE}/tokens/${anna.serial}/resync`, {
      code1: '123456',
      code2: '654321',
    });
    expect(answer.statusCode).toBe(422);
    expect(answer.body).toContain('no two consecutive codes found');
    expect(await getToken(t.core, anna.serial)).toEqual(before);
  });

  it('asks before revoking; after it the user’s sign-in is refused', async () => {
    const confirm = await admin.request('GET', `${PAGE}/tokens/${anna.serial}/revoke`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Bitte bestätigen');
    expect(confirm.body).toContain('lässt sich nicht rückgängig machen');
    expect(await tokenState(anna.serial)).toBe('active');
    const answer = await admin.submit(
      `${PAGE}/tokens/${anna.serial}/revoke`,
      `${PAGE}/tokens/${anna.serial}/revoke`,
    );
    expectDone(answer, 'token-revoked');
    expect(await tokenState(anna.serial)).toBe('revoked');
    expect(await lastEvent('token.revoke')).toMatchObject({ face: 'console', actor: 'olga' });
    expect((await validate(anna.code())).json().result).toBe('reject');
  });

  it('starts, resends (with a new expiry) and cancels an enrollment', async () => {
    expectDone(await admin.submit(PAGE, `${PAGE}/enrollments`), 'enrollment-started');
    const [started] = (await listEnrollments(t.core, { username: 'anna' })).items;
    expect(started).toMatchObject({ state: 'open' });
    t.clock.advance(10 * 60_000); // within the console's idle time
    expectDone(
      await admin.submit(PAGE, `${PAGE}/enrollments/${started!.id}/resend`),
      'enrollment-resent',
    );
    const [resent] = (await listEnrollments(t.core, { username: 'anna' })).items;
    expect(Date.parse(resent!.expiresAt) - Date.parse(started!.expiresAt)).toBe(10 * 60_000);
    expectDone(
      await admin.submit(PAGE, `${PAGE}/enrollments/${started!.id}/cancel`),
      'enrollment-cancelled',
    );
    expect((await listEnrollments(t.core, { username: 'anna' })).items[0]!.state).toBe('cancelled');
    const actions = (await listAudit(t.core, { username: 'anna', face: 'console' })).items.map(
      (e) => `${e.actor} ${e.action}`,
    );
    expect(actions).toEqual([
      'olga enrollment.cancel',
      'olga enrollment.resend',
      'olga enrollment.start',
    ]);
  });

  it('disables and enables the user and sets a password', async () => {
    expectDone(await admin.submit(PAGE, `${PAGE}/disable`), 'user-disabled');
    expect((await getUser(t.core, 'anna')).disabled).toBe(true);
    expectDone(await admin.submit(PAGE, `${PAGE}/enable`), 'user-enabled');
    expect((await getUser(t.core, 'anna')).disabled).toBe(false);
    const hashBefore = (await getUserRow(t.core, 'anna')).password_hash;
    const differ = await admin.submit(PAGE, `${PAGE}/password`, {
      password: 'a new passphrase',
      repeat: 'another one',
    });
    expect(differ.statusCode).toBe(400);
    expect(differ.body).toContain('stimmen nicht überein');
    expect((await getUserRow(t.core, 'anna')).password_hash).toBe(hashBefore);
    expectDone(
      await admin.submit(PAGE, `${PAGE}/password`, {
        password: 'a new passphrase',
        repeat: 'a new passphrase',
      }),
      'password-set',
    );
    expect((await getUserRow(t.core, 'anna')).password_hash).not.toBe(hashBefore);
    expect(await lastEvent('user.set-password')).toMatchObject({ face: 'console', actor: 'olga' });
  });

  it('offers no password for a directory user, and refuses one posted anyway', async () => {
    await createUser(t.core, ADMIN, {
      username: 'dirk',
      email: 'dirk@corp.example',
      directory: 'corp',
    });
    const page = await admin.request('GET', '/admin/users/dirk');
    expect(page.body).not.toContain('/admin/users/dirk/password');
    const refused = await admin.submit('/admin/users/dirk', '/admin/users/dirk/password', {
      password: 'a new passphrase',
      repeat: 'a new passphrase',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('which keeps their password');
    expect((await getUserRow(t.core, 'dirk')).password_hash).toBeNull();
  });

  it('asks before removing a user, then removes them with their tokens', async () => {
    const confirm = await admin.request('GET', `${PAGE}/remove`);
    expect(confirm.body).toContain('mit allen Token und Einrichtungen entfernt');
    const answer = await admin.submit(`${PAGE}/remove`, `${PAGE}/remove`);
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/admin/users?removed=anna');
    expect(await findUserRow(t.core, 'anna')).toBeUndefined();
    expect(await lastEvent('user.remove')).toMatchObject({
      face: 'console',
      actor: 'olga',
      username: 'anna',
    });
    expect((await admin.request('GET', '/admin/users?removed=anna')).body).toContain(
      'Der Benutzer anna ist entfernt.',
    );
  });

  it('asks before changing a role, then changes it', async () => {
    const confirm = await admin.request('GET', `${PAGE}/role?role=helpdesk&lang=en`);
    expect(confirm.body).toContain('will change from “none” to “help desk”');
    expect((await getUser(t.core, 'anna')).role).toBeNull();
    expectDone(
      await admin.submit(`${PAGE}/role?role=helpdesk`, `${PAGE}/role`, { role: 'helpdesk' }),
      'role-set',
    );
    expect((await getUser(t.core, 'anna')).role).toBe('helpdesk');
    expect(await lastEvent('user.role')).toMatchObject({
      face: 'console',
      actor: 'olga',
      detail: { role: 'helpdesk' },
    });
    expect((await admin.request('GET', `${PAGE}/role?role=root`)).statusCode).toBe(400);
    expect((await admin.request('GET', `${PAGE}/role?role=helpdesk`)).statusCode).toBe(409);
  });

  it('refuses to let an administrator remove themselves or change their own role', async () => {
    const own = '/admin/users/olga';
    for (const page of [`${own}/remove`, `${own}/role?role=helpdesk`]) {
      const refused = await admin.request('GET', page);
      expect(refused.statusCode).toBe(409);
      expect(refused.body).toContain('Sie können sich nicht selbst entfernen');
    }
    const shown = await admin.request('GET', own);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(shown.body)![1]!;
    expect((await admin.request('POST', `${own}/remove`, { _csrf: csrf })).statusCode).toBe(409);
    const role = await admin.request('POST', `${own}/role`, { _csrf: csrf, role: 'none' });
    expect(role.statusCode).toBe(409);
    expect((await getUser(t.core, 'olga')).role).toBe('admin');
  });

  describe('for the help desk', () => {
    let helpdesk: ConsoleBrowser;
    beforeEach(async () => {
      helpdesk = await signedInOperator(t, 'hans', 'helpdesk');
    });

    it('shows only the actions of the role', async () => {
      await lockAnna();
      const page = await helpdesk.request('GET', PAGE);
      expect(page.body).toContain(`${PAGE}/tokens/${anna.serial}/unlock`);
      expect(page.body).toContain(`${PAGE}/tokens/${anna.serial}/resync`);
      expect(page.body).toContain(`${PAGE}/enrollments"`);
      for (const hidden of ['/revoke', '/remove', '/role', '/disable', '/password']) {
        expect(page.body, hidden).not.toContain(hidden);
      }
    });

    it('refuses every admin-only action with 403, changing nothing', async () => {
      const csrf = hiddenFields(await helpdesk.request('GET', PAGE))._csrf!;
      const before = await snapshotDatabase(t.core);
      const refused = [
        ['GET', `${PAGE}/tokens/${anna.serial}/revoke`, {}],
        ['POST', `${PAGE}/tokens/${anna.serial}/revoke`, {}],
        ['GET', `${PAGE}/remove`, {}],
        ['POST', `${PAGE}/remove`, {}],
        ['GET', `${PAGE}/role?role=admin`, {}],
        ['POST', `${PAGE}/role`, { role: 'admin' }],
        ['POST', `${PAGE}/disable`, {}],
        ['POST', `${PAGE}/password`, { password: 'a new passphrase', repeat: 'a new passphrase' }],
      ] as const;
      for (const [method, url, fields] of refused) {
        const answer = await helpdesk.request(
          method,
          url,
          method === 'POST' ? { _csrf: csrf, ...fields } : undefined,
        );
        expect(answer.statusCode, `${method} ${url}`).toBe(403);
        expect(answer.body).toContain('Nicht erlaubt');
      }
      expect(await snapshotDatabase(t.core)).toBe(before);
    });

    it('unlocks as the help desk may', async () => {
      await lockAnna();
      expectDone(
        await helpdesk.submit(PAGE, `${PAGE}/tokens/${anna.serial}/unlock`),
        'token-unlocked',
      );
      expect(await lastEvent('token.unlock')).toMatchObject({ face: 'console', actor: 'hans' });
    });
  });

  it('refuses hostile forms on every action with a page, changing nothing, never a 500', async () => {
    await lockAnna();
    const csrf = hiddenFields(await admin.request('GET', PAGE))._csrf!;
    const actions: [string, Record<string, string>][] = [
      [`${PAGE}/enrollments`, {}],
      [`${PAGE}/tokens/${anna.serial}/unlock`, {}],
      [`${PAGE}/tokens/${anna.serial}/resync`, { code1: '123456', code2: '234567' }],
      [`${PAGE}/tokens/${anna.serial}/revoke`, {}],
      [`${PAGE}/disable`, {}],
      [`${PAGE}/password`, { password: 'a new passphrase', repeat: 'a new passphrase' }],
      [`${PAGE}/remove`, {}],
      [`${PAGE}/role`, { role: 'admin' }],
    ];
    const before = await snapshotDatabase(t.core);
    for (const [url, fields] of actions) {
      const hostile: [string, Record<string, string>, number][] = [
        ['no CSRF', fields, 403],
        ['a wrong CSRF', { _csrf: `${csrf}x`, ...fields }, 403],
        ['an unknown field', { _csrf: csrf, ...fields, colour: 'red' }, 400],
        ...Object.keys(fields).map((name): [string, Record<string, string>, number] => [
          `an overlong ${name}`,
          { _csrf: csrf, ...fields, [name]: '9'.repeat(3000) },
          400,
        ]),
      ];
      for (const [what, form, status] of hostile) {
        const answer = await admin.request('POST', url, form);
        expect(answer.statusCode, `${url} with ${what}`).toBe(status);
        expect(answer.headers['content-type'], `${url} with ${what}`).toContain('text/html');
      }
    }
    const wrongTypes = await t.app.inject({
      method: 'POST',
      url: `${PAGE}/disable`,
      headers: {
        cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
      },
      payload: JSON.stringify({ _csrf: csrf }),
    });
    expect(wrongTypes.statusCode).toBeLessThan(500);
    for (const url of [
      `${PAGE}/tokens/NOSUCH/unlock`,
      '/admin/users/nobody/disable',
      `/admin/users/${'x'.repeat(300)}/disable`,
      `${PAGE}/enrollments/EN0000000000/cancel`,
    ]) {
      const answer = await admin.request('POST', url, { _csrf: csrf });
      expect(answer.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode, url).toBeLessThan(500);
    }
    expect(await snapshotDatabase(t.core)).toBe(before);
  });

  it('refuses to act on another user’s token through this user’s page', async () => {
    const bert = await addUserWithToken(t.core, 'bert');
    await t.core.store.db
      .updateTable('tokens')
      .set({ state: 'locked', locked_at: t.clock.now() })
      .where('serial', '=', bert.serial)
      .execute();
    const answer = await admin.submit(PAGE, `${PAGE}/tokens/${bert.serial}/unlock`);
    expect(answer.statusCode).toBe(404);
    expect(await tokenState(bert.serial)).toBe('locked');
  });
});
