/**
 * A stranger who knows only a username cannot keep its owner out (DESIGN.md section 6,
 * "no lock-out by strangers"): the stranger fails from ever new addresses, once more
 * each time the wait ends, while the real user signs in where they did before — a
 * service passing the same client address, or the portal in the same browser (its
 * device cookie). The clock is moved, never waited for.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pruneBackoff } from '../../src/signin/backoff.js';
import { decideSignIn, type Decision } from '../../src/signin/decide.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DATABASES, SERVICE } from '../helpers/core.js';
import { PortalBrowser } from '../helpers/portal-client.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

const USUAL_ADDRESS = '198.51.100.7';
const TICK_MS = 30_000;
const HOUR_MS = 3_600_000;

/** The n-th address of the stranger's botnet: never the same twice. */
const strangerAddress = (n: number) => `2001:db8:${(n >> 16) & 0xffff}:${n & 0xffff}::1`;

describe.each(DATABASES)('a persistent stranger on %s', (database) => {
  let t: TestApp;
  let alice: TestToken;

  beforeEach(async () => {
    t = await makeApp(database);
    alice = await addUserWithToken(t.core, 'alice');
  });
  afterEach(async () => t.close());
  /** Alice signs in through a service that passes her usual address. */
  const fromUsualPlace = () =>
    decideSignIn(t.core, SERVICE, {
      username: 'alice',
      password: PASSWORD,
      otp: alice.code(),
      clientAddress: USUAL_ADDRESS,
    });

  it('never keeps the user out where they signed in before, and gets a bounded number of guesses an hour', async () => {
    // Alice has signed in from her usual place before the stranger starts.
    expect((await fromUsualPlace()).result).toBe('accept');

    const start = t.clock.now();
    let strangerAttempts = 0;
    let strangerWaitsUntil = 0;
    const checkedPerHour = [0, 0];
    const aliceResults: Decision[] = [];
    for (let tick = 1; tick * TICK_MS <= 2 * HOUR_MS; tick++) {
      t.clock.advance(TICK_MS);
      // The stranger tries again as soon as the wait ends, from a new address each time.
      while (t.clock.now() >= strangerWaitsUntil) {
        const guess = await decideSignIn(t.core, SERVICE, {
          username: 'alice',
          password: `guess ${strangerAttempts}`,
          otp: '123456',
          clientAddress: strangerAddress(strangerAttempts++),
        });
        expect(guess.result).toBe('reject');
        if (guess.throttled) {
          strangerWaitsUntil = t.clock.now() + guess.retryAfter! * 1000;
        } else {
          checkedPerHour[Math.floor((t.clock.now() - start - 1) / HOUR_MS)]!++;
        }
      }
      // Alice signs in every 30 s for the first 15 minutes (a new passcode each time).
      if (tick * TICK_MS <= 15 * 60_000) aliceResults.push(await fromUsualPlace());
    }

    console.log(
      `persistent stranger on ${database}: ${strangerAttempts} attempts in 2 h, passwords checked ${checkedPerHour[0]} in the first hour and ${checkedPerHour[1]} in the second; Alice ${aliceResults.filter((d) => d.result === 'accept').length} of ${aliceResults.length} sign-ins accepted`,
    );
    expect(aliceResults).toHaveLength(30);
    expect(aliceResults.map((d) => d.result)).toEqual(Array(30).fill('accept'));
    // 30 free failures, then a doubling wait up to 300 s: about 50 in the first hour,
    // then at most one every 5 minutes.
    expect(checkedPerHour[0]).toBeGreaterThanOrEqual(30);
    expect(checkedPerHour[0]).toBeLessThanOrEqual(55);
    expect(checkedPerHour[1]).toBeLessThanOrEqual(3_600 / 300 + 1);
  }, 180_000);

  it('lets the user in on the portal in their own browser (device cookie) and from their usual address, while strangers wait', async () => {
    const usual = new PortalBrowser(t, USUAL_ADDRESS);
    const credentials = () => ({ username: 'alice', password: PASSWORD, otp: alice.code() });
    expect((await usual.signIn(credentials())).statusCode).toBe(303);
    expect([...usual.cookies.keys()]).toContain('pforte-device');

    // The stranger fails from ever new addresses until told to wait (past the 30 free).
    let strangers = 0;
    const strangerTriesAgain = async () => {
      for (;;) {
        const guess = await new PortalBrowser(t, strangerAddress(strangers++)).signIn({
          username: 'alice',
          password: `guess ${strangers}`,
          otp: '123456',
        });
        if (guess.statusCode === 429) return;
        expect(guess.statusCode).toBe(401);
      }
    };
    await strangerTriesAgain();
    expect(strangers).toBeGreaterThan(30);

    // A browser and an address Alice never used wait like the stranger does.
    const unknown = await new PortalBrowser(t, '192.0.2.99').signIn(credentials());
    expect(unknown.statusCode).toBe(429);
    expect(unknown.body).toContain('Bitte warten Sie');

    // Alice's laptop, another day on another network: its device cookie is known.
    t.clock.advance(30_000);
    await strangerTriesAgain();
    const fromLaptop = await usual.laterAt('192.0.2.44').signIn(credentials());
    expect(fromLaptop.statusCode).toBe(303);
    expect(fromLaptop.headers.location).toBe('/services');

    // A fresh browser at her usual address: the address is known.
    t.clock.advance(30_000);
    await strangerTriesAgain();
    const office = await new PortalBrowser(t, USUAL_ADDRESS).signIn(credentials());
    expect(office.statusCode).toBe(303);
  });

  it('slows down failures made with a known device cookie on that device alone', async () => {
    const usual = new PortalBrowser(t, USUAL_ADDRESS);
    expect(
      (await usual.signIn({ username: 'alice', password: PASSWORD, otp: alice.code() })).statusCode,
    ).toBe(303);
    // Someone at Alice's desk, with her browser, guessing: a few free tries, then waits.
    const statuses: number[] = [];
    for (let n = 0; n < 5; n++) {
      statuses.push(
        (
          await usual
            .laterAt(strangerAddress(n))
            .signIn({ username: 'alice', password: `guess ${n}`, otp: '123456' })
        ).statusCode,
      );
    }
    // Three free failures; the fourth is checked and starts the wait.
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    // The same guessing does not reach Alice's other places.
    t.clock.advance(30_000);
    const office = await new PortalBrowser(t, USUAL_ADDRESS).signIn({
      username: 'alice',
      password: PASSWORD,
      otp: alice.code(),
    });
    expect(office.statusCode).toBe(303);
  });

  it('forgets a place after 90 days without a sign-in there', async () => {
    expect((await fromUsualPlace()).result).toBe('accept');
    t.clock.advance(91 * 86_400_000);
    await pruneBackoff(t.core);
    expect(await t.core.store.db.selectFrom('known_clients').selectAll().execute()).toEqual([]);
    for (let n = 0; n <= 30; n++) {
      await decideSignIn(t.core, SERVICE, {
        username: 'alice',
        password: `guess ${n}`,
        otp: '123456',
        clientAddress: strangerAddress(n),
      });
    }
    expect(await fromUsualPlace()).toMatchObject({ result: 'reject', reason: 'backoff' });
  });
});
