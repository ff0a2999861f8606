/** `/assets/<name>`: only the files of assets/, with their types and cache headers. */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { assetRoutes } from '../../src/http/static/assets.js';

const ASSETS = new URL('../../assets/', import.meta.url);

describe('asset routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    await app.register(assetRoutes(loadConfig({ env: { PFORTE_ORGANISATION_COLOUR: '#ffd400' } })));
    await app.ready();
  });
  afterAll(() => app.close());

  it.each([
    ['pforte.css', 'text/css; charset=utf-8'],
    ['pforte.js', 'text/javascript; charset=utf-8'],
  ])('serves %s as %s with cache headers', async (name, type) => {
    const response = await app.inject({ method: 'GET', url: `/assets/${name}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(type);
    expect(response.headers['cache-control']).toBe('public, max-age=3600');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toBe(readFileSync(new URL(name, ASSETS), 'utf8'));
  });

  it("serves brand.css with the organisation's colour and a readable text colour on it", async () => {
    const response = await app.inject({ method: 'GET', url: '/assets/brand.css' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/css; charset=utf-8');
    // Yellow is light: the header text on it is dark, not white (WCAG 1.4.3).
    expect(response.body).toContain('--header: #ffd400;');
    expect(response.body).toContain('--header-text: #1a1a1a;');
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await app.inject({ method: 'GET', url: '/assets/pforte.css' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await app.inject({
      method: 'GET',
      url: '/assets/pforte.css',
      headers: { 'if-none-match': `"other", W/${etag}` },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it.each([
    '/assets/nope.css',
    '/assets/..%2Fpackage.json',
    '/assets/%2e%2e%2fpackage.json',
    '/assets/__proto__',
    '/assets/',
    '/assets/pforte.css/x',
  ])('answers 404 to %s', async (url) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(404);
  });
});

describe('asset files', () => {
  it.each(['pforte.css', 'pforte.js'])('%s loads nothing from another host', (name) => {
    const text = readFileSync(new URL(name, ASSETS), 'utf8');
    expect(text).not.toMatch(/https?:\/\//);
    expect(text).not.toMatch(/@import|url\(/);
    expect(text).not.toMatch(/\beval\(|new Function/);
  });
});
