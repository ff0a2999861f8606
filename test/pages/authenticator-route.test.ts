/**
 * `/app/`: the built authenticator, served with its organisation's name, a strict
 * Content-Security-Policy, and caching that lets a new version arrive at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

const BUILT = new URL('../../dist/app/', import.meta.url);

describe('the authenticator route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('sqlite', { PFORTE_ORGANISATION_NAME: 'Müller & "Söhne" <AG>' });
  });
  afterAll(() => t.close());
  const get = (url: string, headers = {}) => t.app.inject({ method: 'GET', url, headers });

  it('serves the app page with the organisation named, no inline script, and a strict policy', async () => {
    const page = await get('/app/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain(
      '<meta name="pforte-organisation" content="Müller &amp; &quot;Söhne&quot; &lt;AG&gt;" />',
    );
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect((await get('/app')).headers.location).toBe('/app/');
  });

  it("writes an organisation name with $' or $& as it is, not as a replacement pattern", async () => {
    const other = await makeApp('sqlite', { PFORTE_ORGANISATION_NAME: "ACME $' $& Corp" });
    const page = await other.app.inject({ method: 'GET', url: '/app/' });
    await other.close();
    expect(page.body).toContain(
      '<meta name="pforte-organisation" content="ACME $&#39; $&amp; Corp" />',
    );
    expect(page.body.match(/<meta name="pforte-organisation"/g)).toHaveLength(1);
  });

  it('carries the brand: name, colour, portal and contact in the page and the manifest', async () => {
    const other = await makeApp('sqlite', {
      PFORTE_ORGANISATION_NAME: 'Example AG',
      PFORTE_PORTAL_NAME: 'Smart Workplace',
      PFORTE_ORGANISATION_COLOUR: '#f2c200',
      PFORTE_ORGANISATION_CONTACT: 'IT-Service, +49 40 1234-0',
      PFORTE_PORTAL_URL: 'https://portal.example.org/',
    });
    const page = (await other.app.inject({ method: 'GET', url: '/app/' })).body;
    const manifest = await other.app.inject({ method: 'GET', url: '/app/manifest.webmanifest' });
    await other.close();
    for (const meta of [
      '<meta name="theme-color" content="#f2c200" />',
      '<meta name="apple-mobile-web-app-title" content="Smart Workplace" />',
      '<meta name="pforte-organisation" content="Example AG" />',
      '<meta name="pforte-portal" content="https://portal.example.org/" />',
      '<meta name="pforte-contact" content="IT-Service, +49 40 1234-0" />',
      // A light colour gets dark text (WCAG contrast), a dark one white.
      '<meta name="pforte-header-text" content="#1a1a1a" />',
    ]) {
      expect(page).toContain(meta);
    }
    expect(page).toContain('<title>Smart Workplace</title>');
    expect(page).toContain('<span class="brand">Smart Workplace</span>');
    expect(page).not.toContain('Pforte Authenticator</title>');
    expect(manifest.headers['cache-control']).toBe('no-cache');
    expect(manifest.json()).toMatchObject({
      name: 'Smart Workplace',
      short_name: 'Smart Workplace',
      theme_color: '#f2c200',
      background_color: '#f2c200',
      start_url: '/app/',
    });
  });

  it('names this server’s portal and the organisation when no portal is configured', async () => {
    const page = (await get('/app/')).body;
    expect(page).toContain('<meta name="pforte-portal" content="http://localhost:8080/" />');
    expect(page).toContain('<span class="brand">Müller &amp; &quot;Söhne&quot; &lt;AG&gt;</span>');
    expect(page).toContain('<meta name="pforte-header-text" content="#ffffff" />');
    expect((await get('/app/manifest.webmanifest')).json().name).toBe('Müller & "Söhne" <AG>');
  });

  it('caches hashed files for good and checks the service worker and manifest every time', async () => {
    const [script] = readdirSync(new URL('assets/', BUILT)).filter((f) => f.startsWith('index-'));
    const asset = await get(`/app/assets/${script}`);
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe(readFileSync(new URL(`assets/${script}`, BUILT), 'utf8'));

    const worker = await get('/app/sw.js');
    expect(worker.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(worker.headers['cache-control']).toBe('no-cache');
    const again = await get('/app/sw.js', { 'if-none-match': worker.headers.etag as string });
    expect(again.statusCode).toBe(304);

    const manifest = await get('/app/manifest.webmanifest');
    expect(manifest.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
    expect(manifest.json()).toMatchObject({
      start_url: '/app/',
      scope: '/app/',
      display: 'standalone',
    });
    const icons = manifest.json().icons as { src: string; sizes: string; purpose?: string }[];
    expect(icons.map((i) => [i.sizes, i.purpose ?? 'any'])).toEqual([
      ['192x192', 'any'],
      ['512x512', 'any'],
      ['512x512', 'maskable'],
    ]);
    for (const icon of icons) {
      const png = await get(`/app/${icon.src}`);
      expect(png.headers['content-type']).toBe('image/png');
      const size = Number(icon.sizes.split('x')[0]);
      expect(png.rawPayload.readUInt32BE(16)).toBe(size);
      expect(png.rawPayload.readUInt32BE(20)).toBe(size);
    }
  });

  it.each([
    '/app/missing.js',
    '/app/../package.json',
    '/app/%2e%2e/package.json',
    '/app/assets/../../package.json',
    '/app/.vite/manifest.json',
  ])('answers %s with 404 and nothing from outside the build', async (url) => {
    const response = await get(url);
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('"name": "pforte"');
  });
});
