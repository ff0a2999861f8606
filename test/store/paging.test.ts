/** Every list pages by one contract: `{ limit, cursor }` in, `{ items, next }` out, on both databases. */
import type { KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/context.js';
import { listEnrollments, startEnrollment } from '../../src/enrollment/enrollments.js';
import { createUser, listUsers } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN, DATABASES } from '../helpers/core.js';

describe.each(DATABASES)('paging on %s', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp(database);
  });
  afterEach(async () => t.close());

  const addUsers = async (names: string[]) => {
    for (const username of names) {
      await createUser(t.core, ADMIN, { username, email: `${username}@example.org` });
    }
  };
  const name = (i: number) => `user${String(i).padStart(3, '0')}`;

  it('gives 120 users in pages of 50, 50 and 20, in order, none twice and none missed', async () => {
    await addUsers(Array.from({ length: 120 }, (_, i) => name(i)));
    const first = await listUsers(t.core, { limit: 50 });
    const second = await listUsers(t.core, { limit: 50, cursor: first.next! });
    const third = await listUsers(t.core, { limit: 50, cursor: second.next! });
    expect([first.items.length, second.items.length, third.items.length]).toEqual([50, 50, 20]);
    expect(third.next).toBeUndefined();
    const seen = [...first.items, ...second.items, ...third.items].map((u) => u.username);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => name(i)));
  });

  it('neither repeats nor skips a user when users are added between pages', async () => {
    await addUsers(Array.from({ length: 120 }, (_, i) => name(i * 2)));
    const first = await listUsers(t.core, { limit: 50 });
    // One before the cursor (not shown: its page is past), one after it (shown later).
    await addUsers([name(1), name(201)]);
    const second = await listUsers(t.core, { limit: 50, cursor: first.next! });
    const third = await listUsers(t.core, { limit: 50, cursor: second.next! });
    const seen = [...first.items, ...second.items, ...third.items].map((u) => u.username);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toContain(name(201));
    expect(seen).not.toContain(name(1));
    expect(seen).toHaveLength(121);
  });

  it('pages the REST list as { items, next } and refuses a malformed cursor with 400', async () => {
    await addUsers(['alice', 'bob', 'carol']);
    const first = (await t.call({ method: 'GET', url: '/api/v1/users?limit=2' })).json();
    expect(first.items.map((u: { username: string }) => u.username)).toEqual(['alice', 'bob']);
    const rest = await t.call({ method: 'GET', url: `/api/v1/users?cursor=${first.next}` });
    expect(rest.json()).toEqual({ items: [expect.objectContaining({ username: 'carol' })] });
    for (const cursor of ['bm90LWpzb24', Buffer.from('[1,2,3]').toString('base64url'), '!!']) {
      for (const list of ['users', 'tokens', 'enrollments', 'audit']) {
        const refused = await t.call({ method: 'GET', url: `/api/v1/${list}?cursor=${cursor}` });
        expect(refused.statusCode, `${list} ${cursor}`).toBe(400);
        expect(refused.json().error.code).toBe('ERR_VALIDATION');
      }
    }
  });

  it('lists enrollments with their mail in a constant number of queries, however many', async () => {
    let queries = 0;
    // Counted as they run: statements compiled once (store/prepared.ts) are run
    // without being built again.
    const counter: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        queries++;
        return args.result;
      },
    };
    const counted: Core = {
      ...t.core,
      store: { ...t.core.store, db: t.core.store.db.withPlugin(counter) },
    };
    const queriesFor = async () => {
      queries = 0;
      const page = await listEnrollments(counted, {});
      return { queries, listed: page.items.length };
    };
    await addUsers(Array.from({ length: 30 }, (_, i) => name(i)));
    for (let i = 0; i < 3; i++) await startEnrollment(t.core, ADMIN, { username: name(i) });
    const few = await queriesFor();
    for (let i = 3; i < 30; i++) await startEnrollment(t.core, ADMIN, { username: name(i) });
    const many = await queriesFor();
    expect([few.listed, many.listed]).toEqual([3, 30]);
    expect(many.queries).toBe(few.queries);
    expect(many.queries).toBe(1);
  });
});
