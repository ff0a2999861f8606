/**
 * Temporary access for a lost or broken phone: issued by an operator (CLI, REST), shown
 * once, stored only as a MAC, accepted in the Token Code field with the password for
 * the hours and sign-ins given, never more often than allowed even in parallel, and
 * ended when a new token is active or when policy turns it off. On SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { decideSignIn } from '../../src/signin/decide.js';
import {
  issueTemporaryAccess,
  latestTemporaryAccess,
} from '../../src/temporary/temporary-access.js';
import { changeTokenState } from '../../src/tokens/state.js';
import { getUserRow } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { cli } from '../helpers/cli.js';
import { ADMIN, DATABASES, SERVICE } from '../helpers/core.js';
import { addToken, addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

describe.each(DATABASES)('temporary access on %s', (database) => {
  let t: TestApp;
  let phone: TestToken;
  beforeEach(async () => {
    t = await makeApp(database);
    phone = await addUserWithToken(t.core, 'alice');
  });
  afterEach(async () => t.close());

  const signIn = (otp: string, password: string | undefined = PASSWORD) =>
    decideSignIn(t.core, SERVICE, {
      username: 'alice',
      otp,
      ...(password !== undefined ? { password } : {}),
      clientAddress: '198.51.100.7',
    });

  it('lets a user whose phone was lost in with the code read out to them, as often as given', async () => {
    await changeTokenState(t.core, ADMIN, phone.serial, 'revoke'); // the lost phone
    const issued = await cli(t.env, ['token', 'temporary', 'alice', '--uses', '2']);
    expect(issued.code).toBe(0);
    const code = /temporary code for alice: (\d{8})/.exec(issued.stdout)?.[1];
    expect(code).toMatch(/^\d{8}$/);
    expect(issued.stdout).toContain('2 times');

    expect((await signIn(code!, 'wrong password')).result).toBe('reject');
    const first = await signIn(code!);
    expect(first).toMatchObject({ result: 'accept', reason: 'temporary_access' });
    expect((await signIn(code!)).result).toBe('accept');
    const third = await signIn(code!);
    expect(third).toMatchObject({ result: 'reject', reason: 'no_active_token' });

    const events = (await listAudit(t.core, { username: 'alice' })).items;
    expect(events.find((e) => e.action === 'temporary.issue')).toMatchObject({
      face: 'cli',
      detail: { hours: 8, uses: 2 },
    });
    const accepted = events.filter((e) => e.action === 'signin' && e.outcome === 'accept');
    expect(accepted.map((e) => e.reason)).toEqual(['temporary_access', 'temporary_access']);
    expect(accepted.map((e) => e.detail.temporaryUsesLeft)).toEqual([0, 1]);
  });

  it('works beside a broken phone’s token, and stops after its hours', async () => {
    const { code } = await issueTemporaryAccess(t.core, ADMIN, 'alice', { hours: 2 });
    expect((await signIn(code)).result).toBe('accept');
    // The phone's own codes still work meanwhile.
    t.clock.advance(30_000);
    expect((await signIn(phone.code())).result).toBe('accept');
    t.clock.advance(2 * 3_600_000);
    expect((await signIn(code)).result).toBe('reject');
  });

  it('ends as soon as a new token is active', async () => {
    const { code } = await issueTemporaryAccess(t.core, ADMIN, 'alice');
    const replacement = await addToken(t.core, 'alice');
    expect((await signIn(code)).result).toBe('reject');
    expect((await signIn(replacement.code())).result).toBe('accept');
    const user = await getUserRow(t.core, 'alice');
    expect(await latestTemporaryAccess(t.core, user.id)).toMatchObject({
      live: false,
      endReason: 'token_active',
    });
    const ended = (await listAudit(t.core, { username: 'alice' })).items.find(
      (e) => e.action === 'temporary.end',
    );
    expect(ended).toMatchObject({ reason: 'token_active', serial: replacement.serial });
  });

  it('keeps only a MAC of the code, and a new code ends the old one', async () => {
    const old = await issueTemporaryAccess(t.core, ADMIN, 'alice');
    const fresh = await issueTemporaryAccess(t.core, ADMIN, 'alice');
    const rows = await t.core.store.db.selectFrom('temporary_access').selectAll().execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(JSON.stringify(row)).not.toContain(fresh.code);
    expect(JSON.stringify(rows)).not.toContain(old.code);
    expect((await signIn(old.code)).result).toBe('reject');
    expect((await signIn(fresh.code)).result).toBe('accept');
  });

  it('is never used more often than allowed, however many sign-ins race', async () => {
    const { code } = await issueTemporaryAccess(t.core, ADMIN, 'alice', { uses: 3 });
    const results = await Promise.all(Array.from({ length: 12 }, () => signIn(code)));
    expect(results.filter((r) => r.result === 'accept')).toHaveLength(3);
  });

  it('is issued over REST with the code once, and refused for a disabled user or an unknown one', async () => {
    const answer = await t.call({
      method: 'POST',
      url: '/api/v1/users/alice/temporary-access',
      payload: { hours: 24, uses: 5 },
    });
    expect(answer.statusCode).toBe(201);
    expect(answer.json()).toMatchObject({ username: 'alice', uses: 5 });
    expect(answer.json().code).toMatch(/^\d{8}$/);
    const tooLong = await t.call({
      method: 'POST',
      url: '/api/v1/users/alice/temporary-access',
      payload: { hours: 500 },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toContain('from 1 to 72');
    const nobody = await t.call({
      method: 'POST',
      url: '/api/v1/users/nobody/temporary-access',
      payload: {},
    });
    expect(nobody.statusCode).toBe(404);
    await t.call({ method: 'PATCH', url: '/api/v1/users/alice', payload: { disabled: true } });
    const disabled = await t.call({
      method: 'POST',
      url: '/api/v1/users/alice/temporary-access',
      payload: {},
    });
    expect(disabled.statusCode).toBe(409);
  });
});

describe('temporary access turned off by policy', () => {
  it('cannot be issued, and says why', async () => {
    const t = await makeApp('sqlite', { PFORTE_TEMPORARY_ACCESS_ENABLED: 'false' });
    try {
      await addUserWithToken(t.core, 'alice');
      const out = await cli(t.env, ['token', 'temporary', 'alice']);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('temporary access is turned off by policy');
      expect(await t.core.store.db.selectFrom('temporary_access').selectAll().execute()).toEqual(
        [],
      );
    } finally {
      await t.close();
    }
  });
});
