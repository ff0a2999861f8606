/**
 * The enrollment page counts towards the per-address limit of the activation API: one
 * budget (`enrollment.activationsPerMinute`) for every request that takes an
 * enrollment code, answered on the page with a page of its own that says how long to
 * wait, and in the API with the error envelope — on SQLite and PostgreSQL.
 */
import { waitText } from '../../src/text/durations.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { addUserWithToken } from '../helpers/tokens.js';

const LIMIT = 3;
const STRANGER = '198.51.100.7';
const NEIGHBOUR = '203.0.113.20';
/** Well-formed codes no enrollment has. */
const guesses = Array.from({ length: 10 }, (_, i) => `${'Z'.repeat(24)}${i}`);

describe.each(DATABASES)('the enrollment page’s rate limit on %s', (database) => {
  let t: TestApp;
  let code: string;

  beforeEach(async () => {
    t = await makeApp(database, {
      PFORTE_ENROLLMENT_ACTIVATIONS_PER_MINUTE: String(LIMIT),
      PFORTE_ENROLLMENT_ALLOW_STANDARD_APPS: 'true',
    });
    await addUserWithToken(t.core, 'alice');
    const started = await startEnrollment(t.core, ADMIN, { username: 'alice', sendMail: false });
    code = new URL(started.link).pathname.split('/enroll/')[1]!;
  });
  afterEach(async () => t.close());

  const page = (path: string, from: string, lang = 'de') =>
    t.app.inject({
      method: 'GET',
      url: `/enroll/${path}`,
      remoteAddress: from,
      headers: { 'accept-language': lang },
    });
  const activate = (from: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/activations',
      remoteAddress: from,
      payload: { code, publicKey: 'A'.repeat(87) },
    });

  it('answers the guess past the limit with a page saying to wait, and Retry-After', async () => {
    for (const guess of guesses.slice(0, LIMIT)) {
      expect((await page(guess, STRANGER)).statusCode).toBe(404);
    }
    const limited = await page(guesses[LIMIT]!, STRANGER);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    const seconds = Number(limited.headers['retry-after']);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(limited.headers['cache-control']).toBe('no-store');
    expect(limited.body).toContain('<html lang="de">');
    expect(limited.body).toContain(`Bitte warten Sie ${waitText('de', seconds)}.`);
    expect(limited.body).not.toContain('"error"');
    // The real code is not looked at either while the budget is spent.
    const real = await page(code, STRANGER, 'en');
    expect(real.statusCode).toBe(429);
    expect(real.body).toContain('<html lang="en">');
    expect(real.body).toMatch(/Please wait (one (second|minute)|\d+ (seconds|minutes))\./);
    expect(real.body).not.toContain('alice');
  });

  it('leaves other addresses alone', async () => {
    for (const guess of guesses.slice(0, LIMIT + 2)) await page(guess, STRANGER);
    expect((await page(guesses[0]!, STRANGER)).statusCode).toBe(429);
    const neighbour = await page(code, NEIGHBOUR);
    expect(neighbour.statusCode).toBe(200);
    expect(neighbour.body).toContain('Token einrichten');
  });

  it('draws the page and the activation API from one budget', async () => {
    // Two page views and one activation spend the budget of three ...
    expect((await page(code, STRANGER)).statusCode).toBe(200);
    expect((await page(code, STRANGER)).statusCode).toBe(200);
    expect((await activate(STRANGER)).statusCode).not.toBe(429);
    // ... so the API and the page are refused alike, each in its own language.
    const api = await activate(STRANGER);
    expect(api.statusCode).toBe(429);
    expect(api.json()).toEqual({
      error: { code: 'ERR_RATE_LIMITED', message: 'too many requests; try again later' },
    });
    expect(api.headers['retry-after']).toMatch(/^\d+$/);
    const viewed = await page(code, STRANGER);
    expect(viewed.statusCode).toBe(429);
    expect(viewed.headers['content-type']).toBe('text/html; charset=utf-8');

    // And the other way round: activations spend what the page would have had.
    for (let i = 0; i < LIMIT; i++) expect((await activate(NEIGHBOUR)).statusCode).not.toBe(429);
    expect((await page(code, NEIGHBOUR)).statusCode).toBe(429);
  });

  it('counts the standard-app forms in the same budget', async () => {
    expect((await page(code, STRANGER)).statusCode).toBe(200);
    expect((await page(code, STRANGER)).statusCode).toBe(200);
    const form = () =>
      t.app.inject({
        method: 'POST',
        url: `/enroll/${code}/standard`,
        remoteAddress: STRANGER,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: '',
      });
    expect((await form()).statusCode).toBe(200);
    const limited = await form();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(limited.body).toMatch(
      /Bitte warten Sie (eine (Sekunde|Minute)|\d+ (Sekunden|Minuten))\./,
    );
  });
});
