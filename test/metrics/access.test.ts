/**
 * Who reaches /metrics: on the main listener only with the metrics token (401 without it
 * or with another, 404 when none is configured); the metrics listener serves /metrics
 * and nothing else. A scrape whose database readings fail still answers, and says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startMetricsListener, type MetricsListener } from '../../src/http/metrics.js';
import { SCRAPE_QUERY_TIMEOUT_MS } from '../../src/metrics/scrape.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DATABASES } from '../helpers/core.js';
import { METRICS_TOKEN, parseMetrics, scrape } from '../helpers/metrics.js';

describe('GET /metrics on the main listener', () => {
  let t: TestApp;
  afterEach(async () => t.close());
  const get = (authorization?: string) =>
    t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: authorization ? { authorization } : {},
    });

  it('does not exist without a metrics token', async () => {
    t = await makeApp('sqlite');
    const response = await get(`Bearer ${METRICS_TOKEN}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'ERR_NOT_FOUND' } });
  });

  it('answers only to the metrics token', async () => {
    t = await makeApp('sqlite', { PFORTE_METRICS_TOKEN: METRICS_TOKEN });
    for (const authorization of [
      undefined,
      'Bearer wrong-token-of-the-same-kind-0123456789',
      `Bearer ${METRICS_TOKEN}x`,
      `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}`,
      `Bearer ${t.adminKey}`,
    ]) {
      const refused = await get(authorization);
      expect(refused.statusCode, authorization).toBe(401);
      expect(refused.headers['www-authenticate']).toBe('Bearer');
      expect(refused.json()).toMatchObject({ error: { code: 'ERR_UNAUTHENTICATED' } });
      expect(refused.body).not.toContain('pforte_');
    }
    const served = await get(`Bearer ${METRICS_TOKEN}`);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(served.headers['cache-control']).toBe('no-store');
    expect(served.body).toContain('# TYPE pforte_signin_decisions_total counter');
  });

  it('is refused as a setting when the token is short or has spaces', async () => {
    await expect(makeApp('sqlite', { PFORTE_METRICS_TOKEN: 'short' })).rejects.toThrow(
      /metrics\.token.*16 to 200 characters/,
    );
    await expect(
      makeApp('sqlite', { PFORTE_METRICS_TOKEN: 'with a space in the middle' }),
    ).rejects.toThrow(/metrics\.token/);
  });
});

describe('the metrics listener', () => {
  let t: TestApp;
  let listener: MetricsListener | undefined;
  afterEach(async () => {
    await listener?.close();
    await t.close();
  });

  it('serves /metrics and nothing else, and the main listener has no /metrics', async () => {
    t = await makeApp('sqlite', { PFORTE_METRICS_PORT: '0', PFORTE_METRICS_HOST: '127.0.0.1' });
    listener = await startMetricsListener(t.core);
    const metrics = await fetch(`${listener!.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(parseMetrics(await metrics.text()).has('process_cpu_user_seconds_total')).toBe(true);
    for (const path of ['/healthz', '/api/v1/validate', '/login', '/admin/', '/']) {
      expect((await fetch(`${listener!.url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${listener!.url}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });

  it('asks for the token too when there is one', async () => {
    t = await makeApp('sqlite', {
      PFORTE_METRICS_PORT: '0',
      PFORTE_METRICS_HOST: '127.0.0.1',
      PFORTE_METRICS_TOKEN: METRICS_TOKEN,
    });
    listener = await startMetricsListener(t.core);
    expect((await fetch(`${listener!.url}/metrics`)).status).toBe(401);
    const served = await fetch(`${listener!.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(served.status).toBe(200);
  });

  it('is not started at the default port -1', async () => {
    t = await makeApp('sqlite');
    expect(await startMetricsListener(t.core)).toBeUndefined();
  });
});

describe.each(DATABASES)('a scrape whose database readings fail, on %s', (database) => {
  let t: TestApp;
  afterEach(async () => t.close());

  it('answers 200 without that reading, counting the scrape error and the database error', async () => {
    t = await makeApp(database, { PFORTE_METRICS_TOKEN: METRICS_TOKEN });
    const before = await scrape(t);
    expect(before.get('pforte_activations{state="pending"}')).toBe(0);
    await sql`alter table activations rename to activations_elsewhere`.execute(t.core.store.db);
    try {
      const after = await scrape(t);
      expect([...after.keys()].some((k) => k.startsWith('pforte_activations{'))).toBe(false);
      expect(after.get('pforte_enrollments{state="open"}')).toBe(0);
      expect(after.get('pforte_metrics_scrape_errors_total{source="activations"}')).toBe(1);
      expect(after.get('pforte_database_errors_total{kind="query"}')).toBe(1);
    } finally {
      await sql`alter table activations_elsewhere rename to activations`.execute(t.core.store.db);
    }
    expect((await scrape(t)).get('pforte_activations{state="pending"}')).toBe(0);
  });

  if (database === 'postgres') {
    it('answers within its bound while a table is locked', async () => {
      t = await makeApp(database, { PFORTE_METRICS_TOKEN: METRICS_TOKEN });
      await t.core.store.db.connection().execute(async (locker) => {
        await sql`begin`.execute(locker);
        await sql`lock table tokens in access exclusive mode`.execute(locker);
        try {
          const started = performance.now();
          const samples = await scrape(t);
          const took = performance.now() - started;
          expect(took).toBeGreaterThanOrEqual(SCRAPE_QUERY_TIMEOUT_MS - 50);
          expect(took).toBeLessThan(SCRAPE_QUERY_TIMEOUT_MS + 2000);
          expect(samples.get('pforte_metrics_scrape_errors_total{source="tokens"}')).toBe(1);
          expect(samples.get('pforte_enrollments{state="open"}')).toBe(0);
        } finally {
          await sql`rollback`.execute(locker);
        }
      });
    });
  }
});
