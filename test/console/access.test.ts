/**
 * Who reaches the console: operators with a role, signed in through the portal with
 * their token; console sessions end after 15 idle minutes or 8 hours, and at the next
 * request when the role is taken or the token revoked. On SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { changeTokenState } from '../../src/tokens/state.js';
import { setUserRole } from '../../src/users/roles.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ConsoleBrowser, signedInOperator } from '../helpers/console-client.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { PortalBrowser } from '../helpers/portal-client.js';

describe.each(DATABASES)('console access on %s', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp(database, { PFORTE_PORTAL_NAME: 'Hamburg-Cloud' });
  });
  afterEach(async () => t.close());

  it('sends a visitor without a session to the portal’s sign-in, and back after it', async () => {
    const visitor = new PortalBrowser(t);
    const page = await visitor.request('GET', '/admin/users?q=al');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?return=%2Fadmin%2Fusers%3Fq%3Dal');
    const operator = await signedInOperator(t, 'olga', 'admin');
    const signIn = await operator.request('GET', '/login?return=%2Fadmin%2F');
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe('/admin/');
  });

  it('shows an administrator the overview, with every section, under the strict page headers', async () => {
    const admin = await signedInOperator(t, 'olga', 'admin');
    const page = await admin.request('GET', '/admin/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Übersicht</h1>');
    expect(page.body).toContain('Angemeldet als olga (Administrator)');
    for (const section of ['Benutzer', 'Protokoll', 'API-Schlüssel', 'Einstellungen']) {
      expect(page.body).toContain(`>${section}</a`);
    }
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.body).toMatch(/<form method="post" action="\/logout"[^]*name="_csrf"/);
    const english = await admin.request('GET', '/admin/?lang=en');
    expect(english.body).toContain('<h1>Overview</h1>');
    expect(english.body).toContain('Signed in as olga (administrator)');
  });

  it('links the portal’s services page to the console for operators only', async () => {
    const admin = await signedInOperator(t, 'olga', 'admin');
    const services = await admin.request('GET', '/services');
    expect(services.body).toContain('<a class="button" href="/admin/">Zur Verwaltung</a>');
    const user = await signedInOperator(t, 'bert', null);
    expect((await user.request('GET', '/services')).body).not.toContain('href="/admin/"');
  });

  it('shows a help-desk operator only the sections of the role', async () => {
    const helpdesk = await signedInOperator(t, 'hans', 'helpdesk');
    const page = await helpdesk.request('GET', '/admin/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('>Benutzer</a');
    expect(page.body).not.toContain('>API-Schlüssel</a');
    expect(page.body).not.toContain('>Einstellungen</a');
  });

  it('tells a signed-in user without a role that they have none, and shows no console', async () => {
    const user = await signedInOperator(t, 'bert', null);
    const page = await user.request('GET', '/admin/');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('Kein Zugang zur Verwaltung');
    expect(page.body).toContain('keine Rolle in der Verwaltung');
    expect(page.body).not.toContain('class="console-nav"');
  });

  it('asks for a new sign-in after 15 idle minutes, though the portal session lives 30', async () => {
    const admin = await signedInOperator(t, 'olga', 'admin');
    t.clock.advance(14 * 60_000);
    expect((await admin.request('GET', '/admin/')).statusCode).toBe(200);
    t.clock.advance(15 * 60_000 + 1000);
    const page = await admin.request('GET', '/admin/');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?return=%2Fadmin%2F&expired=1');
  });

  it('asks for a new sign-in 8 hours after it, however busy', async () => {
    const admin = await signedInOperator(t, 'olga', 'admin');
    for (let hour = 0; hour < 8 * 6 - 1; hour++) {
      t.clock.advance(10 * 60_000);
      expect((await admin.request('GET', '/admin/')).statusCode).toBe(200);
    }
    t.clock.advance(10 * 60_000);
    expect((await admin.request('GET', '/admin/')).statusCode).toBe(303);
  });

  it('ends at the next request when the role is taken away', async () => {
    const admin = await signedInOperator(t, 'olga', 'admin');
    expect((await admin.request('GET', '/admin/')).statusCode).toBe(200);
    await setUserRole(t.core, ADMIN, 'olga', null);
    const page = await admin.request('GET', '/admin/');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('Kein Zugang zur Verwaltung');
  });

  it('ends at the next request when the token the operator signed in with is revoked', async () => {
    const admin: ConsoleBrowser = await signedInOperator(t, 'olga', 'admin');
    await changeTokenState(t.core, ADMIN, admin.token.serial, 'revoke');
    const page = await admin.request('GET', '/admin/');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toContain('expired=1');
    // The session is gone, not only refused: the portal asks for a sign-in too.
    expect((await admin.request('GET', '/services')).statusCode).toBe(303);
  });

  it('counts what the overview shows, and links each figure to its list', async () => {
    const admin = await signedInOperator(t, 'olga', 'admin');
    await signedInOperator(t, 'bert', null);
    const page = await admin.request('GET', '/admin/?lang=en');
    const figure = (href: string) =>
      new RegExp(
        `href="${href.replace(/[?]/g, '\\?')}"><span class="figure-value">(\\d+)</span>`,
      ).exec(page.body.replaceAll('&amp;', '&'))?.[1];
    expect(figure('/admin/users')).toBe('2');
    expect(figure('/admin/users?token=active')).toBe('2');
    expect(figure('/admin/audit?action=signin&outcome=accept&since=24h')).toBe('2');
    expect(figure('/admin/enrollments?state=open')).toBe('0');
    const events = await listAudit(t.core, {});
    expect(events.items.some((e) => e.action === 'signin' && e.outcome === 'accept')).toBe(true);
  });

  it('answers an unknown console address with a page, not JSON', async () => {
    const admin = await signedInOperator(t, 'olga', 'admin');
    const page = await admin.request('GET', '/admin/nothing-here');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('Nicht gefunden');
  });

  it('sets and takes roles through the CLI’s core call and PATCH /api/v1/users', async () => {
    await signedInOperator(t, 'hans', null);
    const patched = await t.call({
      method: 'PATCH',
      url: '/api/v1/users/hans',
      payload: { role: 'helpdesk' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ username: 'hans', role: 'helpdesk' });
    const bad = await t.call({
      method: 'PATCH',
      url: '/api/v1/users/hans',
      payload: { role: 'root' },
    });
    expect(bad.statusCode).toBe(400);
    expect((await t.call({ method: 'GET', url: '/api/v1/users/hans' })).json().role).toBe(
      'helpdesk',
    );
    await setUserRole(t.core, ADMIN, 'hans', null);
    const audit = await listAudit(t.core, { username: 'hans' });
    expect(audit.items.filter((e) => e.action === 'user.role').map((e) => e.detail.role)).toEqual([
      'none',
      'helpdesk',
    ]);
  });
});
