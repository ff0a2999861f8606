/**
 * Temporary access in the console: a help-desk operator issues a code on the user's
 * page, sees it once, the user signs in with it and the password; ending it early stops
 * it; policy can turn it off. On SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { decideSignIn } from '../../src/signin/decide.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { signedInOperator } from '../helpers/console-client.js';
import { DATABASES, SERVICE } from '../helpers/core.js';
import { addUserWithToken, PASSWORD } from '../helpers/tokens.js';

describe.each(DATABASES)('temporary access in the console on %s', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp(database);
    await addUserWithToken(t.core, 'alice');
  });
  afterEach(async () => t.close());

  const signIn = (otp: string) =>
    decideSignIn(t.core, SERVICE, { username: 'alice', password: PASSWORD, otp });

  it('lets the help desk issue a code shown once, which then signs the user in', async () => {
    const helpdesk = await signedInOperator(t, 'hans', 'helpdesk');
    const page = await helpdesk.request('GET', '/admin/users/alice');
    expect(page.body).toContain('Vorübergehender Zugang');
    expect(page.body).toContain('Kein vorübergehender Code gilt.');
    const issued = await helpdesk.submit('/admin/users/alice', '/admin/users/alice/temporary', {
      hours: '4',
      uses: '2',
    });
    expect(issued.statusCode).toBe(201);
    expect(issued.headers['cache-control']).toBe('no-store');
    const code = /<p class="secret-once" id="temporary-code">(\d{8})<\/p>/.exec(issued.body)?.[1];
    expect(code).toMatch(/^\d{8}$/);
    expect(issued.body).toContain('Er wird nicht noch einmal angezeigt.');
    expect(issued.body).toContain('für 2 Anmeldungen in den nächsten 4 Stunden');

    expect((await signIn(code!)).result).toBe('accept');
    const after = await helpdesk.request('GET', '/admin/users/alice');
    expect(after.body).toContain('Ein vorübergehender Code gilt: noch eine Anmeldung');
    expect(after.body).not.toContain(code!);

    const event = (await listAudit(t.core, { username: 'alice' })).items.find(
      (e) => e.action === 'temporary.issue',
    );
    expect(event).toMatchObject({ face: 'console', actor: 'hans', detail: { hours: 4, uses: 2 } });
  });

  it('ends a code early, after which it no longer signs in', async () => {
    const admin = await signedInOperator(t, 'olga', 'admin');
    const issued = await admin.submit(
      '/admin/users/alice?lang=en',
      '/admin/users/alice/temporary',
      {
        hours: '8',
        uses: '10',
      },
    );
    const code = /id="temporary-code">(\d{8})</.exec(issued.body)![1]!;
    const ended = await admin.submit('/admin/users/alice', '/admin/users/alice/temporary/end');
    expect(ended.statusCode).toBe(303);
    expect(ended.headers.location).toBe('/admin/users/alice?done=temporary-ended');
    expect((await signIn(code)).result).toBe('reject');
    const again = await admin.submit('/admin/users/alice', '/admin/users/alice/temporary/end');
    expect(again.statusCode).toBe(409);
  });

  it('refuses hours beyond the policy and hostile counts, with nothing issued', async () => {
    const admin = await signedInOperator(t, 'olga', 'admin');
    for (const fields of [
      { hours: '100', uses: '1' },
      { hours: '-1', uses: '1' },
      { hours: '1e3', uses: '1' },
      { hours: '2', uses: '0' },
      { hours: '2', uses: 'many' },
    ]) {
      const answer = await admin.submit(
        '/admin/users/alice',
        '/admin/users/alice/temporary',
        fields,
      );
      expect(answer.statusCode).toBe(400);
      expect(answer.body).toContain('class="alert"');
    }
    const noCsrf = await admin.request('POST', '/admin/users/alice/temporary', {
      hours: '2',
      uses: '2',
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(await t.core.store.db.selectFrom('temporary_access').selectAll().execute()).toEqual([]);
  });
});

describe('temporary access in the console, turned off by policy', () => {
  it('offers no form and refuses the post', async () => {
    const t = await makeApp('sqlite', { PFORTE_TEMPORARY_ACCESS_ENABLED: 'false' });
    try {
      await addUserWithToken(t.core, 'alice');
      const admin = await signedInOperator(t, 'olga', 'admin');
      const page = await admin.request('GET', '/admin/users/alice');
      expect(page.body).toContain('durch die Richtlinie abgeschaltet');
      expect(page.body).not.toContain('action="/admin/users/alice/temporary"');
      const answer = await admin.submit('/admin/users/alice', '/admin/users/alice/temporary', {
        hours: '2',
        uses: '2',
      });
      expect(answer.statusCode).toBe(403);
    } finally {
      await t.close();
    }
  });
});
