/**
 * `challenge` mode, asked by radclient: the password first, an Access-Challenge with a
 * State and the prompt in the client's language, then the code with that State. The
 * State is Pforte's own, bound to the client and good for 120 seconds.
 * On SQLite and on PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { CHALLENGE_SECONDS } from '../../src/radius/challenge-state.js';
import { radiusTexts } from '../../src/text/radius.js';
import { DATABASES } from '../helpers/core.js';
import {
  oathtoolCode,
  papLines,
  radclient,
  SECRET,
  startRadius,
  type RadiusTest,
} from '../helpers/radius.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

describe.each(DATABASES)('RADIUS challenge round trip on %s', (database) => {
  let t: RadiusTest;
  let alice: TestToken;
  const code = () => oathtoolCode(alice.base32, t.clock.now());
  /** The first request: the password alone; returns the State of the challenge. */
  const askPassword = async (password = PASSWORD, port = t.port, secret = SECRET) => {
    const reply = await radclient(port, papLines('alice', password), { secret });
    expect(reply.code).toBe('Access-Challenge');
    expect(reply.attributes.State).toHaveLength(1);
    return { state: reply.attributes.State![0]!, reply };
  };
  const answerWith = async (state: string, otp: string, port = t.port, secret = SECRET) =>
    radclient(port, papLines('alice', otp, `State = ${state}`), { secret });

  beforeEach(async () => {
    t = await startRadius(database, [{ mode: 'challenge', lang: 'en' }]);
    alice = await addUserWithToken(t.core, 'alice');
  });
  afterEach(async () => t.close());

  it('answers the password with an Access-Challenge carrying a State and the prompt in the client language', async () => {
    const { reply } = await askPassword();
    expect(reply.attributes['Reply-Message']).toEqual([radiusTexts.en.enterTokenCode]);
    expect(t.server.counters()).toMatchObject({ challenged: 1, accepted: 0 });
    // Nothing is decided yet: no sign-in in the audit log.
    expect((await listAudit(t.core, { action: 'signin' })).items).toEqual([]);
  });

  it('accepts the code sent back with the State', async () => {
    const { state } = await askPassword();
    const reply = await answerWith(state, await code());
    expect(reply.code).toBe('Access-Accept');
    expect((await listAudit(t.core, { limit: 1 })).items[0]).toMatchObject({
      action: 'signin',
      outcome: 'accept',
      face: 'radius',
    });
  });

  it('challenges a wrong password too, and rejects once the code comes', async () => {
    const { state } = await askPassword('not the password');
    expect((await answerWith(state, await code())).code).toBe('Access-Reject');
  });

  it('rejects a code with a forged State', async () => {
    const { state } = await askPassword();
    const forged = state.slice(0, -2) + (state.endsWith('00') ? '01' : '00');
    expect((await answerWith(forged, await code())).code).toBe('Access-Reject');
    expect((await listAudit(t.core, { limit: 1 })).items[0]).toMatchObject({
      action: 'signin',
      outcome: 'failure',
      reason: 'bad_state',
      face: 'radius',
    });
  });

  it('rejects a code without a State of its own (a made-up one)', async () => {
    expect((await answerWith('0x' + '41'.repeat(60), await code())).code).toBe('Access-Reject');
  });

  it(`rejects a code sent more than ${CHALLENGE_SECONDS} s after the challenge`, async () => {
    const { state } = await askPassword();
    t.clock.advance(CHALLENGE_SECONDS * 1000 + 1000);
    expect((await answerWith(state, await code())).code).toBe('Access-Reject');
  });

  it(`accepts a code sent just within ${CHALLENGE_SECONDS} s`, async () => {
    const { state } = await askPassword();
    t.clock.advance(CHALLENGE_SECONDS * 1000 - 1000);
    expect((await answerWith(state, await code())).code).toBe('Access-Accept');
  });

  it('rejects a State used by another user name', async () => {
    const { state } = await askPassword();
    await addUserWithToken(t.core, 'bob');
    const reply = await radclient(t.port, papLines('bob', await code(), `State = ${state}`));
    expect(reply.code).toBe('Access-Reject');
  });
});
