/**
 * Each client has a budget of requests per second (`requestsPerSecond`): the excess is
 * dropped and counted, other clients keep theirs, and the budget comes back with time
 * (the fake clock, not waiting).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ATTRIBUTE, hidePassword, writeRequest } from '../../src/radius/packet.js';
import { openUdpClient, SECRET, startRadius, type RadiusTest } from '../helpers/radius.js';

function request(identifier: number): Buffer {
  const authenticator = randomBytes(16);
  const secret = Buffer.from(SECRET);
  return writeRequest(
    identifier,
    authenticator,
    [
      { type: ATTRIBUTE.userName, value: Buffer.from('nobody') },
      {
        type: ATTRIBUTE.userPassword,
        value: hidePassword(Buffer.from('123456'), secret, authenticator),
      },
    ],
    secret,
  );
}

describe('RADIUS rate limit per client', () => {
  let t: RadiusTest;
  afterEach(async () => t.close());

  it('drops requests beyond requestsPerSecond, counts them, and hears the client again a second later', async () => {
    t = await startRadius('sqlite', [
      { address: '127.0.0.1', requestsPerSecond: 2, mode: 'passcode' },
      { name: 'other', address: '127.0.0.2', mode: 'passcode' },
    ]);
    const busy = await openUdpClient('127.0.0.1');
    const other = await openUdpClient('127.0.0.2');
    try {
      for (let id = 1; id <= 5; id++) await busy.send(request(id), t.port);
      // The other client's answer comes after all five were read.
      await other.send(request(100), t.port);
      expect((await other.next())[1]).toBe(100);
      const answered = [(await busy.next())[1], (await busy.next())[1]];
      expect(answered.sort()).toEqual([1, 2]);
      expect(t.server.counters().dropped.rate_limited).toBe(3);

      t.clock.advance(1000);
      await busy.send(request(6), t.port);
      expect((await busy.next())[1]).toBe(6);
      expect(t.server.counters().dropped.rate_limited).toBe(3);
    } finally {
      await busy.close();
      await other.close();
    }
  });
});
