/**
 * OpenID Connect services in the console: the list shows configured and stored services
 * without a secret; adding one shows its secret once, with the discovery address, and
 * the database keeps it only sealed; removing a stored one asks first, a configured one
 * is changed in the configuration. Every change is audited; help-desk operators reach
 * none of it, and hostile forms come back with the reason and store nothing. On SQLite
 * and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { findStoredClient } from '../../src/oidc/clients.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { signedInOperator, type ConsoleBrowser } from '../helpers/console-client.js';
import { DATABASES } from '../helpers/core.js';
import { snapshotDatabase } from '../helpers/snapshot.js';

/** A secret as the core makes it: 32 random bytes, base64url. */
const SECRET = /<p class="secret-once" id="new-client-secret">([A-Za-z0-9_-]{43})<\/p>/;
const CONFIGURED = {
  client_id: 'wiki',
  client_secret: 'configured-wiki-secret-0123456789',
  redirect_uris: ['https://wiki.example.org/callback'],
  name: 'Wiki',
  first_party: true,
};
const GRAFANA = {
  client_id: 'grafana',
  name: 'Grafana',
  redirect_uris: 'https://grafana.example.org/login/generic_oauth\r\nhttp://127.0.0.1:3000/cb',
  post_logout_redirect_uris: 'https://grafana.example.org/login',
  first_party: 'on',
  refresh_tokens: 'on',
};

describe.each(DATABASES)('console OpenID Connect services on %s', (database) => {
  let t: TestApp;
  let admin: ConsoleBrowser;
  beforeEach(async () => {
    t = await makeApp(database, {
      PFORTE_PUBLIC_URL: 'https://login.example.org/',
      PFORTE_OIDC_CLIENTS: JSON.stringify([CONFIGURED]),
    });
    admin = await signedInOperator(t, 'olga', 'admin');
  });
  afterEach(async () => t.close());

  const add = (fields: Record<string, string>) =>
    admin.submit('/admin/oidc/new', '/admin/oidc', fields);
  const csrfOf = async (browser: ConsoleBrowser, page: string) =>
    /name="_csrf" value="([^"]+)"/.exec((await browser.request('GET', page)).body)![1]!;

  it('lists the configured services for an administrator, linked from the navigation, without a secret', async () => {
    const overview = await admin.request('GET', '/admin/');
    expect(overview.body).toMatch(/<a href="\/admin\/oidc"\s*>OpenID Connect<\/a/);
    const page = await admin.request('GET', '/admin/oidc');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<h1>OpenID Connect</h1>');
    expect(page.body).toMatch(/<a href="\/admin\/oidc"\s+aria-current="page"/);
    expect(page.body).toContain(
      '<code>https://login.example.org/.well-known/openid-configuration</code>',
    );
    expect(page.body).toContain('<td>Wiki</td>');
    expect(page.body).toContain('<td><code>wiki</code></td>');
    expect(page.body).toContain('<td>Konfiguration</td>');
    expect(page.body).toContain('<td>vertraulich (Geheimnis)</td>');
    expect(page.body).toContain('<code>https://wiki.example.org/callback</code>');
    expect(page.body).toContain('in der Konfiguration zu ändern');
    expect(page.body).not.toContain('/admin/oidc/wiki/remove');
    expect(page.body).not.toContain(CONFIGURED.client_secret);
  });

  it('adds a service, shows its secret once with the discovery address, and lists it without it', async () => {
    const form = await admin.request('GET', '/admin/oidc/new');
    expect(form.body).toContain('<h1>Dienst hinzufügen</h1>');
    const answer = await add(GRAFANA);
    expect(answer.statusCode).toBe(201);
    expect(answer.headers['cache-control']).toBe('no-store');
    const secret = SECRET.exec(answer.body)![1]!;
    expect(answer.body).toContain('nur dieses eine Mal angezeigt');
    expect(answer.body).toMatch(/data-copy="new-client-secret"/);
    expect(answer.body).toContain(
      '<code>https://login.example.org/.well-known/openid-configuration</code>',
    );
    expect(answer.body).toContain('<code>grafana</code>');

    // The provider finds the client with that secret and what the form said.
    expect(await findStoredClient(t.core, 'grafana')).toMatchObject({
      client_secret: secret,
      client_name: 'Grafana',
      redirect_uris: [
        'https://grafana.example.org/login/generic_oauth',
        'http://127.0.0.1:3000/cb',
      ],
      post_logout_redirect_uris: ['https://grafana.example.org/login'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_basic',
      first_party: true,
    });
    const row = await t.core.store.db
      .selectFrom('oidc_clients')
      .selectAll()
      .where('client_id', '=', 'grafana')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.sealed_secret).not.toBe('');

    const list = await admin.request('GET', '/admin/oidc');
    expect(list.body).toContain('<td>Grafana</td>');
    expect(list.body).toContain('<td>Datenbank</td>');
    expect(list.body).toContain('href="/admin/oidc/grafana/remove"');
    expect(list.body).not.toContain(secret);
    expect(list.body).not.toMatch(/secret-once/);

    const [added] = (await listAudit(t.core, { action: 'oidc.client_add' })).items;
    expect(added).toMatchObject({
      actor: 'olga',
      face: 'console',
      outcome: 'success',
      detail: {
        client: 'grafana',
        name: 'Grafana',
        public: false,
        first_party: true,
        refresh_tokens: true,
      },
    });
    expect(JSON.stringify(added)).not.toContain(secret);
  });

  it('adds a public client without a secret and says so', async () => {
    const answer = await add({
      client_id: 'spa',
      redirect_uris: 'https://app.example.org/',
      public: 'on',
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.body).not.toMatch(/secret-once/);
    expect(answer.body).toContain('Ein öffentlicher Client hat kein Geheimnis');
    expect(await findStoredClient(t.core, 'spa')).toMatchObject({
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      first_party: false,
    });
    const list = await admin.request('GET', '/admin/oidc');
    expect(list.body).toContain('<td>öffentlich (PKCE)</td>');
  });

  it('removes a stored service after a page that asks, and audits it', async () => {
    await add(GRAFANA);
    const confirm = await admin.request('GET', '/admin/oidc/grafana/remove');
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Den Dienst „Grafana“ (grafana) entfernen?');
    expect(await findStoredClient(t.core, 'grafana')).toBeDefined();
    const removed = await admin.submit('/admin/oidc/grafana/remove', '/admin/oidc/grafana/remove');
    expect(removed.statusCode).toBe(200);
    expect(removed.body).toContain('Der Dienst „grafana“ ist entfernt.');
    expect(await findStoredClient(t.core, 'grafana')).toBeUndefined();
    expect((await admin.request('GET', '/admin/oidc')).body).not.toContain('<td>Grafana</td>');
    const events = (await listAudit(t.core, { action: 'oidc.client_remove' })).items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: 'olga',
      face: 'console',
      detail: { client: 'grafana', name: 'Grafana' },
    });
    // A second removal finds nothing and records nothing.
    const again = await admin.request('GET', '/admin/oidc/grafana/remove');
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('Einen Dienst „grafana“ gibt es nicht (mehr).');
    expect((await listAudit(t.core, { action: 'oidc.client_remove' })).items).toHaveLength(1);
  });

  it('sends a configured service to the configuration instead of removing it', async () => {
    const before = await snapshotDatabase(t.core);
    const page = await admin.request('GET', '/admin/oidc/wiki/remove');
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('steht in der Konfiguration (PFORTE_OIDC_CLIENTS)');
    const csrf = await csrfOf(admin, '/admin/oidc');
    const post = await admin.request('POST', '/admin/oidc/wiki/remove', { _csrf: csrf });
    expect(post.statusCode).toBe(409);
    expect(await snapshotDatabase(t.core)).toBe(before);
  });

  it('refuses a help-desk operator every page and form, hides the link, and changes nothing', async () => {
    await add(GRAFANA);
    const helpdesk = await signedInOperator(t, 'hans', 'helpdesk');
    const before = await snapshotDatabase(t.core);
    expect((await helpdesk.request('GET', '/admin/')).body).not.toContain('href="/admin/oidc"');
    for (const url of ['/admin/oidc', '/admin/oidc/new', '/admin/oidc/grafana/remove']) {
      const page = await helpdesk.request('GET', url);
      expect(page.statusCode, url).toBe(403);
      expect(page.body).toContain('Nicht erlaubt');
      expect(page.body).not.toContain('Grafana');
    }
    const csrf = await csrfOf(helpdesk, '/admin/');
    const post = await helpdesk.request('POST', '/admin/oidc', {
      _csrf: csrf,
      ...GRAFANA,
      client_id: 'sneaky',
    });
    expect(post.statusCode).toBe(403);
    expect(post.body).not.toMatch(SECRET);
    const remove = await helpdesk.request('POST', '/admin/oidc/grafana/remove', { _csrf: csrf });
    expect(remove.statusCode).toBe(403);
    expect(await snapshotDatabase(t.core)).toBe(before);
  });

  it('gives a hostile or mistaken form back with the reason and stores nothing', async () => {
    await add(GRAFANA);
    const before = await snapshotDatabase(t.core);
    const csrf = await csrfOf(admin, '/admin/oidc/new');
    const ok = { client_id: 'nextcloud', redirect_uris: 'https://cloud.example.org/cb' };
    const forms: [Record<string, string>, number, string][] = [
      [{ ...ok, client_id: '' }, 400, 'Die Client-ID ist ungültig'],
      [{ ...ok, client_id: '<script>alert(1)</script>' }, 400, 'Die Client-ID ist ungültig'],
      [{ ...ok, client_id: '-lead' }, 400, 'Die Client-ID ist ungültig'],
      [{ ...ok, client_id: 'x'.repeat(101) }, 400, 'Die Client-ID ist ungültig'],
      [{ ...ok, name: 'bell\u0007' }, 400, 'Der Name ist ungültig'],
      [{ ...ok, name: 'x'.repeat(101) }, 400, 'Der Name ist ungültig'],
      [{ ...ok, redirect_uris: ' \r\n ' }, 400, 'Es fehlt eine Weiterleitungsadresse'],
      [{ ...ok, redirect_uris: 'javascript:alert(1)' }, 400, '„javascript:alert(1)“ ist keine'],
      [{ ...ok, redirect_uris: 'data:text/html,x' }, 400, 'ist keine gültige Adresse'],
      [{ ...ok, redirect_uris: '/relative/callback' }, 400, 'ist keine gültige Adresse'],
      [{ ...ok, redirect_uris: 'http://cloud.example.org/cb' }, 400, 'ist keine gültige'],
      [{ ...ok, redirect_uris: 'http://127.0.0.2/cb' }, 400, 'ist keine gültige Adresse'],
      [{ ...ok, redirect_uris: 'https://cloud.example.org/cb#x' }, 400, 'ist keine gültige'],
      [{ ...ok, redirect_uris: 'https://a b.example.org/' }, 400, 'ist keine gültige Adresse'],
      [{ ...ok, redirect_uris: 'https://u:p@cloud.example.org/' }, 400, 'ist keine gültige'],
      [{ ...ok, redirect_uris: 'https://[nope/' }, 400, 'ist keine gültige Adresse'],
      [
        { ...ok, redirect_uris: `https://cloud.example.org/${'x'.repeat(2000)}` },
        400,
        'ist keine gültige Adresse',
      ],
      [
        {
          ...ok,
          redirect_uris: Array.from({ length: 51 }, (_, i) => `https://e.org/${i}`).join('\n'),
        },
        400,
        'höchstens 50 Adressen',
      ],
      [{ ...ok, post_logout_redirect_uris: 'ftp://x.org/' }, 400, '„ftp://x.org/“ ist keine'],
      [{ ...ok, client_id: 'wiki' }, 409, 'gibt es bereits in der Konfiguration'],
      [{ ...ok, client_id: 'grafana' }, 409, 'Einen Dienst „grafana“ gibt es bereits'],
    ];
    for (const [fields, status, text] of forms) {
      const what = JSON.stringify(fields).slice(0, 100);
      const answer = await admin.request('POST', '/admin/oidc', { _csrf: csrf, ...fields });
      expect(answer.statusCode, what).toBe(status);
      expect(answer.body, what).toContain(text);
      expect(answer.body, what).toContain('Es wurde nichts gespeichert.');
      // The form comes back filled in, the field at fault marked.
      expect(answer.body, what).toContain('<h1>Dienst hinzufügen</h1>');
      expect(answer.body, what).toContain('aria-invalid="true"');
      expect(answer.body, what).not.toMatch(SECRET);
      expect(answer.body, what).not.toContain('<script>alert');
    }
    const kept = await admin.request('POST', '/admin/oidc', {
      _csrf: csrf,
      ...ok,
      name: 'Cloud',
      redirect_uris: 'http://cloud.example.org/cb',
      first_party: 'on',
    });
    expect(kept.body).toMatch(/id="oidc-name"[^>]*value="Cloud"/);
    expect(kept.body).toMatch(/>\nhttp:\/\/cloud\.example\.org\/cb<\/textarea>/);
    expect(kept.body).toMatch(/id="oidc-first-party"[^>]*checked/);
    expect(kept.body).toMatch(/id="oidc-redirect-uris"[^>]*aria-invalid="true"/);

    // What the console's forms refuse before reading them: no CSRF token, a forged one, a
    // field it does not know, a body over the limit.
    const refused: [Record<string, string>, number][] = [
      [{ ...ok }, 403],
      [{ _csrf: 'forged', ...ok }, 403],
      [{ _csrf: csrf, ...ok, client_secret: 'mine' }, 400],
      [{ _csrf: csrf, ...ok, redirect_uris: 'https://e.org/'.repeat(400) }, 413],
    ];
    for (const [fields, status] of refused) {
      const answer = await admin.request('POST', '/admin/oidc', fields);
      expect(answer.statusCode, Object.keys(fields).join()).toBe(status);
      expect(answer.headers['content-type']).toContain('text/html');
    }
    for (const url of ['/admin/oidc/nothing/remove', '/admin/oidc/..%2Fapikeys/remove']) {
      expect((await admin.request('GET', url)).statusCode, url).toBe(404);
    }
    expect(
      (await admin.request('POST', '/admin/oidc/grafana/remove', { _csrf: 'forged' })).statusCode,
    ).toBe(403);
    expect(await snapshotDatabase(t.core)).toBe(before);
  });

  it('speaks English', async () => {
    const list = await admin.request('GET', '/admin/oidc?lang=en');
    expect(list.body).toContain('<td>configuration</td>');
    expect(list.body).toContain('changed in the configuration');
    expect(list.body).toContain('>Add service</a>');
    const answer = await add({ ...GRAFANA, client_id: 'gitlab', name: 'GitLab' });
    expect(answer.body).toContain('<h1>Service added</h1>');
    expect(answer.body).toContain('it is shown this once only');
    const bad = await add({ client_id: 'x', redirect_uris: 'http://example.org/' });
    expect(bad.body).toContain('“http://example.org/” is not a valid address');
    const confirm = await admin.request('GET', '/admin/oidc/gitlab/remove');
    expect(confirm.body).toContain('Remove the service “GitLab” (gitlab)?');
  });
});
