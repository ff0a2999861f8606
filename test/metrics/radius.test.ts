/**
 * The RADIUS face's counters as `pforte_radius_*` metrics, and its decisions among the
 * sign-in decisions with face "radius". Asked by python3-pyrad and a raw socket.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scrapeMetrics } from '../../src/metrics/scrape.js';
import { parseMetrics } from '../helpers/metrics.js';
import {
  oathtoolCode,
  openUdpClient,
  pyrad,
  startRadius,
  type RadiusTest,
} from '../helpers/radius.js';
import { addUserWithToken, type TestToken } from '../helpers/tokens.js';

describe('RADIUS metrics', () => {
  let t: RadiusTest;
  let alice: TestToken;
  const samples = async () => parseMetrics((await scrapeMetrics(t.core)).text);

  beforeEach(async () => {
    t = await startRadius('sqlite', [{ mode: 'passcode' }]);
    alice = await addUserWithToken(t.core, 'alice');
  });
  afterEach(async () => t.close());

  it('counts requests, answers and drops by reason', async () => {
    const before = await samples();
    expect(before.get('pforte_radius_requests_total')).toBe(0);
    const udp = await openUdpClient();
    try {
      await udp.send(Buffer.from('not a RADIUS packet'), t.port);
    } finally {
      await udp.close();
    }
    const code = await oathtoolCode(alice.base32, t.clock.now());
    expect((await pyrad(t.port, { username: 'alice', password: code })).code).toBe(2);
    expect((await pyrad(t.port, { username: 'alice', password: code })).code).toBe(3);

    const after = await samples();
    expect(after.get('pforte_radius_requests_total')).toBe(2);
    expect(after.get('pforte_radius_accepts_total')).toBe(1);
    expect(after.get('pforte_radius_rejects_total')).toBe(1);
    expect(after.get('pforte_radius_challenges_total')).toBe(0);
    expect(after.get('pforte_radius_dropped_total{reason="malformed"}')).toBe(1);
    expect(after.get('pforte_radius_dropped_total{reason="bad_authenticator"}')).toBe(0);
    expect(
      after.get('pforte_signin_decisions_total{face="radius",result="accept",reason="ok"}'),
    ).toBe(1);
    expect(
      after.get('pforte_signin_decisions_total{face="radius",result="reject",reason="replayed"}'),
    ).toBe(1);
  });
});
