/**
 * The settings page: the effective configuration, grouped, each setting with its
 * variable and description — and never a secret: the master key, the database's
 * password, the SMTP password and a directory's bind password are set in the test's
 * environment and must not appear; the page says only that they are set.
 * On SQLite and PostgreSQL (whose URL then carries a password).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, type TestApp } from '../helpers/app.js';
import { signedInOperator, type ConsoleBrowser } from '../helpers/console-client.js';
import { DATABASES, freshPostgresDatabase } from '../helpers/core.js';

const MASTER_KEY = 'ab'.repeat(32);
const SMTP_PASSWORD = 'smtp-Pa55word-7781';
const DB_PASSWORD = 'db-Pa55word-4410';
const BIND_PASSWORD = 'bind-Pa55word-9902';

describe.each(DATABASES)('console settings on %s', (database) => {
  let t: TestApp;
  let admin: ConsoleBrowser;
  let databaseUrl = '';
  beforeEach(async () => {
    const env: Record<string, string> = {
      PFORTE_MASTER_KEY: MASTER_KEY,
      PFORTE_SMTP_URL: `smtp://mailer:${SMTP_PASSWORD}@127.0.0.1:2525`,
      PFORTE_PORTAL_NAME: 'Hamburg-Cloud',
      PFORTE_DIRECTORIES: JSON.stringify([
        {
          name: 'corp',
          urls: ['ldap://127.0.0.1:3389'],
          bindDn: 'cn=pforte,dc=example,dc=org',
          bindPassword: BIND_PASSWORD,
          baseDn: 'dc=example,dc=org',
        },
      ]),
    };
    if (database === 'postgres') {
      // The suite's cluster takes any password; the page must show none.
      const url = new URL(await freshPostgresDatabase());
      url.password = DB_PASSWORD;
      databaseUrl = url.toString();
      env.PFORTE_DATABASE_URL = databaseUrl;
    }
    t = await makeApp(database, env);
    admin = await signedInOperator(t, 'olga', 'admin');
  });
  afterEach(async () => t.close());

  it('shows each setting with its variable, value and description, grouped', async () => {
    const page = await admin.request('GET', '/admin/settings');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<h1>Einstellungen</h1>');
    for (const group of ['Allgemein', 'Server', 'Datenbank', 'E-Mail', 'Verwaltung']) {
      expect(page.body).toMatch(new RegExp(`<h2 id="settings-[a-zA-Z]+">${group}</h2>`));
    }
    const squashed = page.body.replace(/\s+/g, ' ');
    expect(squashed).toContain('<code>portal.name</code>');
    expect(squashed).toContain('Umgebungsvariable: <code>PFORTE_PORTAL_NAME</code>');
    expect(squashed).toContain('<code>Hamburg-Cloud</code>');
    expect(squashed).toContain('The brand shown at the top of the sign-in portal.');
    expect(squashed).toMatch(
      /<code>console.idleMinutes<\/code>.*?<code>15<\/code> <span class="muted">\(Standard\)<\/span>/,
    );
    expect(squashed).toContain('<dt>bindDn</dt> <dd>cn=pforte,dc=example,dc=org</dd>');
    expect(squashed).toContain('<dt>bindPassword</dt> <dd>gesetzt</dd>');
    const english = await admin.request('GET', '/admin/settings?lang=en');
    expect(english.body).toContain('<h1>Settings</h1>');
    expect(english.body).toContain('Environment variable');
  });

  it('never shows the master key, the database password, the SMTP password or a bind password', async () => {
    for (const lang of ['de', 'en']) {
      const page = await admin.request('GET', `/admin/settings?lang=${lang}`);
      for (const secret of [MASTER_KEY, SMTP_PASSWORD, DB_PASSWORD, BIND_PASSWORD]) {
        expect(page.body).not.toContain(secret);
        expect(page.body).not.toContain(encodeURIComponent(secret));
      }
      expect(page.body).not.toContain('mailer:');
    }
    const squashed = (await admin.request('GET', '/admin/settings?lang=de')).body.replace(
      /\s+/g,
      ' ',
    );
    expect(squashed).toMatch(
      /<code>masterKey<\/code>.*?<span class="state state-active"\s*>gesetzt</,
    );
    expect(squashed).toMatch(
      /<code>mail.smtpUrl<\/code>.*?<span class="state state-active"\s*>gesetzt</,
    );
    if (database === 'postgres') {
      const shown = new URL(databaseUrl);
      expect(squashed).toContain(`${shown.hostname}:${shown.port}${shown.pathname}`);
    }
  });

  it('is for administrators only', async () => {
    const helpdesk = await signedInOperator(t, 'hans', 'helpdesk');
    const page = await helpdesk.request('GET', '/admin/settings');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('Nicht erlaubt');
    expect(page.body).not.toContain('PFORTE_');
    const user = await signedInOperator(t, 'bert', null);
    expect((await user.request('GET', '/admin/settings')).statusCode).toBe(403);
    // Read-only: there is nothing to post to.
    const posted = await admin.request('POST', '/admin/settings', { 'mail.smtpUrl': 'x' });
    expect(posted.statusCode).toBe(404);
    expect(posted.body).not.toContain('PFORTE_');
  });
});
