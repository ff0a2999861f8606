/**
 * The headers browsers act on: over https every answer carries HSTS — redirects,
 * `/auth/check`, the API and errors as well as pages; every page denies powerful
 * browser features (the authenticator app keeps its camera) and opens in a browsing
 * context of its own; and `/favicon.ico` is the site's icon, cached.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';

const HSTS = 'max-age=31536000; includeSubDomains';
const ICON = readFileSync(new URL('../../assets/favicon.svg', import.meta.url), 'utf8');

/** Requests a browser, a reverse proxy or a service makes: pages, redirects, API, errors. */
const ANSWERS: [string, { url: string; key?: boolean; method?: 'GET' | 'POST' }, number][] = [
  ['the sign-in page', { url: '/login' }, 200],
  ['the services page without a session (a redirect)', { url: '/services' }, 303],
  ['the proxy sign-in redirect', { url: '/auth/signin' }, 302],
  ['the forward-auth check', { url: '/auth/check' }, 401],
  ['the app redirect', { url: '/app' }, 301],
  ['the authenticator app', { url: '/app/' }, 200],
  ['an enrollment page for an unknown code', { url: `/enroll/${'Z'.repeat(25)}` }, 404],
  ['a help page', { url: '/help/android' }, 200],
  ['the stylesheet', { url: '/assets/pforte.css' }, 200],
  ['the icon', { url: '/favicon.ico' }, 200],
  ['the health check', { url: '/healthz' }, 200],
  ['an API list', { url: '/api/v1/users', key: true }, 200],
  ['the API without a key', { url: '/api/v1/users' }, 401],
  ['an unknown path', { url: '/nowhere' }, 404],
  ['a path the router refuses', { url: `/enroll/${'A'.repeat(300)}` }, 400],
  ['a sign-in without a body', { url: '/api/v1/validate', key: true, method: 'POST' }, 400],
];

describe('over https', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('sqlite', { PFORTE_PUBLIC_URL: 'https://sso.example.org' });
  });
  afterAll(() => t.close());

  it.each(ANSWERS)('%s carries HSTS', async (_name, request, status) => {
    const response = await t.call({
      method: request.method ?? 'GET',
      url: request.url,
      key: request.key ? undefined : null,
    });
    expect(response.statusCode).toBe(status);
    expect(response.headers['strict-transport-security']).toBe(HSTS);
  });
});

describe('over http', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('sqlite');
  });
  afterAll(() => t.close());

  it.each(ANSWERS)('%s carries no HSTS (browsers ignore it there)', async (_name, request) => {
    const response = await t.call({
      method: request.method ?? 'GET',
      url: request.url,
      key: request.key ? undefined : null,
    });
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it.each([
    ['the sign-in page', '/login'],
    ['the sign-in page after a session ended', '/login?expired=1'],
    ['an enrollment page', `/enroll/${'Z'.repeat(25)}`],
    ['a help page', '/help/iphone'],
  ])(
    '%s denies camera, microphone, location and more, in its own browsing context',
    async (_name, url) => {
      const page = await t.app.inject({ method: 'GET', url });
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      const policy = page.headers['permissions-policy'] as string;
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) {
        expect(policy).toContain(`${feature}=()`);
      }
      expect(policy).not.toContain('(self)');
      expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(page.body).toContain('<link rel="icon" href="/favicon.ico" type="image/svg+xml" />');
    },
  );

  it('lets the authenticator app use the camera (its QR scanner), and nothing else', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/app/' });
    const policy = page.headers['permissions-policy'] as string;
    expect(policy).toContain('camera=(self)');
    expect(policy).toContain('microphone=()');
    expect(policy).toContain('geolocation=()');
    expect(policy.match(/\(self\)/g)).toHaveLength(1);
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('serves the icon at /favicon.ico as SVG, cached, and 304 when the browser has it', async () => {
    const icon = await t.app.inject({ method: 'GET', url: '/favicon.ico' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(icon.headers['cache-control']).toBe('public, max-age=86400');
    expect(icon.body).toBe(ICON);
    expect(icon.body).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 64 64">/,
    );
    const again = await t.app.inject({
      method: 'GET',
      url: '/favicon.ico',
      headers: { 'if-none-match': icon.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
    expect((await t.app.inject({ method: 'GET', url: '/assets/favicon.svg' })).body).toBe(ICON);
  });
});
