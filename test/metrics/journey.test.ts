/**
 * The metrics move as the people and services of a scripted day do things, on SQLite
 * and on PostgreSQL: sign-ins right and wrong through the REST API and the portal, a
 * back-off refusal, an enrollment whose mail fails and whose app activates, a token
 * locked by wrong passcodes. Read as Prometheus reads them, from the text format.
 */
import { Secret, TOTP } from 'otpauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DATABASES } from '../helpers/core.js';
import { activate, sendTo } from '../helpers/enrollment-client.js';
import { METRICS_TOKEN, moved, scrape } from '../helpers/metrics.js';
import { PortalBrowser } from '../helpers/portal-client.js';
import { freePort } from '../helpers/ports.js';
import { PASSWORD, wrongCodeNear } from '../helpers/tokens.js';

describe.each(DATABASES)('metrics of a scripted journey on %s', (database) => {
  let t: TestApp;

  beforeEach(async () => {
    t = await makeApp(database, {
      PFORTE_METRICS_TOKEN: METRICS_TOKEN,
      PFORTE_LOCKOUT_MAX_FAILURES: '3',
      // Nothing listens there: every delivery attempt fails and is retried later.
      PFORTE_SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
    });
  });
  afterEach(async () => t.close());

  /** A user made and a token imported through the REST API, as an administrator would. */
  async function userWithToken(username: string): Promise<(at?: number) => string> {
    const user = await t.call({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username, email: `${username}@example.org`, password: PASSWORD },
    });
    expect(user.statusCode).toBe(201);
    const secret = new Secret({ size: 20 });
    const token = await t.call({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { username, secret: secret.base32 },
    });
    expect(token.statusCode).toBe(201);
    return (at = t.clock.now()) => new TOTP({ secret }).generate({ timestamp: at });
  }
  const validate = (username: string, password: string, otp: string) =>
    t.call({
      method: 'POST',
      url: '/api/v1/validate',
      key: t.validateKey,
      payload: { username, password, otp },
    });
  const decisions = (face: string, result: string, reason: string) =>
    `pforte_signin_decisions_total{face="${face}",result="${result}",reason="${reason}"}`;

  it('counts every decision by face, result and reason, and times each', async () => {
    const alice = await userWithToken('alice');
    const before = await scrape(t);

    expect((await validate('alice', PASSWORD, alice())).json()).toEqual({ result: 'accept' });
    expect((await validate('alice', 'not the password', alice())).json()).toEqual({
      result: 'reject',
    });
    t.clock.advance(30_000);
    const browser = new PortalBrowser(t);
    const wrong = await browser.signIn({
      username: 'alice',
      password: PASSWORD,
      otp: wrongCodeNear(alice, t.clock.now()),
    });
    expect(wrong.statusCode).toBe(401);
    const right = await browser.signIn({ username: 'alice', password: PASSWORD, otp: alice() });
    expect(right.statusCode).toBe(303);

    const after = await scrape(t);
    expect(moved(before, after, 'pforte_signin_decisions_total')).toEqual({
      [decisions('api', 'accept', 'ok')]: 1,
      [decisions('api', 'reject', 'wrong_password')]: 1,
      [decisions('portal', 'reject', 'wrong_passcode')]: 1,
      [decisions('portal', 'accept', 'ok')]: 1,
    });
    expect(moved(before, after, 'pforte_signin_decision_seconds_count')).toEqual({
      'pforte_signin_decision_seconds_count{face="api"}': 2,
      'pforte_signin_decision_seconds_count{face="portal"}': 2,
    });
    // Every observation falls in some bucket: the largest finite one holds a decision here.
    expect(after.get('pforte_signin_decision_seconds_bucket{le="10",face="api"}')).toBe(2);
  });

  it('counts back-off refusals with their reason, without a password check', async () => {
    await userWithToken('carol');
    const browser = new PortalBrowser(t);
    const before = await scrape(t);
    // Three free failures, a fourth that starts the wait, and one refused unlooked at.
    for (let i = 0; i < 5; i++) {
      await browser.signIn({ username: 'carol', password: `guess ${i}`, otp: '123456' });
    }
    expect(moved(before, await scrape(t), 'pforte_signin_decisions_total')).toEqual({
      [decisions('portal', 'reject', 'wrong_password')]: 4,
      [decisions('portal', 'reject', 'backoff')]: 1,
    });
  });

  it('counts a token lock, and shows the token locked', async () => {
    const bob = await userWithToken('bob');
    const before = await scrape(t);
    expect(before.get('pforte_tokens{state="active"}')).toBe(1);
    for (let i = 0; i < 3; i++) await validate('bob', PASSWORD, '000000');
    const locked = await validate('bob', PASSWORD, bob());
    expect(locked.json()).toEqual({ result: 'reject' });

    const after = await scrape(t);
    expect(moved(before, after, 'pforte_token_locks_total')).toEqual({
      pforte_token_locks_total: 1,
    });
    expect(after.get('pforte_tokens{state="locked"}')).toBe(1);
    expect(after.get('pforte_tokens{state="active"}')).toBe(0);
    expect(after.get(decisions('api', 'reject', 'token_locked'))).toBe(1);
  });

  it('shows an enrollment, its failed mail and its activation by state', async () => {
    await userWithToken('dave');
    const before = await scrape(t);
    expect(before.get('pforte_enrollments{state="open"}')).toBe(0);
    expect(before.get('pforte_mail_messages{state="queued"}')).toBe(0);

    const started = await t.call({
      method: 'POST',
      url: '/api/v1/enrollments',
      payload: { username: 'dave' },
    });
    expect(started.statusCode).toBe(201);
    const opened = await scrape(t);
    expect(opened.get('pforte_enrollments{state="open"}')).toBe(1);
    // The mail was tried at once, failed, and waits in the queue for its retry.
    expect(opened.get('pforte_mail_messages{state="queued"}')).toBe(1);
    expect(moved(before, opened, 'pforte_mail_delivery_failures_total')).toEqual({
      'pforte_mail_delivery_failures_total{outcome="will_retry"}': 1,
    });

    const code = (started.json().link as string).split('/enroll/')[1]!;
    const app = await activate(
      sendTo(() => t.app),
      code,
    );
    expect(app.started.status).toBe(201);
    expect((await scrape(t)).get('pforte_activations{state="pending"}')).toBe(1);
    expect((await app.confirm!()).status).toBe(200);

    const done = await scrape(t);
    expect(done.get('pforte_activations{state="confirmed"}')).toBe(1);
    expect(done.get('pforte_activations{state="pending"}')).toBe(0);
    expect(done.get('pforte_enrollments{state="done"}')).toBe(1);
    expect(done.get('pforte_enrollments{state="open"}')).toBe(0);
  });

  it('counts an open enrollment past its lifetime as expired', async () => {
    await userWithToken('erin');
    await t.call({ method: 'POST', url: '/api/v1/enrollments', payload: { username: 'erin' } });
    t.clock.advance(400 * 24 * 3600_000);
    const later = await scrape(t);
    expect(later.get('pforte_enrollments{state="open"}')).toBe(0);
    expect(later.get('pforte_enrollments{state="expired"}')).toBe(1);
  });

  it("has the process defaults, and the pool's connections on PostgreSQL only", async () => {
    const samples = await scrape(t);
    expect(samples.has('process_cpu_user_seconds_total')).toBe(true);
    expect(samples.has('nodejs_heap_size_used_bytes')).toBe(true);
    const pool = [...samples.keys()].filter((k) => k.startsWith('pforte_database_pool_'));
    if (database === 'postgres') {
      expect(pool).toEqual(
        expect.arrayContaining([
          'pforte_database_pool_connections{state="in_use"}',
          'pforte_database_pool_connections{state="idle"}',
          'pforte_database_pool_waiting',
          'pforte_database_pool_max',
        ]),
      );
      expect(samples.get('pforte_database_pool_max')).toBe(10);
    } else expect(pool).toEqual([]);
  });
});
