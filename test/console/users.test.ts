/**
 * Finding users: the core's search (a prefix of username, name or e-mail in any case;
 * filters by source, role, state and token; three orders, keyset-paged), as the console's
 * Users page, `GET /api/v1/users` and `pforte user list` show it. On SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeTokenState } from '../../src/tokens/state.js';
import { setUserRole } from '../../src/users/roles.js';
import { searchUsers, type UserSearch } from '../../src/users/search.js';
import { createUser, getUserRow, noteSignIn, updateUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { signedInOperator, type ConsoleBrowser } from '../helpers/console-client.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { addToken, addUserWithToken } from '../helpers/tokens.js';

describe.each(DATABASES)('finding users on %s', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp(database);
  });
  afterEach(async () => t.close());

  const usernames = async (search: UserSearch) =>
    (await searchUsers(t.core, search)).items.map((u) => u.username);

  async function addPeople() {
    await createUser(t.core, ADMIN, {
      username: 'anna',
      email: 'Anna.Berg@Example.org',
      name: 'Anna Berg',
    });
    await createUser(t.core, ADMIN, {
      username: 'bert',
      email: 'b.schulz@example.org',
      name: 'Ännchen Schulz',
    });
    await createUser(t.core, ADMIN, {
      username: 'carl',
      email: 'anton@example.org',
      name: 'Carl Cramer',
    });
    await createUser(t.core, ADMIN, {
      username: 'dora_x',
      email: 'dora@corp.example',
      name: 'Dora 100% Dorn',
      directory: 'corp',
    });
  }

  it('finds users by a prefix of username, name or e-mail, in any case', async () => {
    await addPeople();
    expect(await usernames({ q: 'AN' })).toEqual(['anna', 'carl']); // anna by name, carl by e-mail
    expect(await usernames({ q: 'änn' })).toEqual(['bert']);
    expect(await usernames({ q: 'B.SCH' })).toEqual(['bert']);
    expect(await usernames({ q: 'carl cr' })).toEqual(['carl']);
    expect(await usernames({ q: 'berg' })).toEqual([]); // a prefix, not a part
  });

  it('takes % and _ in a search as themselves, not as wildcards', async () => {
    await addPeople();
    expect(await usernames({ q: 'dora_' })).toEqual(['dora_x']);
    expect(await usernames({ q: 'd_ra' })).toEqual([]);
    expect(await usernames({ q: 'dora 100%' })).toEqual(['dora_x']);
    expect(await usernames({ q: '%' })).toEqual([]);
  });

  it('filters by source, role, state and the state of the tokens', async () => {
    await addPeople();
    const anna = await addToken(t.core, 'anna');
    await addToken(t.core, 'bert');
    const bertLocked = await addToken(t.core, 'bert');
    await t.core.store.db
      .updateTable('tokens')
      .set({ state: 'locked', locked_at: t.clock.now() })
      .where('serial', '=', bertLocked.serial)
      .execute();
    await changeTokenState(t.core, ADMIN, anna.serial, 'revoke');
    await setUserRole(t.core, ADMIN, 'carl', 'helpdesk');
    await updateUser(t.core, ADMIN, 'carl', { disabled: true });
    expect(await usernames({ source: 'directory' })).toEqual(['dora_x']);
    expect(await usernames({ source: 'pforte' })).toEqual(['anna', 'bert', 'carl']);
    expect(await usernames({ role: 'helpdesk' })).toEqual(['carl']);
    expect(await usernames({ role: 'none' })).toEqual(['anna', 'bert', 'dora_x']);
    expect(await usernames({ state: 'disabled' })).toEqual(['carl']);
    expect(await usernames({ state: 'enabled' })).toEqual(['anna', 'bert', 'dora_x']);
    expect(await usernames({ token: 'locked' })).toEqual(['bert']);
    expect(await usernames({ token: 'active' })).toEqual(['bert']);
    expect(await usernames({ token: 'revoked' })).toEqual(['anna']);
    expect(await usernames({ token: 'none' })).toEqual(['anna', 'carl', 'dora_x']);
    expect(await usernames({ token: 'none', source: 'pforte', state: 'enabled' })).toEqual([
      'anna',
    ]);
  });

  it('refuses a filter it does not know, saying what it may be', async () => {
    await expect(searchUsers(t.core, { token: 'lost' })).rejects.toThrow(
      'token must be active, locked, disabled, revoked, pending or none',
    );
    await expect(searchUsers(t.core, { sort: 'email' })).rejects.toMatchObject({
      code: 'ERR_VALIDATION',
    });
    await expect(searchUsers(t.core, { q: 'x'.repeat(101) })).rejects.toMatchObject({
      code: 'ERR_VALIDATION',
    });
  });

  it('pages 120 users in each order with none twice and none missed, also when users come between pages', async () => {
    for (let i = 0; i < 120; i++) {
      const n = String(i).padStart(3, '0');
      await createUser(t.core, ADMIN, {
        username: `u${n}`,
        email: `u${n}@example.org`,
        name: `Name ${String(119 - i).padStart(3, '0')}`,
      });
      // Every third user signed in, each at another moment, some at the same one.
      if (i % 3 === 0) {
        t.clock.advance(i % 2 === 0 ? 60_000 : 0);
        await noteSignIn(t.core, (await getUserRow(t.core, `u${n}`)).id);
      }
    }
    for (const sort of ['username', 'name', 'lastSignIn'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await searchUsers(t.core, { sort, limit: 50, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((u) => u.username));
        cursor = page.next;
        if (pages++ === 0) {
          await createUser(t.core, ADMIN, {
            username: `zz-${sort}`,
            email: `zz-${sort}@example.org`,
          });
        }
      } while (cursor);
      expect(pages, sort).toBe(3);
      expect(new Set(seen).size, sort).toBe(seen.length);
      const all = seen.filter((u) => u.startsWith('u'));
      expect(all.length, sort).toBe(120);
      if (sort === 'username') expect(all).toEqual([...all].sort());
      if (sort === 'name') expect(all).toEqual([...all].sort().reverse());
      if (sort === 'lastSignIn') {
        // The 40 who signed in first, newest first; then the 80 who never did, by username.
        const rows = await Promise.all(all.map((u) => getUserRow(t.core, u)));
        const times = rows.slice(0, 40).map((r) => r.last_signin_at!);
        expect(times).toEqual([...times].sort((a, b) => b - a));
        expect(rows.slice(40).every((r) => r.last_signin_at === null)).toBe(true);
        expect(all.slice(40)).toEqual([...all.slice(40)].sort());
      }
    }
  });

  it('refuses a cursor of another order', async () => {
    for (let i = 0; i < 3; i++)
      await createUser(t.core, ADMIN, { username: `u${i}`, email: `u${i}@example.org` });
    const page = await searchUsers(t.core, { limit: 1 });
    await expect(searchUsers(t.core, { sort: 'name', cursor: page.next! })).rejects.toMatchObject({
      code: 'ERR_VALIDATION',
    });
  });

  it('answers GET /api/v1/users with the search, and refuses what it does not know with a 400', async () => {
    await addPeople();
    const found = await t.call({
      method: 'GET',
      url: '/api/v1/users?q=AN&source=pforte&sort=name&limit=1',
    });
    expect(found.statusCode).toBe(200);
    expect(found.json().items.map((u: { username: string }) => u.username)).toEqual(['anna']);
    const more = await t.call({
      method: 'GET',
      url: `/api/v1/users?q=AN&source=pforte&sort=name&limit=1&cursor=${found.json().next}`,
    });
    expect(more.json()).toEqual({ items: [expect.objectContaining({ username: 'carl' })] });
    for (const query of [
      'token=lost',
      'sort=email',
      'colour=red',
      `q=${'x'.repeat(101)}`,
      'q=%07',
      'q=a&q=b',
      'role=root',
    ]) {
      const refused = await t.call({ method: 'GET', url: `/api/v1/users?${query}` });
      expect(refused.statusCode, query).toBe(400);
      expect(refused.json().error.code, query).toBe('ERR_VALIDATION');
    }
  });

  it('lists users found by pforte user list --search and its filters', async () => {
    await addPeople();
    const run = (...args: string[]) => cli(t.env, ['user', 'list', '--json', ...args]);
    const names = async (...args: string[]) =>
      (JSON.parse((await run(...args)).stdout) as { username: string }[]).map((u) => u.username);
    expect(await names('--search', 'An')).toEqual(['anna', 'carl']);
    expect(await names('--source', 'directory')).toEqual(['dora_x']);
    expect(await names('--token', 'none', '--sort', 'name')).toEqual([
      'anna',
      'carl',
      'dora_x',
      'bert',
    ]);
    const wrong = await run('--role', 'root');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('role must be admin, helpdesk or none');
  });

  describe('the console’s Users page', () => {
    let admin: ConsoleBrowser;
    beforeEach(async () => {
      admin = await signedInOperator(t, 'olga', 'admin');
      await addPeople();
    });

    it('shows the filter form and the users found, each linked to their page', async () => {
      const page = await admin.request('GET', '/admin/users?q=an&source=pforte');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<h1>Benutzer</h1>');
      expect(page.body).toMatch(/<form\s+method="get"\s+action="\/admin\/users"/);
      expect(page.body).toContain('<a href="/admin/users/anna">anna</a>');
      expect(page.body).toContain('<a href="/admin/users/carl">carl</a>');
      expect(page.body).not.toContain('/admin/users/bert"');
      expect(page.body).toMatch(/<option value="pforte"\s+selected/);
      expect(page.body).toContain('2 Einträge');
      const english = await admin.request('GET', '/admin/users?source=directory&lang=en');
      expect(english.body).toContain('<h1>Users</h1>');
      expect(english.body).toContain('directory corp');
      expect(english.body).toContain('Search and filter users');
    });

    it('shows what the overview’s figures link to', async () => {
      await addUserWithToken(t.core, 'erik');
      for (const state of ['active', 'locked', 'disabled', 'revoked', 'pending', 'none']) {
        expect((await admin.request('GET', `/admin/users?token=${state}`)).statusCode, state).toBe(
          200,
        );
      }
      const active = await admin.request('GET', '/admin/users?token=active');
      expect(active.body).toContain('/admin/users/erik"');
      expect(active.body).not.toContain('/admin/users/anna"');
    });

    it('pages with the pager, 50 users a page', async () => {
      for (let i = 0; i < 60; i++)
        await createUser(t.core, ADMIN, {
          username: `p${String(i).padStart(2, '0')}`,
          email: `p${i}@example.org`,
        });
      const first = await admin.request('GET', '/admin/users?q=p');
      const next = /<a href="([^"]+)" rel="next">/.exec(first.body)?.[1]?.replaceAll('&amp;', '&');
      expect(next).toMatch(/^\/admin\/users\?q=p&cursor=/);
      const second = await admin.request('GET', next!);
      expect(second.body).toContain('/admin/users/p59"');
      expect(second.body).not.toContain('/admin/users/p49"');
      expect(second.body).toContain('10 Einträge');
    });

    it('answers a malformed filter with a page saying so, never a 500', async () => {
      for (const query of [
        'token=lost',
        'sort=%3Cscript%3E',
        'cursor=%21%21',
        `q=${'x'.repeat(5000)}`,
        'q=a&q=b',
        'q=%00',
      ]) {
        const page = await admin.request('GET', `/admin/users?${query}`);
        expect(page.statusCode, query).toBe(400);
        expect(page.headers['content-type'], query).toContain('text/html');
        expect(page.body, query).toContain('Nicht ausgeführt');
        expect(page.body, query).not.toContain('<script>');
      }
    });
  });
});
