/**
 * A locked token and the person who owns it (issue 13, item 5), on SQLite and on
 * PostgreSQL: with the right password and a valid code the decision says that the token
 * is locked and until when; with anything less it says nothing new. The check changes
 * nothing on the token.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideSignIn, type SignInAttempt } from '../../src/signin/decide.js';
import { changeTokenState } from '../../src/tokens/state.js';
import { getToken } from '../../src/tokens/tokens.js';
import { ADMIN, DATABASES, makeCore, SERVICE, type TestCore } from '../helpers/core.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

describe.each(DATABASES)('the lock-out message on %s', (database) => {
  let t: TestCore;
  let alice: TestToken;
  let addresses = 0;
  /** Each attempt from an address of its own: the back-off is not what these tests are about. */
  const signIn = (attempt: Partial<SignInAttempt>) =>
    decideSignIn(t.core, SERVICE, {
      username: 'alice',
      password: PASSWORD,
      otp: alice.code(),
      clientAddress: `203.0.113.${++addresses}`,
      ...attempt,
    });
  const wrongCode = () => (alice.code() === '000000' ? '111111' : '000000');
  const tokenRow = () =>
    t.core.store.db
      .selectFrom('tokens')
      .select(['state', 'fail_count', 'last_step', 'locked_at'])
      .where('serial', '=', alice.serial)
      .executeTakeFirstOrThrow();

  async function lock(env: Record<string, string> = {}): Promise<number> {
    await t.close();
    t = await makeCore(database, env);
    alice = await addUserWithToken(t.core, 'alice');
    for (let i = 0; i < 10; i++) {
      t.clock.advance(60_000);
      await signIn({ otp: wrongCode() });
    }
    expect((await getToken(t.core, alice.serial)).state).toBe('locked');
    return t.clock.now();
  }

  beforeEach(async () => {
    t = await makeCore(database);
  });
  afterEach(async () => t.close());

  it('tells the owner with a valid code that the token is locked, and until when', async () => {
    const lockedAt = await lock();
    t.clock.advance(60_000);
    const before = await tokenRow();
    const decision = await signIn({});
    expect(decision).toMatchObject({
      result: 'reject',
      reason: 'token_locked',
      hint: 'token_locked',
      lockedUntil: new Date(lockedAt + 15 * 60_000).toISOString(),
      retryAfter: 14 * 60,
      serial: alice.serial,
    });
    expect(await tokenRow()).toEqual(before);
  });

  it('says nothing new for a wrong password, an invalid code or a passcode-only check', async () => {
    await lock();
    t.clock.advance(60_000);
    const wrongPassword = await signIn({ password: 'not the password' });
    expect(wrongPassword).toEqual({
      result: 'reject',
      reason: 'wrong_password',
      username: 'alice',
      throttled: false,
    });
    const invalid = await signIn({ otp: wrongCode() });
    expect(invalid).toMatchObject({ result: 'reject', reason: 'token_locked' });
    expect(invalid.hint).toBeUndefined();
    expect(invalid.lockedUntil).toBeUndefined();
    const passcodeOnly = await signIn({ password: undefined });
    expect(passcodeOnly).toMatchObject({ result: 'reject', reason: 'token_locked' });
    expect(passcodeOnly.hint).toBeUndefined();
  });

  it('says the lock lasts until an administrator ends it when locks never run out', async () => {
    await lock({ PFORTE_LOCKOUT_AUTO_UNLOCK_MINUTES: '0' });
    t.clock.advance(60_000);
    const decision = await signIn({});
    expect(decision).toMatchObject({ hint: 'token_locked', lockedUntil: null });
    expect(decision.retryAfter).toBeUndefined();
  });

  it('uses up nothing: the code checked while locked signs in once an administrator unlocks', async () => {
    await lock();
    t.clock.advance(60_000);
    const code = alice.code();
    expect((await signIn({ otp: code })).hint).toBe('token_locked');
    await changeTokenState(t.core, ADMIN, alice.serial, 'unlock');
    expect(await signIn({ otp: code })).toMatchObject({ result: 'accept', reason: 'ok' });
    expect((await signIn({ otp: code })).reason).toBe('replayed');
  });

  it('lets the owner in once the lock has run out, without a hint', async () => {
    await lock();
    t.clock.advance(16 * 60_000);
    const decision = await signIn({});
    expect(decision).toMatchObject({ result: 'accept', reason: 'ok' });
    expect(decision.hint).toBeUndefined();
  });
});
