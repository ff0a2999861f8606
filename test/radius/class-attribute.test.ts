/**
 * A client's `class` goes back as a Class attribute (RFC 2865 section 5.25) on every
 * Access-Accept, so the VPN can assign a profile; never on a reject.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  oathtoolCode,
  papLines,
  radclient,
  startRadius,
  type RadiusTest,
} from '../helpers/radius.js';
import { addUserWithToken, PASSWORD } from '../helpers/tokens.js';

const hex = (text: string) => '0x' + Buffer.from(text).toString('hex');

describe('RADIUS Class attribute', () => {
  let t: RadiusTest;
  afterEach(async () => t.close());

  it('is on the Access-Accept when the client has a class, and not on the reject', async () => {
    t = await startRadius('sqlite', [{ class: 'vpn-staff' }]);
    const alice = await addUserWithToken(t.core, 'alice');
    const code = await oathtoolCode(alice.base32, t.clock.now());
    const accept = await radclient(t.port, papLines('alice', PASSWORD + code));
    expect(accept.code).toBe('Access-Accept');
    expect(accept.attributes.Class).toEqual([hex('vpn-staff')]);
    const reject = await radclient(t.port, papLines('alice', 'wrong' + code));
    expect(reject.code).toBe('Access-Reject');
    expect(reject.attributes.Class).toBeUndefined();
  });

  it('is not on the Access-Accept when the client has none', async () => {
    t = await startRadius('sqlite');
    const alice = await addUserWithToken(t.core, 'alice');
    const code = await oathtoolCode(alice.base32, t.clock.now());
    const accept = await radclient(t.port, papLines('alice', PASSWORD + code));
    expect(accept.code).toBe('Access-Accept');
    expect(accept.attributes.Class).toBeUndefined();
  });
});
