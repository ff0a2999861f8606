/**
 * A fuzzed corpus of malformed packets (a seeded generator, so a failure repeats):
 * random bytes, truncated and bit-flipped valid requests, attribute lengths of 0, 1 and
 * past the end, Length fields too small and too large, and signed requests whose
 * attributes make no sense. None crashes the server or goes uncounted, and a valid
 * request afterwards is answered. On SQLite and on PostgreSQL (the signed ones reach
 * the decision and the audit log).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ATTRIBUTE, hidePassword, writeRequest, type Attribute } from '../../src/radius/packet.js';
import { DATABASES } from '../helpers/core.js';
import {
  oathtoolCode,
  openUdpClient,
  SECRET,
  startRadius,
  type RadiusTest,
  type UdpClient,
} from '../helpers/radius.js';
import { addUserWithToken } from '../helpers/tokens.js';

const secret = Buffer.from(SECRET);
const BATCH = 50;

/** xorshift32: the same corpus on every run. */
function generator(seed: number) {
  let x = seed;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const int = (below: number) => Math.floor(next() * below);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { int, bytes };
}

function validRequest(identifier: number, authenticator: Buffer, extra: Attribute[] = []) {
  return writeRequest(
    identifier,
    authenticator,
    [
      { type: ATTRIBUTE.userName, value: Buffer.from('alice') },
      {
        type: ATTRIBUTE.userPassword,
        value: hidePassword(Buffer.from('123456'), secret, authenticator),
      },
      ...extra,
    ],
    secret,
  );
}

/** `count` malformed packets of each kind; the signed ones are answered or dropped, never crash. */
function corpus(count: number): { unsigned: Buffer[]; signed: Buffer[] } {
  const r = generator(0x5eed);
  const valid = () => validRequest(r.int(256), r.bytes(16));
  const unsigned: Buffer[] = [];
  const signed: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    // Random bytes, some shorter than a header, some with the Access-Request code.
    const noise = r.bytes(r.int(300));
    if (noise.length > 0 && i % 2 === 0) noise[0] = 1;
    unsigned.push(noise);

    // A valid request cut short.
    const whole = valid();
    unsigned.push(whole.subarray(0, r.int(whole.length)));

    // A valid request with one to eight bits flipped.
    const flipped = Buffer.from(valid());
    for (let n = 1 + r.int(8); n > 0; n--) flipped[r.int(flipped.length)]! ^= 1 << r.int(8);
    unsigned.push(flipped);

    // Attribute lengths of 0, 1 or past the end; a Length field too small or too large.
    const broken = Buffer.from(valid());
    const at = 20 + 18; // the attribute after the Message-Authenticator
    switch (i % 5) {
      case 0:
        broken[at + 1] = 0;
        break;
      case 1:
        broken[at + 1] = 1;
        break;
      case 2:
        broken[at + 1] = 255;
        break;
      case 3:
        broken.writeUInt16BE(0xffff, 2);
        break;
      default:
        broken.writeUInt16BE(r.int(20), 2);
    }
    unsigned.push(broken);
  }
  for (let i = 0; i < count / 4; i++) {
    // Signed with the right secret, but nonsense inside: odd User-Password lengths,
    // binary and control characters in the names, random attributes and States.
    const authenticator = r.bytes(16);
    const name = r.bytes(1 + r.int(60));
    const attributes: Attribute[] = [{ type: ATTRIBUTE.userName, value: name }];
    if (i % 3 !== 0) attributes.push({ type: ATTRIBUTE.userPassword, value: r.bytes(r.int(140)) });
    for (let n = r.int(6); n > 0; n--)
      attributes.push({ type: r.int(256), value: r.bytes(r.int(40)) });
    if (i % 4 === 0) attributes.push({ type: ATTRIBUTE.state, value: r.bytes(r.int(200)) });
    const packet = writeRequest(r.int(256), authenticator, attributes, secret);
    if (i % 7 === 0) packet[0] = r.int(256); // another code, still signed
    signed.push(packet);
  }
  return { unsigned, signed };
}

describe.each(DATABASES)('RADIUS malformed packets on %s', (database) => {
  let t: RadiusTest;
  let fuzz: UdpClient;
  let probe: UdpClient;

  beforeEach(async () => {
    t = await startRadius(database, [{ mode: 'passcode', requestsPerSecond: 100_000 }]);
    fuzz = await openUdpClient();
    probe = await openUdpClient();
  });
  afterEach(async () => {
    await fuzz.close();
    await probe.close();
    await t.close();
  });

  it('drops and counts 1,000 malformed packets, and answers a valid request afterwards', async () => {
    const { unsigned } = corpus(250);
    expect(unsigned.length).toBeGreaterThanOrEqual(1000);
    const dropped = () => {
      const { dropped } = t.server.counters();
      return dropped.malformed + dropped.bad_authenticator + dropped.not_a_request;
    };
    // In batches, each read before the next: the socket's receive buffer holds a few hundred.
    for (let from = 0; from < unsigned.length; from += BATCH) {
      for (const packet of unsigned.slice(from, from + BATCH)) await fuzz.send(packet, t.port);
      await expect.poll(dropped).toBe(Math.min(from + BATCH, unsigned.length));
    }

    const alice = await addUserWithToken(t.core, 'alice');
    const code = await oathtoolCode(alice.base32, t.clock.now());
    const authenticator = Buffer.alloc(16, 7);
    await probe.send(
      writeRequest(
        42,
        authenticator,
        [
          { type: ATTRIBUTE.userName, value: Buffer.from('alice') },
          {
            type: ATTRIBUTE.userPassword,
            value: hidePassword(Buffer.from(code), secret, authenticator),
          },
        ],
        secret,
      ),
      t.port,
    );
    expect((await probe.next()).subarray(0, 2)).toEqual(Buffer.from([2, 42]));
    expect(t.server.counters()).toMatchObject({ accepted: 1, dropped: { failed: 0 } });
    // Not one malformed packet was answered.
    expect(await Promise.race([fuzz.next(), Promise.resolve('none')])).toBe('none');
  });

  it('answers or drops signed requests with nonsense inside, without a failure', async () => {
    const { signed } = corpus(400);
    const seen = () => {
      const c = t.server.counters();
      const dropped = Object.values(c.dropped).reduce((a, b) => a + b, 0);
      return c.accepted + c.rejected + c.challenged + dropped;
    };
    for (let from = 0; from < signed.length; from += BATCH) {
      for (const packet of signed.slice(from, from + BATCH)) await fuzz.send(packet, t.port);
      await expect.poll(seen).toBe(Math.min(from + BATCH, signed.length));
    }
    expect(t.server.counters().dropped.failed).toBe(0);
    expect(t.server.counters().accepted).toBe(0);
  });
});
