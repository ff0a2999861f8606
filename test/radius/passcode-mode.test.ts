/**
 * `passcode` mode: the device checked the password itself and sends the code alone.
 * Asked by python3-pyrad. On SQLite and on PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { DATABASES } from '../helpers/core.js';
import { oathtoolCode, pyrad, startRadius, type RadiusTest } from '../helpers/radius.js';
import { addUserWithToken, type TestToken } from '../helpers/tokens.js';

const ACCEPT = 2;
const REJECT = 3;

describe.each(DATABASES)('RADIUS passcode mode on %s', (database) => {
  let t: RadiusTest;
  let alice: TestToken;
  const code = () => oathtoolCode(alice.base32, t.clock.now());

  beforeEach(async () => {
    t = await startRadius(database, [{ mode: 'passcode' }]);
    alice = await addUserWithToken(t.core, 'alice');
  });
  afterEach(async () => t.close());

  it('accepts the code alone, and audits a sign-in without password', async () => {
    const reply = await pyrad(t.port, { username: 'alice', password: await code() });
    expect(reply).toMatchObject({ code: ACCEPT, genuine: true });
    const event = (await listAudit(t.core, { limit: 1 })).items[0]!;
    expect(event).toMatchObject({ outcome: 'accept', face: 'radius', detail: { otpOnly: true } });
  });

  it('rejects a wrong code', async () => {
    const right = await code();
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    expect((await pyrad(t.port, { username: 'alice', password: wrong })).code).toBe(REJECT);
  });

  it('refuses the same code a second time (replay)', async () => {
    const once = await code();
    expect((await pyrad(t.port, { username: 'alice', password: once })).code).toBe(ACCEPT);
    expect((await pyrad(t.port, { username: 'alice', password: once })).code).toBe(REJECT);
  });

  it('rejects the password with the code appended: this device sends the code alone', async () => {
    const reply = await pyrad(t.port, { username: 'alice', password: 'secret' + (await code()) });
    expect(reply.code).toBe(REJECT);
  });
});
