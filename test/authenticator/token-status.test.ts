/**
 * The app's status-check client against a real listening server: the holder's answer and
 * the clock offset from the server's `Date`; offline or refused, an empty report and no throw.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkTokenStatus } from '../../src/authenticator/token-status.js';
import { changeTokenState } from '../../src/tokens/state.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN } from '../helpers/core.js';
import { addUserWithToken, type TestToken } from '../helpers/tokens.js';

describe('the authenticator status client', () => {
  let t: TestApp;
  let base: string;
  let token: TestToken;

  beforeEach(async () => {
    t = await makeApp('sqlite');
    token = await addUserWithToken(t.core, 'alice', { type: 'hotp' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => t.close());

  it('learns the state and how far the phone clock is off the server clock', async () => {
    const phoneClock = () => t.clock.now() - 5 * 60_000;
    const report = await checkTokenStatus(base, token.serial, token.seed, { now: phoneClock });
    expect(report.status).toEqual({ state: 'active', replaced: false, changedAt: null });
    expect(Math.abs(report.clockOffsetMs! - 5 * 60_000)).toBeLessThanOrEqual(1000);

    await changeTokenState(t.core, ADMIN, token.serial, 'revoke');
    const later = await checkTokenStatus(base, token.serial, token.seed);
    expect(later.status).toMatchObject({ state: 'revoked', replaced: false });
  });

  it('reports nothing but the clock when the seed is wrong, and nothing offline', async () => {
    const other = await addUserWithToken(t.core, 'bob');
    const refused = await checkTokenStatus(base, token.serial, other.seed);
    expect(refused.status).toBeUndefined();
    expect(refused.clockOffsetMs).toBeDefined();
    const offline = await checkTokenStatus(base, token.serial, token.seed, {
      send: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    expect(offline).toEqual({});
  });

  it('leaves the caller’s seed as it was, a Buffer too', async () => {
    const kept = new Uint8Array(token.seed);
    const seed = Buffer.from(token.seed);
    await checkTokenStatus(base, token.serial, seed);
    expect(new Uint8Array(seed)).toEqual(kept);
  });
});
