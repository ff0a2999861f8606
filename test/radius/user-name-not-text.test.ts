/**
 * A User-Name that is not text (RFC 2865 section 5.1: UTF-8) — a NUL byte, control
 * characters, invalid UTF-8 — is a malformed request: dropped and counted, not written
 * to the audit log (PostgreSQL refuses a NUL in text, which once failed the request).
 * On SQLite and on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { ATTRIBUTE, hidePassword, writeRequest, type Attribute } from '../../src/radius/packet.js';
import { DATABASES } from '../helpers/core.js';
import {
  openUdpClient,
  SECRET,
  startRadius,
  type RadiusTest,
  type UdpClient,
} from '../helpers/radius.js';

const secret = Buffer.from(SECRET);

function request(identifier: number, userName: Buffer, withPassword: boolean): Buffer {
  const authenticator = randomBytes(16);
  const attributes: Attribute[] = [{ type: ATTRIBUTE.userName, value: userName }];
  if (withPassword) {
    attributes.push({
      type: ATTRIBUTE.userPassword,
      value: hidePassword(Buffer.from('password123456'), secret, authenticator),
    });
  }
  return writeRequest(identifier, authenticator, attributes, secret);
}

const NOT_TEXT: [string, Buffer][] = [
  ['a NUL byte', Buffer.from('ali\0ce')],
  ['a control character', Buffer.from('ali\x1bce')],
  ['invalid UTF-8', Buffer.from([0x61, 0xff, 0xfe, 0x62])],
];

describe.each(DATABASES)('RADIUS User-Name that is not text on %s', (database) => {
  let t: RadiusTest;
  let udp: UdpClient;
  beforeEach(async () => {
    t = await startRadius(database);
    udp = await openUdpClient();
  });
  afterEach(async () => {
    await udp.close();
    await t.close();
  });

  it.each(NOT_TEXT)(
    'drops a request whose User-Name has %s, with or without a password',
    async (_, name) => {
      await udp.send(request(1, name, true), t.port);
      await udp.send(request(2, name, false), t.port);
      // A well-formed request's answer comes after both were handled.
      await udp.send(request(3, Buffer.from('alice'), true), t.port);
      expect((await udp.next())[1]).toBe(3);
      await expect.poll(() => t.server.counters().dropped.malformed).toBe(2);
      expect(t.server.counters().dropped.failed).toBe(0);
      const usernames = (await listAudit(t.core, { action: 'signin' })).items.map(
        (e) => e.username,
      );
      expect(usernames).toEqual(['alice']);
    },
  );
});
