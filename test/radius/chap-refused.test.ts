/**
 * CHAP and MS-CHAP carry no passcode Pforte could check: refused (Access-Reject), with
 * the reason in the audit log. Asked by radclient, which computes both from a password.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { radclient, startRadius, type RadiusTest } from '../helpers/radius.js';
import { addUserWithToken, PASSWORD } from '../helpers/tokens.js';

describe('RADIUS CHAP and MS-CHAP', () => {
  let t: RadiusTest;
  const lastAudit = async () => (await listAudit(t.core, { limit: 1 })).items[0]!;

  beforeEach(async () => {
    t = await startRadius('sqlite');
    await addUserWithToken(t.core, 'alice');
  });
  afterEach(async () => t.close());

  it('refuses CHAP-Password, with reason chap_refused in the audit log', async () => {
    const reply = await radclient(t.port, [
      'User-Name = "alice"',
      `CHAP-Password = "${PASSWORD}123456"`,
    ]);
    expect(reply.code).toBe('Access-Reject');
    expect(await lastAudit()).toMatchObject({
      action: 'signin',
      outcome: 'failure',
      reason: 'chap_refused',
      username: 'alice',
      face: 'radius',
    });
  });

  it('refuses MS-CHAPv2, with reason mschap_refused in the audit log', async () => {
    const reply = await radclient(t.port, [
      'User-Name = "alice"',
      `MS-CHAP-Password = "${PASSWORD}123456"`,
    ]);
    expect(reply.code).toBe('Access-Reject');
    expect(await lastAudit()).toMatchObject({ reason: 'mschap_refused', face: 'radius' });
  });
});
