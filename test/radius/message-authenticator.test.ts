/**
 * Message-Authenticator (RFC 3579 section 3.2), required since BlastRADIUS
 * (CVE-2024-3596): the first attribute of every answer, checked by pyrad's side with
 * the shared secret; a request without one, or with a wrong one, gets no answer.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ATTRIBUTE, hidePassword, writeRequest } from '../../src/radius/packet.js';
import {
  oathtoolCode,
  openUdpClient,
  papLines,
  pyrad,
  radclient,
  SECRET,
  startRadius,
  withoutMessageAuthenticator,
  type RadiusTest,
} from '../helpers/radius.js';
import { addUserWithToken, PASSWORD } from '../helpers/tokens.js';

/** A signed Access-Request for `username` with `password` in clear, by hand. */
function request(identifier: number, username: string, password: string): Buffer {
  const authenticator = randomBytes(16);
  const secret = Buffer.from(SECRET);
  return writeRequest(
    identifier,
    authenticator,
    [
      { type: ATTRIBUTE.userName, value: Buffer.from(username) },
      {
        type: ATTRIBUTE.userPassword,
        value: hidePassword(Buffer.from(password), secret, authenticator),
      },
    ],
    secret,
  );
}

describe('RADIUS Message-Authenticator', () => {
  let t: RadiusTest;
  afterEach(async () => t.close());

  it('is the first attribute of every Accept, Reject and Challenge, and right under the secret', async () => {
    t = await startRadius('sqlite');
    const alice = await addUserWithToken(t.core, 'alice');
    const code = await oathtoolCode(alice.base32, t.clock.now());
    const accept = await pyrad(t.port, { username: 'alice', password: PASSWORD + code });
    const reject = await pyrad(t.port, { username: 'alice', password: 'wrong' + code });
    for (const reply of [accept, reject]) {
      expect(reply).toMatchObject({
        genuine: true,
        messageAuthenticatorAt: [20],
        messageAuthenticatorValid: true,
      });
    }
    expect([accept.code, reject.code]).toEqual([2, 3]);
    await t.close();

    t = await startRadius('sqlite', [{ mode: 'challenge' }]);
    const challenge = await pyrad(t.port, { username: 'alice', password: PASSWORD });
    expect(challenge).toMatchObject({
      code: 11,
      genuine: true,
      messageAuthenticatorAt: [20],
      messageAuthenticatorValid: true,
    });
  });

  it('drops a request without one, unanswered, counted as bad_authenticator', async () => {
    t = await startRadius('sqlite');
    const udp = await openUdpClient();
    try {
      await udp.send(withoutMessageAuthenticator(request(1, 'alice', 'x'.repeat(20))), t.port);
      // An answer to this second request proves the first was read before it.
      await udp.send(request(2, 'alice', 'x'.repeat(20)), t.port);
      const first = await udp.next();
      expect(first[1]).toBe(2);
      expect(t.server.counters().dropped.bad_authenticator).toBe(1);
    } finally {
      await udp.close();
    }
  });

  it('drops a request whose Message-Authenticator is wrong', async () => {
    t = await startRadius('sqlite');
    const udp = await openUdpClient();
    try {
      const forged = request(1, 'alice', 'x'.repeat(20));
      forged[30]! ^= 0x01; // inside the Message-Authenticator's value
      await udp.send(forged, t.port);
      await udp.send(request(2, 'alice', 'x'.repeat(20)), t.port);
      expect((await udp.next())[1]).toBe(2);
      expect(t.server.counters().dropped.bad_authenticator).toBe(1);
    } finally {
      await udp.close();
    }
  });

  it('drops a request that radclient signs with another secret (no answer)', async () => {
    t = await startRadius('sqlite');
    const reply = await radclient(t.port, papLines('alice', PASSWORD + '123456'), {
      secret: 'not-the-shared-secret-at-all',
      timeout: 1,
    });
    expect(reply.code).toBeUndefined();
    expect(reply.output).toMatch(/No reply/i);
    expect(t.server.counters().dropped.bad_authenticator).toBe(1);
  });

  it('accepts a request without one from a client marked requireMessageAuthenticator false, and warns at start', async () => {
    t = await startRadius('sqlite', [{ requireMessageAuthenticator: false }]);
    const alice = await addUserWithToken(t.core, 'alice');
    const code = await oathtoolCode(alice.base32, t.clock.now());
    const reply = await pyrad(t.port, {
      username: 'alice',
      password: PASSWORD + code,
      messageAuthenticator: false,
    });
    // The answer still carries one.
    expect(reply).toMatchObject({ code: 2, genuine: true, messageAuthenticatorValid: true });
    expect(t.logs()).toMatch(/"level":40.*"client":"vpn".*BlastRADIUS/);
  });

  it('never writes the shared secret to the log', async () => {
    t = await startRadius('sqlite', [{ requireMessageAuthenticator: false }]);
    await radclient(t.port, papLines('alice', PASSWORD + '123456'));
    await radclient(t.port, papLines('alice', PASSWORD + '123456'), {
      secret: 'not-the-shared-secret-at-all',
      timeout: 1,
    });
    expect(t.logs()).toContain('RADIUS server listening');
    expect(t.logs()).not.toContain(SECRET);
  });
});
