/** The REST API as a service or an administrator uses it, on both databases. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES } from '../helpers/core.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { PASSWORD } from '../helpers/tokens.js';
import { Secret, TOTP } from 'otpauth';

describe.each(DATABASES)('REST API on %s', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp(database);
  });
  afterEach(async () => t.close());

  async function enrolledAlice() {
    const user = await t.call({
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        username: 'alice',
        email: 'alice@example.org',
        name: 'Alice Example',
        password: PASSWORD,
      },
    });
    expect(user.statusCode).toBe(201);
    const secret = new Secret();
    const token = await t.call({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { username: 'alice', secret: secret.base32 },
    });
    expect(token.statusCode).toBe(201);
    const totp = new TOTP({ secret });
    return {
      serial: token.json().serial as string,
      code: () => totp.generate({ timestamp: t.clock.now() }),
    };
  }

  describe('POST /api/v1/validate', () => {
    it('accepts the right sign-in and rejects a replay with the same answer as any failure', async () => {
      const alice = await enrolledAlice();
      const body = { username: 'alice', password: PASSWORD, otp: alice.code() };
      const accept = await t.call({
        method: 'POST',
        url: '/api/v1/validate',
        payload: body,
        key: t.validateKey,
      });
      expect(accept.statusCode).toBe(200);
      expect(accept.json()).toEqual({ result: 'accept' });
      const replay = await t.call({
        method: 'POST',
        url: '/api/v1/validate',
        payload: body,
        key: t.validateKey,
      });
      expect(replay.json()).toEqual({ result: 'reject' });
      const wrong = await t.call({
        method: 'POST',
        url: '/api/v1/validate',
        payload: { ...body, username: 'nobody' },
        key: t.validateKey,
      });
      expect(wrong.body).toBe(replay.body);
    });

    it('checks the passcode alone when the body has no password', async () => {
      const alice = await enrolledAlice();
      const response = await t.call({
        method: 'POST',
        url: '/api/v1/validate',
        payload: { username: 'alice', otp: alice.code() },
        key: t.validateKey,
      });
      expect(response.json()).toEqual({ result: 'accept' });
    });

    it('answers 429 with Retry-After while the back-off is in force', async () => {
      await enrolledAlice();
      const attempt = () =>
        t.call({
          method: 'POST',
          url: '/api/v1/validate',
          payload: {
            username: 'alice',
            password: 'wrong password',
            otp: '123456',
            clientAddress: '198.51.100.7',
          },
          key: t.validateKey,
        });
      for (let i = 0; i < 4; i++) expect((await attempt()).statusCode).toBe(200);
      const throttled = await attempt();
      expect(throttled.statusCode).toBe(429);
      expect(throttled.headers['retry-after']).toBe('1');
      expect(throttled.json().error.code).toBe('ERR_TOO_MANY_ATTEMPTS');
    });

    it('needs an API key, and a genuine one', async () => {
      const payload = { username: 'alice', otp: '123456' };
      const none = await t.call({ method: 'POST', url: '/api/v1/validate', payload, key: null });
      expect(none.statusCode).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer');
      expect(none.json().error.code).toBe('ERR_UNAUTHENTICATED');
      const forged = t.validateKey.slice(0, -4) + 'AAAA';
      expect(
        (await t.call({ method: 'POST', url: '/api/v1/validate', payload, key: forged }))
          .statusCode,
      ).toBe(401);
    });
  });

  it('keeps administration to admin keys (403 for a validate key)', async () => {
    const response = await t.call({ method: 'GET', url: '/api/v1/users', key: t.validateKey });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('ERR_FORBIDDEN');
  });

  it('creates, lists, shows, changes and removes users', async () => {
    await enrolledAlice();
    const list = await t.call({ method: 'GET', url: '/api/v1/users' });
    expect(list.json().items).toEqual([
      expect.objectContaining({ username: 'alice', hasPassword: true, lang: 'de' }),
    ]);
    expect(list.body).not.toContain('argon2');
    const duplicate = await t.call({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'ALICE', email: 'other@example.org' },
    });
    expect(duplicate.statusCode).toBe(409);
    const changed = await t.call({
      method: 'PATCH',
      url: '/api/v1/users/alice',
      payload: { lang: 'en', disabled: true },
    });
    expect(changed.json()).toMatchObject({ lang: 'en', disabled: true });
    expect((await t.call({ method: 'GET', url: '/api/v1/users/alice' })).json().disabled).toBe(
      true,
    );
    const password = await t.call({
      method: 'PUT',
      url: '/api/v1/users/alice/password',
      payload: { password: 'short' },
    });
    expect(password.statusCode).toBe(400);
    expect((await t.call({ method: 'DELETE', url: '/api/v1/users/alice' })).statusCode).toBe(204);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/alice' })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: '/api/v1/tokens' })).json().items).toEqual([]);
  });

  it('imports tokens and disables, enables, locks out, unlocks and revokes them', async () => {
    const alice = await enrolledAlice();
    const url = `/api/v1/tokens/${alice.serial}`;
    const shown = await t.call({ method: 'GET', url });
    expect(shown.json()).toMatchObject({
      serial: alice.serial,
      type: 'totp',
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      state: 'active',
    });
    expect(shown.body).not.toMatch(/seed|secret/i);
    expect((await t.call({ method: 'POST', url: `${url}/disable` })).json().state).toBe('disabled');
    expect((await t.call({ method: 'POST', url: `${url}/enable` })).json().state).toBe('active');
    const unlock = await t.call({ method: 'POST', url: `${url}/unlock` });
    expect(unlock.statusCode).toBe(409);
    expect(unlock.json().error).toEqual({
      code: 'ERR_TOKEN_STATE',
      message: 'the token is active and cannot be unlocked',
    });
    expect(
      (await t.call({ method: 'PATCH', url, payload: { description: 'Phone' } })).json()
        .description,
    ).toBe('Phone');
    expect((await t.call({ method: 'POST', url: `${url}/revoke` })).json().state).toBe('revoked');
    expect((await t.call({ method: 'POST', url: `${url}/enable` })).statusCode).toBe(409);
    expect(
      (await t.call({ method: 'GET', url: `/api/v1/tokens?username=alice` })).json().items,
    ).toHaveLength(1);
    expect((await t.call({ method: 'DELETE', url })).statusCode).toBe(204);
    expect((await t.call({ method: 'GET', url })).statusCode).toBe(404);
  });

  it('resynchronises an HOTP token from two consecutive codes', async () => {
    await enrolledAlice();
    const secret = new Secret();
    const { HOTP } = await import('otpauth');
    const hotp = new HOTP({ secret });
    const created = await t.call({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { username: 'alice', otpauth: hotp.toString() },
    });
    expect(created.json()).toMatchObject({ type: 'hotp', counter: 0 });
    const url = `/api/v1/tokens/${created.json().serial}/resync`;
    const resynced = await t.call({
      method: 'POST',
      url,
      payload: { code1: hotp.generate({ counter: 50 }), code2: hotp.generate({ counter: 51 }) },
    });
    expect(resynced.json().counter).toBe(52);
    const failed = await t.call({
      method: 'POST',
      url,
      payload: { code1: hotp.generate({ counter: 60 }), code2: hotp.generate({ counter: 62 }) },
    });
    expect(failed.statusCode).toBe(422);
    expect(failed.json().error.code).toBe('ERR_RESYNC_FAILED');
  });

  it('shows the audit log to administrators, filtered by user and time', async () => {
    await enrolledAlice();
    const all = await t.call({ method: 'GET', url: '/api/v1/audit' });
    expect(all.json().items.map((e: { action: string }) => e.action)).toEqual([
      'token.import',
      'user.create',
      'apikey.create',
      'apikey.create',
    ]);
    const alice = await t.call({ method: 'GET', url: '/api/v1/audit?username=alice&limit=1' });
    expect(alice.json().items).toEqual([
      expect.objectContaining({
        action: 'token.import',
        username: 'alice',
        face: 'api',
        actor: 'apikey:admin',
      }),
    ]);
    const future = await t.call({ method: 'GET', url: '/api/v1/audit?since=2100-01-01T00:00:00Z' });
    expect(future.json().items).toEqual([]);
  });

  it('serves health and an OpenAPI document that names every route', async () => {
    expect((await t.call({ method: 'GET', url: '/healthz', key: null })).json()).toEqual({
      status: 'ok',
    });
    const doc = (await t.call({ method: 'GET', url: '/api/v1/openapi.json', key: null })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/validate',
        '/api/v1/users',
        '/api/v1/users/{username}',
        '/api/v1/tokens/{serial}/resync',
        '/api/v1/audit',
      ]),
    );
  });
});

describe('REST API rate limit', () => {
  it('answers 429 with Retry-After past the per-address limit', async () => {
    const t = await makeApp('sqlite', { PFORTE_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const send = () =>
        t.call({
          method: 'POST',
          url: '/api/v1/validate',
          payload: { username: 'a', otp: '123456' },
          key: t.validateKey,
        });
      for (let i = 0; i < 3; i++) expect((await send()).statusCode).toBe(200);
      const limited = await send();
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('ERR_RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
