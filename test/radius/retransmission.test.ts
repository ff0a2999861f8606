/**
 * A retransmission (the same client, Identifier and Request Authenticator) is answered
 * with the same bytes, without a second decision: a second one would refuse the code as
 * a replay (RFC 5080 section 2.2.2).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { ATTRIBUTE, hidePassword, writeRequest } from '../../src/radius/packet.js';
import { RETRANSMIT_MS } from '../../src/radius/server.js';
import {
  oathtoolCode,
  openUdpClient,
  SECRET,
  startRadius,
  type RadiusTest,
  type UdpClient,
} from '../helpers/radius.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

function request(identifier: number, password: string): Buffer {
  const authenticator = randomBytes(16);
  const secret = Buffer.from(SECRET);
  return writeRequest(
    identifier,
    authenticator,
    [
      { type: ATTRIBUTE.userName, value: Buffer.from('alice') },
      {
        type: ATTRIBUTE.userPassword,
        value: hidePassword(Buffer.from(password), secret, authenticator),
      },
    ],
    secret,
  );
}

describe('RADIUS retransmissions', () => {
  let t: RadiusTest;
  let alice: TestToken;
  let udp: UdpClient;
  const signIns = async () => (await listAudit(t.core, { action: 'signin' })).items;

  beforeEach(async () => {
    t = await startRadius('sqlite');
    alice = await addUserWithToken(t.core, 'alice');
    udp = await openUdpClient();
  });
  afterEach(async () => {
    await udp.close();
    await t.close();
  });

  it('answers the identical request sent twice with identical bytes, after one decision', async () => {
    const packet = request(7, PASSWORD + (await oathtoolCode(alice.base32, t.clock.now())));
    await udp.send(packet, t.port);
    await udp.send(packet, t.port);
    const [first, second] = [await udp.next(), await udp.next()];
    expect(first[0]).toBe(2); // Access-Accept
    expect(second.equals(first)).toBe(true);
    expect(await signIns()).toHaveLength(1);
    expect(t.server.counters()).toMatchObject({ requests: 2, accepted: 1, retransmissions: 1 });
  });

  it('answers a retransmission that comes after the answer with the same Accept', async () => {
    const packet = request(8, PASSWORD + (await oathtoolCode(alice.base32, t.clock.now())));
    await udp.send(packet, t.port);
    const first = await udp.next();
    t.clock.advance(RETRANSMIT_MS - 1000);
    await udp.send(packet, t.port);
    expect((await udp.next()).equals(first)).toBe(true);
    expect(await signIns()).toHaveLength(1);
  });

  it(`decides afresh after ${RETRANSMIT_MS / 1000} s: the code is then a replay`, async () => {
    const packet = request(9, PASSWORD + (await oathtoolCode(alice.base32, t.clock.now())));
    await udp.send(packet, t.port);
    expect((await udp.next())[0]).toBe(2);
    t.clock.advance(RETRANSMIT_MS + 1000);
    await udp.send(packet, t.port);
    expect((await udp.next())[0]).toBe(3);
    expect((await signIns())[0]).toMatchObject({ outcome: 'reject', reason: 'replayed' });
  });

  it('decides a new request with the same code (another authenticator) afresh: a replay', async () => {
    const code = await oathtoolCode(alice.base32, t.clock.now());
    await udp.send(request(10, PASSWORD + code), t.port);
    expect((await udp.next())[0]).toBe(2);
    await udp.send(request(10, PASSWORD + code), t.port);
    expect((await udp.next())[0]).toBe(3);
    expect(await signIns()).toHaveLength(2);
  });
});
