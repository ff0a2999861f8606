/**
 * `password+passcode` mode (the default), asked by Debian's radclient as a VPN gateway
 * would: the password with the authenticator's code appended in one User-Password, the
 * code made by oathtool. On SQLite and on PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { DATABASES } from '../helpers/core.js';
import {
  oathtoolCode,
  papLines,
  radclient,
  startRadius,
  type RadiusTest,
} from '../helpers/radius.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

describe.each(DATABASES)('RADIUS password+passcode on %s', (database) => {
  let t: RadiusTest;
  let alice: TestToken;
  const code = () => oathtoolCode(alice.base32, t.clock.now());
  const lastAudit = async () => (await listAudit(t.core, { limit: 1 })).items[0]!;

  beforeEach(async () => {
    t = await startRadius(database);
    alice = await addUserWithToken(t.core, 'alice');
  });
  afterEach(async () => t.close());

  it('accepts the right password with the oathtool code appended, and audits it as face radius', async () => {
    const reply = await radclient(t.port, papLines('alice', PASSWORD + (await code())));
    expect(reply.code).toBe('Access-Accept');
    expect(await lastAudit()).toMatchObject({
      action: 'signin',
      outcome: 'accept',
      username: 'alice',
      face: 'radius',
    });
    expect(t.server.counters()).toMatchObject({ requests: 1, accepted: 1, rejected: 0 });
  });

  it('rejects a wrong password, with a Reply-Message that does not say which part was wrong', async () => {
    const reply = await radclient(t.port, papLines('alice', 'wrong password' + (await code())));
    expect(reply.code).toBe('Access-Reject');
    expect(reply.attributes['Reply-Message']).toHaveLength(1);
    expect(await lastAudit()).toMatchObject({ outcome: 'reject', username: 'alice' });
  });

  it('rejects a wrong code', async () => {
    const right = await code();
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const reply = await radclient(t.port, papLines('alice', PASSWORD + wrong));
    expect(reply.code).toBe('Access-Reject');
  });

  it('refuses the same code a second time (replay), with reason replayed in the audit log', async () => {
    const once = await code();
    expect((await radclient(t.port, papLines('alice', PASSWORD + once))).code).toBe(
      'Access-Accept',
    );
    t.clock.advance(5_000);
    expect((await radclient(t.port, papLines('alice', PASSWORD + once))).code).toBe(
      'Access-Reject',
    );
    expect(await lastAudit()).toMatchObject({ outcome: 'reject', reason: 'replayed' });
  });

  it('rejects an unknown user like a wrong password', async () => {
    const reply = await radclient(t.port, papLines('mallory', PASSWORD + '123456'));
    expect(reply.code).toBe('Access-Reject');
  });

  it('rejects a User-Password no longer than a code', async () => {
    const reply = await radclient(t.port, papLines('alice', await code()));
    expect(reply.code).toBe('Access-Reject');
  });
});
