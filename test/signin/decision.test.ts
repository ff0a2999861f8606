/**
 * The sign-in decision, on SQLite and on PostgreSQL: every rule of DESIGN.md
 * section 6, with the clock moved instead of waiting.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { generateHOTP } from '../../src/otp/codes.js';
import { decideSignIn, type SignInAttempt } from '../../src/signin/decide.js';
import { changeTokenState } from '../../src/tokens/state.js';
import { getToken } from '../../src/tokens/tokens.js';
import { updateUser } from '../../src/users/users.js';
import { ADMIN, DATABASES, makeCore, SERVICE, type TestCore } from '../helpers/core.js';
import {
  addToken,
  addUserWithToken,
  PASSWORD,
  wrongCodeNear,
  type TestToken,
} from '../helpers/tokens.js';

/** The end user's address, as the portal or a service passes it on. */
const USER_ADDRESS = '198.51.100.7';

describe.each(DATABASES)('sign-in decision on %s', (database) => {
  let t: TestCore;
  let alice: TestToken;
  const signIn = (attempt: Partial<SignInAttempt>, caller = SERVICE) =>
    decideSignIn(t.core, caller, {
      username: 'alice',
      password: PASSWORD,
      otp: alice.code(),
      clientAddress: USER_ADDRESS,
      ...attempt,
    });
  const lastAudit = async () => (await listAudit(t.core, { limit: 1 })).items[0]!;

  beforeEach(async () => {
    t = await makeCore(database);
    alice = await addUserWithToken(t.core, 'alice');
  });
  afterEach(async () => t.close());

  it('accepts the right username, password and passcode, and audits it', async () => {
    const decision = await signIn({});
    expect(decision.result).toBe('accept');
    const event = await lastAudit();
    expect(event).toMatchObject({
      action: 'signin',
      outcome: 'accept',
      reason: 'ok',
      username: 'alice',
      serial: alice.serial,
      face: 'api',
      address: USER_ADDRESS,
      detail: { otpOnly: false, via: SERVICE.address },
    });
  });

  it('names the accepted user by id, and no user on a reject', async () => {
    const user = await t.core.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'alice')
      .executeTakeFirstOrThrow();
    expect(await signIn({})).toMatchObject({ result: 'accept', userId: user.id });
    expect((await signIn({ password: 'wrong' })).userId).toBeUndefined();
  });

  it('accepts usernames in any letter case', async () => {
    expect((await signIn({ username: 'ALICE' })).result).toBe('accept');
  });

  it('refuses a passcode used before (replay), and says so only in the audit log', async () => {
    const code = alice.code();
    expect((await signIn({ otp: code })).result).toBe('accept');
    t.clock.advance(10_000);
    const again = await signIn({ otp: code });
    expect(again).toMatchObject({ result: 'reject', reason: 'replayed' });
    expect((await lastAudit()).reason).toBe('replayed');
  });

  it('refuses an older code once a newer one was accepted', async () => {
    const older = alice.code(t.clock.now() - 30_000);
    expect((await signIn({ otp: alice.code() })).result).toBe('accept');
    expect((await signIn({ otp: older })).reason).toBe('replayed');
  });

  it('accepts codes one step before and after now (window ±1), not two', async () => {
    const now = t.clock.now();
    expect((await signIn({ otp: alice.code(now - 30_000) })).result).toBe('accept');
    expect((await signIn({ otp: alice.code(now + 30_000) })).result).toBe('accept');
    expect((await signIn({ otp: alice.code(now + 60_000) })).result).toBe('reject');
    expect((await signIn({ otp: alice.code(now - 60_000) })).result).toBe('reject');
  });

  it('gives the same answer for a wrong password, a wrong code and an unknown user', async () => {
    const wrongPassword = await signIn({ password: 'not the password' });
    const wrongCode = await signIn({ otp: wrongCodeAt(alice, t.clock.now()) });
    const unknown = await signIn({ username: 'mallory' });
    for (const d of [wrongPassword, wrongCode, unknown]) expect(d.result).toBe('reject');
    expect([wrongPassword.reason, wrongCode.reason, unknown.reason]).toEqual([
      'wrong_password',
      'wrong_passcode',
      'unknown_user',
    ]);
  });

  it('does not use up the passcode when the password is wrong', async () => {
    const code = alice.code();
    await signIn({ otp: code, password: 'wrong password' });
    expect((await signIn({ otp: code })).result).toBe('accept');
  });

  it('refuses an empty password (never an anonymous success)', async () => {
    expect((await signIn({ password: '' })).reason).toBe('wrong_password');
  });

  it('checks the passcode alone when no password is given (OTP-only integrations)', async () => {
    const decision = await signIn({ password: undefined });
    expect(decision.result).toBe('accept');
    expect((await lastAudit()).detail).toEqual({ otpOnly: true, via: SERVICE.address });
  });

  it('refuses a disabled user, a disabled token and a revoked token', async () => {
    await updateUser(t.core, ADMIN, 'alice', { disabled: true });
    expect((await signIn({})).reason).toBe('user_disabled');
    await updateUser(t.core, ADMIN, 'alice', { disabled: false });
    await changeTokenState(t.core, ADMIN, alice.serial, 'disable');
    expect((await signIn({})).reason).toBe('no_active_token');
    await changeTokenState(t.core, ADMIN, alice.serial, 'enable');
    expect((await signIn({})).result).toBe('accept');
    await changeTokenState(t.core, ADMIN, alice.serial, 'revoke');
    t.clock.advance(30_000);
    expect((await signIn({})).reason).toBe('no_active_token');
  });

  it('locks the token after 10 wrong passcodes made with the right password', async () => {
    for (let i = 0; i < 10; i++) {
      t.clock.advance(400_000); // past any back-off
      expect((await signIn({ otp: wrongCodeAt(alice, t.clock.now()) })).reason).toBe(
        'wrong_passcode',
      );
    }
    expect((await getToken(t.core, alice.serial)).state).toBe('locked');
    t.clock.advance(300_000); // past the back-off the failures earned
    const locked = await signIn({});
    expect(locked).toMatchObject({ result: 'reject', reason: 'token_locked' });
    expect(locked.retryAfter).toBeGreaterThan(0);
    const events = (await listAudit(t.core, { limit: 5 })).items;
    expect(events.some((e) => e.action === 'token.lock' && e.serial === alice.serial)).toBe(true);
  });

  it('unlocks a locked token by itself after 15 minutes, or at once by an administrator', async () => {
    await lockToken(alice);
    t.clock.advance(14 * 60_000);
    expect((await signIn({})).reason).toBe('token_locked');
    t.clock.advance(60_000 + 300_000); // the lock is over, and the back-off the try earned
    expect((await signIn({})).result).toBe('accept');

    await lockToken(alice);
    await changeTokenState(t.core, ADMIN, alice.serial, 'unlock');
    t.clock.advance(30_000);
    expect((await signIn({})).result).toBe('accept');
  });

  it('keeps a token locked until an administrator unlocks it when auto-unlock is 0', async () => {
    await t.close();
    t = await makeCore(database, { PFORTE_LOCKOUT_AUTO_UNLOCK_MINUTES: '0' });
    alice = await addUserWithToken(t.core, 'alice');
    await lockToken(alice);
    t.clock.advance(24 * 60 * 60_000);
    const locked = await signIn({});
    expect(locked.reason).toBe('token_locked');
    expect(locked.retryAfter).toBeUndefined();
    expect((await getToken(t.core, alice.serial)).lockedUntil).toBeNull();
  });

  it('never locks the token, nor the account, for wrong passwords', async () => {
    for (let i = 0; i < 30; i++) {
      t.clock.advance(400_000);
      await signIn({ password: `wrong ${i}` });
    }
    expect((await getToken(t.core, alice.serial)).failCount).toBe(0);
    t.clock.advance(400_000);
    expect((await signIn({})).result).toBe('accept');
  });

  it('slows down repeated failures for one username with a doubling wait', async () => {
    for (let i = 0; i < 3; i++) await signIn({ password: 'wrong password' });
    expect((await signIn({ password: 'wrong password' })).throttled).toBe(false);
    const waiting = await signIn({});
    expect(waiting).toMatchObject({ result: 'reject', reason: 'backoff', throttled: true });
    expect(waiting.retryAfter).toBe(1);
    t.clock.advance(1000);
    await signIn({ password: 'wrong password' });
    expect((await signIn({})).retryAfter).toBe(2);
    t.clock.advance(2000);
    expect((await signIn({})).result).toBe('accept');
  });

  it('doubles the wait with each further failure up to the longest wait, as configured', async () => {
    const other = await makeCore(database, {
      PFORTE_BACKOFF_USER_FREE_FAILURES: '2',
      PFORTE_BACKOFF_BASE_SECONDS: '3',
      PFORTE_BACKOFF_MAX_SECONDS: '50',
    });
    try {
      const carol = await addUserWithToken(other.core, 'carol');
      const attempt = (password: string) =>
        decideSignIn(other.core, SERVICE, {
          username: 'carol',
          password,
          otp: carol.code(other.clock.now()),
          clientAddress: USER_ADDRESS,
        });
      const waits: number[] = [];
      for (let failure = 1; failure <= 9; failure++) {
        expect((await attempt('wrong password')).throttled).toBe(false);
        const row = await other.core.store.db
          .selectFrom('throttle')
          .select('blocked_until')
          .where('key', '=', `user-address:carol|${USER_ADDRESS}`)
          .executeTakeFirstOrThrow();
        const wait = row.blocked_until - other.clock.now();
        waits.push(Math.max(0, wait) / 1000);
        if (wait > 0) {
          // Told to the next attempt, which is refused without counting.
          expect(await attempt(PASSWORD)).toMatchObject({
            throttled: true,
            retryAfter: wait / 1000,
          });
          other.clock.advance(wait);
        }
      }
      expect(waits).toEqual([0, 0, 3, 6, 12, 24, 48, 50, 50]);
      other.clock.advance(50_000);
      expect((await attempt(PASSWORD)).result).toBe('accept');
      // The user's own place starts afresh; a shared counter only gets this attempt back.
      const rows = await other.core.store.db
        .selectFrom('throttle')
        .select(['key', 'failures', 'blocked_until'])
        .orderBy('key')
        .execute();
      expect(rows).toEqual([
        { key: `address:${USER_ADDRESS}`, failures: 9, blocked_until: 0 },
        { key: `user-address:carol|${USER_ADDRESS}`, failures: 0, blocked_until: 0 },
        { key: 'user:carol', failures: 9, blocked_until: 0 },
      ]);
    } finally {
      await other.close();
    }
  });

  it('gives no oracle: with the token locked, right and wrong passwords are slowed alike', async () => {
    const bob = await addUserWithToken(t.core, 'bob');
    for (const user of [
      { username: 'alice', token: alice },
      { username: 'bob', token: bob },
    ]) {
      for (let i = 0; i < 10; i++) {
        t.clock.advance(400_000);
        await signIn({
          username: user.username,
          password: undefined,
          otp: wrongCodeAt(user.token, t.clock.now()),
          clientAddress: '203.0.113.1',
        });
      }
    }
    t.clock.advance(400_000);
    const waits = { right: [] as (number | undefined)[], wrong: [] as (number | undefined)[] };
    for (let i = 0; i < 6; i++) {
      waits.right.push((await signIn({ username: 'alice', otp: alice.code() })).retryAfter);
      waits.wrong.push(
        (await signIn({ username: 'bob', password: 'wrong password', otp: bob.code() })).retryAfter,
      );
    }
    expect(waits.right.map((w) => w !== undefined && w > 60)).toEqual(
      waits.wrong.map((w) => w !== undefined && w > 60),
    );
  });

  it('does not let a burst of parallel wrong passwords past the back-off', async () => {
    const decisions = await Promise.all(
      Array.from({ length: 30 }, () => signIn({ password: 'wrong password' })),
    );
    const checked = decisions.filter((d) => !d.throttled);
    expect(checked.length).toBeLessThanOrEqual(4);
    expect(decisions.filter((d) => d.throttled).length).toBeGreaterThanOrEqual(26);
  });

  it('does not let a burst of parallel guesses past the token lock', async () => {
    const right = alice.code();
    const guesses = Array.from({ length: 60 }, (_, i) => String(i).padStart(6, '0')).filter(
      (g) =>
        g !== right &&
        g !== alice.code(t.clock.now() - 30_000) &&
        g !== alice.code(t.clock.now() + 30_000),
    );
    const decisions = await Promise.all(
      [...guesses, right].map((otp, i) =>
        signIn({ password: undefined, otp, clientAddress: `203.0.113.${i % 250}` }),
      ),
    );
    expect(decisions.filter((d) => d.result === 'accept').length).toBeLessThanOrEqual(1);
    const token = await getToken(t.core, alice.serial);
    if (decisions.at(-1)!.result !== 'accept') {
      expect(token.state).toBe('locked');
      expect(decisions.filter((d) => d.reason === 'wrong_passcode').length).toBeLessThanOrEqual(10);
    }
  });

  it('does not let a stranger throttle everyone behind a service that passes no address', async () => {
    for (let i = 0; i < 40; i++) {
      await signIn({ username: `made-up${i}`, password: 'guess', clientAddress: undefined });
    }
    expect((await signIn({ clientAddress: undefined })).result).toBe('accept');
  });

  it('slows down one username guessed from many addresses after 30 failures', async () => {
    for (let i = 0; i <= 30; i++) {
      await signIn({ password: `guess ${i}`, clientAddress: `203.0.113.${i}` });
    }
    const next = await signIn({ clientAddress: '203.0.113.200' });
    expect(next).toMatchObject({ throttled: true, reason: 'backoff' });
  });

  it('slows down unknown usernames exactly like known ones', async () => {
    const known: (number | undefined)[] = [];
    const unknown: (number | undefined)[] = [];
    for (let i = 0; i < 6; i++) {
      known.push((await signIn({ password: 'wrong password' })).retryAfter);
      unknown.push((await signIn({ username: 'nobody', password: 'wrong password' })).retryAfter);
    }
    expect(unknown).toEqual(known);
  });

  it('slows down one client address that tries many usernames (after 20 free failures)', async () => {
    const attacker = '203.0.113.66';
    for (let i = 0; i <= 20; i++) {
      await signIn({ username: `user${i}`, password: 'guess', clientAddress: attacker });
    }
    expect(
      (await signIn({ username: 'user99', password: 'guess', clientAddress: attacker })).throttled,
    ).toBe(true);
    expect((await signIn({})).result).toBe('accept'); // others go on
  });

  it('moves an HOTP counter past an accepted code and looks ahead 10 codes', async () => {
    const hotp = await addUserWithToken(t.core, 'bob', { type: 'hotp' });
    const bob = (otp: string) => signIn({ username: 'bob', otp });
    expect((await bob(hotp.code(0))).result).toBe('accept');
    expect((await bob(hotp.code(0))).reason).toBe('replayed');
    expect((await bob(hotp.code(10))).result).toBe('accept'); // counter 1 + 9
    expect((await getToken(t.core, hotp.serial)).counter).toBe(11);
    expect((await bob(hotp.code(21))).reason).toBe('wrong_passcode'); // 11 + 10 is too far
  });

  it("accepts a code of any of the user's active tokens", async () => {
    const second = await addToken(t.core, 'alice', { algorithm: 'SHA256', digits: 8 });
    expect((await signIn({ otp: second.code() })).serial).toBe(second.serial);
    expect((await signIn({ otp: alice.code() })).serial).toBe(alice.serial);
  });

  it.each([
    ['SHA1', 6, 30],
    ['SHA256', 8, 60],
    ['SHA512', 8, 30],
  ] as const)('accepts %s %i-digit %is TOTP tokens', async (algorithm, digits, period) => {
    const token = await addUserWithToken(t.core, 'carol', { algorithm, digits, period });
    expect((await signIn({ username: 'carol', otp: token.code() })).result).toBe('accept');
  });

  it('lets exactly one of many simultaneous sign-ins with the same code through', async () => {
    const code = alice.code();
    const decisions = await Promise.all(
      Array.from({ length: 8 }, () => signIn({ otp: code, password: undefined })),
    );
    expect(decisions.filter((d) => d.result === 'accept')).toHaveLength(1);
  });

  async function lockToken(token: TestToken) {
    for (let i = 0; i < 10; i++) {
      t.clock.advance(400_000);
      await signIn({ otp: wrongCodeAt(token, t.clock.now()) });
    }
    expect((await getToken(t.core, token.serial)).state).toBe('locked');
  }
});

/** A 6-digit code that is none of the codes near `now`: not in the window, nor a drifted one. */
function wrongCodeAt(token: TestToken, now: number): string {
  return wrongCodeNear(token.code, now);
}

describe('HOTP arithmetic', () => {
  it('is the same function the tests compute codes with', () => {
    const seed = new TextEncoder().encode('12345678901234567890');
    expect(generateHOTP(seed, 1, { algorithm: 'SHA1', digits: 6 })).toBe('287082');
  });
});
