/**
 * Debian's FreeRADIUS as a proxy in front of Pforte: radclient asks FreeRADIUS, which
 * passes the request on (realm DEFAULT) with its own shared secret, and Pforte's answer
 * comes back through it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { startFreeRadiusProxy, type FreeRadius } from '../helpers/freeradius.js';
import {
  oathtoolCode,
  papLines,
  radclient,
  SECRET,
  startRadius,
  type RadiusTest,
} from '../helpers/radius.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

const NAS_SECRET = 'the-nas-and-freeradius-secret';

describe('RADIUS through FreeRADIUS as a proxy', () => {
  let t: RadiusTest;
  let alice: TestToken;
  let proxy: FreeRadius;

  beforeEach(async () => {
    t = await startRadius('sqlite', [{ name: 'freeradius', class: 'vpn-staff' }]);
    alice = await addUserWithToken(t.core, 'alice');
    proxy = await startFreeRadiusProxy({
      clientSecret: NAS_SECRET,
      homePort: t.port,
      homeSecret: SECRET,
    });
  });
  afterEach(async () => {
    await proxy.stop();
    await t.close();
  });

  it('accepts the right password and code asked through FreeRADIUS', async () => {
    const code = await oathtoolCode(alice.base32, t.clock.now());
    const reply = await radclient(proxy.port, papLines('alice', PASSWORD + code), {
      secret: NAS_SECRET,
    });
    expect(reply.code, proxy.output()).toBe('Access-Accept');
    expect(reply.attributes.Class).toEqual(['0x' + Buffer.from('vpn-staff').toString('hex')]);
    expect((await listAudit(t.core, { limit: 1 })).items[0]).toMatchObject({
      outcome: 'accept',
      face: 'radius',
      actor: 'radius:freeradius',
    });
  });

  it('rejects a wrong code asked through FreeRADIUS', async () => {
    const reply = await radclient(proxy.port, papLines('alice', PASSWORD + '000000'), {
      secret: NAS_SECRET,
    });
    expect(reply.code, proxy.output()).toBe('Access-Reject');
  });
});
