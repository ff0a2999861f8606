/**
 * The overview's figures, the same in the console, REST and the CLI: tokens and
 * enrollments by state (an open enrollment past its expiry counts as expired), the last
 * 24 hours of sign-ins, tokens locked now (not those whose lock has run out).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readOverview } from '../../src/overview/overview.js';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { decideSignIn } from '../../src/signin/decide.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { ADMIN, DATABASES, SERVICE } from '../helpers/core.js';
import { addUserWithToken, PASSWORD } from '../helpers/tokens.js';
import { createUser } from '../../src/users/users.js';

describe.each(DATABASES)('the overview on %s', (database) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp(database);
  });
  afterEach(async () => t.close());

  it('counts by state, the day’s sign-ins and the locks in force, in REST and the CLI alike', async () => {
    const alice = await addUserWithToken(t.core, 'alice');
    const bob = await addUserWithToken(t.core, 'bob');
    await createUser(t.core, ADMIN, { username: 'carol', email: 'carol@example.org' });
    await createUser(t.core, ADMIN, { username: 'dave', email: 'dave@example.org' });
    await startEnrollment(t.core, ADMIN, { username: 'carol' });
    await startEnrollment(t.core, ADMIN, { username: 'dave', lifetimeMs: 60_000 });

    const attempt = (username: string, otp: string) =>
      decideSignIn(t.core, SERVICE, { username, password: PASSWORD, otp });
    expect((await attempt('alice', alice.code())).result).toBe('accept');
    // Ten wrong codes with the right password lock Bob's token.
    for (let i = 0; i < 10; i++)
      await attempt('bob', bob.code() === '000000' ? '111111' : '000000');
    t.clock.advance(2 * 60_000); // Dave's enrollment has expired.

    const o = await readOverview(t.core);
    expect(o.users).toBe(4);
    expect(o.tokens).toMatchObject({ active: 1, locked: 1, revoked: 0 });
    expect(o.enrollments).toMatchObject({ open: 1, expired: 1, done: 0 });
    expect(o.signIns24h).toEqual({ accepted: 1, refused: 10 });
    expect(o.lockedNow).toBe(1);

    const rest = await t.call({ method: 'GET', url: '/api/v1/overview' });
    expect(rest.statusCode).toBe(200);
    expect(rest.json()).toEqual(o);
    const validateOnly = await t.call({
      method: 'GET',
      url: '/api/v1/overview',
      key: t.validateKey,
    });
    expect(validateOnly.statusCode).toBe(403);

    t.clock.advance(20 * 60_000); // The lock runs out by itself after 15 minutes.
    const later = await readOverview(t.core);
    expect(later.lockedNow).toBe(0);
    t.clock.advance(24 * 3_600_000);
    expect((await readOverview(t.core)).signIns24h).toEqual({ accepted: 0, refused: 0 });
  });

  it('prints the figures with pforte overview', async () => {
    await addUserWithToken(t.core, 'alice');
    const out = await cli(t.env, ['overview']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^users\s+1$/m);
    expect(out.stdout).toMatch(/^tokens\s+0 pending, 1 active, 0 locked/m);
    const json = await cli(t.env, ['overview', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ users: 1, tokens: { active: 1 } });
  });
});
