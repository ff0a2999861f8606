/**
 * Only configured clients are heard: a datagram from any other address is dropped
 * unread and counted, even when it is signed with the right secret.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { ATTRIBUTE, hidePassword, writeRequest } from '../../src/radius/packet.js';
import { openUdpClient, SECRET, startRadius, type RadiusTest } from '../helpers/radius.js';

function request(identifier: number): Buffer {
  const authenticator = randomBytes(16);
  const secret = Buffer.from(SECRET);
  return writeRequest(
    identifier,
    authenticator,
    [
      { type: ATTRIBUTE.userName, value: Buffer.from('alice') },
      {
        type: ATTRIBUTE.userPassword,
        value: hidePassword(Buffer.from('password123456'), secret, authenticator),
      },
    ],
    secret,
  );
}

describe('RADIUS clients by address', () => {
  let t: RadiusTest;
  afterEach(async () => t.close());

  it('drops a request from an unlisted address (127.0.0.2) and counts it', async () => {
    t = await startRadius('sqlite', [{ address: '127.0.0.1' }]);
    const stranger = await openUdpClient('127.0.0.2');
    const known = await openUdpClient('127.0.0.1');
    try {
      await stranger.send(request(1), t.port);
      // The known client's answer comes after the stranger's datagram was read.
      await known.send(request(2), t.port);
      expect((await known.next())[1]).toBe(2);
      expect(t.server.counters().dropped.unknown_client).toBe(1);
      expect(t.server.counters().requests).toBe(1);
      expect((await listAudit(t.core, { action: 'signin' })).items).toHaveLength(1);
      // Nothing came back to the stranger before the known client's answer.
      const racing = await Promise.race([stranger.next(), Promise.resolve(undefined)]);
      expect(racing).toBeUndefined();
    } finally {
      await stranger.close();
      await known.close();
    }
  });

  it('hears every address of a configured range (CIDR)', async () => {
    t = await startRadius('sqlite', [{ address: '127.0.0.0/30' }]);
    const inRange = await openUdpClient('127.0.0.2');
    try {
      await inRange.send(request(3), t.port);
      expect((await inRange.next())[0]).toBe(3);
    } finally {
      await inRange.close();
    }
  });
});
