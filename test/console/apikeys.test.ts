/**
 * API keys in the console: a key is created after a confirmation of its own, shown once
 * and works against /api/v1; the list shows it without its secret; revoking it (again
 * after a confirmation) makes the REST interface refuse it. Help-desk operators reach
 * none of it, and hostile forms change nothing. On SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { signedInOperator, type ConsoleBrowser } from '../helpers/console-client.js';
import { DATABASES } from '../helpers/core.js';
import { snapshotDatabase } from '../helpers/snapshot.js';

const KEY = /pfk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}/;

describe.each(DATABASES)('console API keys on %s', (database) => {
  let t: TestApp;
  let admin: ConsoleBrowser;
  beforeEach(async () => {
    t = await makeApp(database);
    admin = await signedInOperator(t, 'olga', 'admin');
  });
  afterEach(async () => t.close());

  /** Creates a key through the confirmation page, as an operator would. */
  const create = async (name: string, scope: string) => {
    const confirm = await admin.request(
      'GET',
      `/admin/apikeys/new?name=${encodeURIComponent(name)}&scope=${scope}`,
    );
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(`Einen API-Schlüssel „${name}“ mit dem Umfang „${scope}“`);
    expect(confirm.body).not.toMatch(KEY);
    return admin.submit(
      `/admin/apikeys/new?name=${encodeURIComponent(name)}&scope=${scope}`,
      '/admin/apikeys',
      { name, scope },
    );
  };

  it('creates a key after confirmation, shows it once, and the key works against /api/v1', async () => {
    const answer = await create('Backup script', 'admin');
    expect(answer.statusCode).toBe(201);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body).toContain('nur dieses eine Mal angezeigt');
    const key = KEY.exec(answer.body)![0];
    expect(answer.body).toContain(`<p class="secret-once" id="new-api-key">${key}</p>`);
    expect(answer.body).toMatch(/data-copy="new-api-key"/);

    const users = await t.call({ method: 'GET', url: '/api/v1/users', key });
    expect(users.statusCode).toBe(200);

    const list = await admin.request('GET', '/admin/apikeys');
    expect(list.body).toContain('<td>Backup script</td>');
    expect(list.body).not.toMatch(KEY);
    // The secret is everything after `pfk_<id>_` (it may itself hold an underscore).
    expect(list.body).not.toContain(key.slice('pfk_'.length + 16 + 1));
    const [created] = (await listAudit(t.core, { action: 'apikey.create' })).items;
    expect(created).toMatchObject({
      actor: 'olga',
      face: 'console',
      detail: { name: 'Backup script', scope: 'admin' },
    });
  });

  it('asks before revoking, and a revoked key is refused at once', async () => {
    const key = KEY.exec((await create('vpn', 'validate')).body)![0];
    const id = key.split('_')[1]!;
    const list = await admin.request('GET', '/admin/apikeys?lang=en');
    expect(list.body).toContain(`href="/admin/apikeys/${id}/revoke"`);
    const confirm = await admin.request('GET', `/admin/apikeys/${id}/revoke?lang=de`);
    expect(confirm.body).toContain('Den API-Schlüssel „vpn“ widerrufen?');
    const validate = () =>
      t.call({
        method: 'POST',
        url: '/api/v1/validate',
        key,
        payload: { username: 'nobody', otp: '123456' },
      });
    expect((await validate()).statusCode).not.toBe(401);
    const revoked = await admin.submit(
      `/admin/apikeys/${id}/revoke`,
      `/admin/apikeys/${id}/revoke`,
    );
    expect(revoked.statusCode).toBe(200);
    expect(revoked.body).toContain('Der API-Schlüssel „vpn“ ist widerrufen.');
    expect((await validate()).statusCode).toBe(401);
    const after = await admin.request('GET', '/admin/apikeys');
    expect(after.body).toContain('widerrufen am');
    expect(after.body).not.toContain(`href="/admin/apikeys/${id}/revoke"`);
    // A second revocation is refused, not recorded twice.
    const again = await admin.request('GET', `/admin/apikeys/${id}/revoke`);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('bereits widerrufen');
    expect((await listAudit(t.core, { action: 'apikey.revoke' })).items).toHaveLength(1);
  });

  it('pages the list by name', async () => {
    for (let i = 0; i < 55; i++) await create(`key ${String(i).padStart(2, '0')}`, 'validate');
    const first = await admin.request('GET', '/admin/apikeys');
    const names = (body: string) =>
      [...body.matchAll(/<td>(key \d\d|admin|portal)<\/td>/g)].map((m) => m[1]);
    const next = /<a href="([^"]+)" rel="next">/.exec(first.body)![1]!.replaceAll('&amp;', '&');
    const second = await admin.request('GET', next);
    const all = [...names(first.body), ...names(second.body)];
    expect(all).toHaveLength(57);
    expect(new Set(all).size).toBe(57);
  });

  it('refuses a help-desk operator every page and form, and changes nothing', async () => {
    const id = (await t.core.store.db.selectFrom('api_keys').select('id').executeTakeFirstOrThrow())
      .id;
    const helpdesk = await signedInOperator(t, 'hans', 'helpdesk');
    const before = await snapshotDatabase(t.core);
    for (const url of [
      '/admin/apikeys',
      '/admin/apikeys/new?name=x&scope=admin',
      `/admin/apikeys/${id}/revoke`,
    ]) {
      const page = await helpdesk.request('GET', url);
      expect(page.statusCode, url).toBe(403);
      expect(page.body).toContain('Nicht erlaubt');
    }
    const csrf = /name="_csrf" value="([^"]+)"/.exec(
      (await helpdesk.request('GET', '/admin/')).body,
    )![1]!;
    const post = await helpdesk.request('POST', '/admin/apikeys', {
      _csrf: csrf,
      name: 'x',
      scope: 'admin',
    });
    expect(post.statusCode).toBe(403);
    expect(post.body).not.toMatch(KEY);
    const revoke = await helpdesk.request('POST', `/admin/apikeys/${id}/revoke`, { _csrf: csrf });
    expect(revoke.statusCode).toBe(403);
    expect(await snapshotDatabase(t.core)).toBe(before);
  });

  it('refuses hostile input with a clear page and creates or revokes nothing', async () => {
    const before = await snapshotDatabase(t.core);
    const pages: [string, number, string][] = [
      ['/admin/apikeys/new?name=&scope=admin', 400, 'Der Name ist ungültig'],
      [`/admin/apikeys/new?name=${'x'.repeat(65)}&scope=admin`, 400, 'Der Name ist ungültig'],
      ['/admin/apikeys/new?name=%3Cscript%3E&scope=admin', 400, 'Der Name ist ungültig'],
      ['/admin/apikeys/new?name=ok&scope=root', 400, 'Der Umfang muss'],
      ['/admin/apikeys/new?name=a&name=b&scope=admin', 400, 'Der Name ist ungültig'],
      ['/admin/apikeys/new?name=admin&scope=admin', 200, 'Einen API-Schlüssel „admin“'],
      ['/admin/apikeys/nothing/revoke', 404, 'API key not found'],
      ['/admin/apikeys/0000000000000000/revoke', 404, 'API key not found'],
      ['/admin/apikeys?cursor=%%%', 400, 'cursor is not one this list gave'],
    ];
    for (const [url, status, text] of pages) {
      const page = await admin.request('GET', url);
      expect(page.statusCode, url).toBe(status);
      expect(page.body, url).toContain(text);
    }
    const csrf = /name="_csrf" value="([^"]+)"/.exec(
      (await admin.request('GET', '/admin/apikeys')).body,
    )![1]!;
    const posts: [Record<string, string>, number, string][] = [
      [{ name: 'x', scope: 'admin' }, 403, 'Das Formular ist abgelaufen'],
      [{ _csrf: 'forged', name: 'x', scope: 'admin' }, 403, 'Das Formular ist abgelaufen'],
      [{ _csrf: csrf, name: 'x'.repeat(201), scope: 'admin' }, 400, 'Das Formular ist abgelaufen'],
      [{ _csrf: csrf, name: 'x', scope: 'admin', extra: '1' }, 400, 'Das Formular ist abgelaufen'],
      [{ _csrf: csrf, name: 'bad/name', scope: 'admin' }, 400, 'Der Name ist ungültig'],
      [{ _csrf: csrf, name: 'x', scope: 'root' }, 400, 'Der Umfang muss'],
      [
        { _csrf: csrf, name: 'admin', scope: 'admin' },
        409,
        'Es gibt bereits einen API-Schlüssel „admin“',
      ],
    ];
    for (const [form, status, text] of posts) {
      const answer = await admin.request('POST', '/admin/apikeys', form);
      expect(answer.statusCode, JSON.stringify(form).slice(0, 80)).toBe(status);
      expect(answer.body).toContain(text);
      expect(answer.body).not.toMatch(KEY);
    }
    const id = (await t.core.store.db.selectFrom('api_keys').select('id').executeTakeFirstOrThrow())
      .id;
    const revoke = await admin.request('POST', `/admin/apikeys/${id}/revoke`, { _csrf: 'forged' });
    expect(revoke.statusCode).toBe(403);
    expect(await snapshotDatabase(t.core)).toBe(before);
  });

  it('speaks English', async () => {
    const page = await admin.request('GET', '/admin/apikeys?lang=en');
    expect(page.body).toContain('<h1>API keys</h1>');
    expect(page.body).toContain('Create key');
    const confirm = await admin.request('GET', '/admin/apikeys/new?name=ci&scope=validate');
    expect(confirm.body).toContain('Create an API key “ci” with the scope “validate”?');
    const created = await admin.submit(
      '/admin/apikeys/new?name=ci&scope=validate',
      '/admin/apikeys',
      {
        name: 'ci',
        scope: 'validate',
      },
    );
    expect(created.body).toContain('it is shown this once only');
    expect(created.body).toMatch(/>\s*Copy\s*</);
  });
});
