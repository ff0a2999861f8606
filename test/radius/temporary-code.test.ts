/**
 * A help desk's temporary code (8 digits) works through RADIUS as through every other
 * face: typed after the password in `password+passcode` mode, alone in `passcode` mode.
 * On SQLite and on PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { issueTemporaryAccess } from '../../src/temporary/temporary-access.js';
import { changeTokenState } from '../../src/tokens/state.js';
import { ADMIN, DATABASES } from '../helpers/core.js';
import { papLines, radclient, startRadius, type RadiusTest } from '../helpers/radius.js';
import { addUserWithToken, PASSWORD } from '../helpers/tokens.js';

describe.each(DATABASES)('RADIUS with a temporary code on %s', (database) => {
  let t: RadiusTest;
  afterEach(async () => t.close());

  it('accepts the password with a temporary code appended when the lost token was revoked', async () => {
    t = await startRadius(database);
    const alice = await addUserWithToken(t.core, 'alice');
    await changeTokenState(t.core, ADMIN, alice.serial, 'revoke');
    const { code } = await issueTemporaryAccess(t.core, ADMIN, 'alice', { uses: 1 });
    expect((await radclient(t.port, papLines('alice', PASSWORD + code))).code).toBe(
      'Access-Accept',
    );
    // Used up: the second sign-in with it is refused.
    t.clock.advance(1000);
    expect((await radclient(t.port, papLines('alice', PASSWORD + code))).code).toBe(
      'Access-Reject',
    );
  });

  it('accepts the password with a temporary code appended while the broken phone’s token is still active', async () => {
    t = await startRadius(database);
    await addUserWithToken(t.core, 'alice');
    const { code } = await issueTemporaryAccess(t.core, ADMIN, 'alice');
    expect((await radclient(t.port, papLines('alice', PASSWORD + code))).code).toBe(
      'Access-Accept',
    );
    expect((await listAudit(t.core, { limit: 1 })).items[0]).toMatchObject({
      outcome: 'accept',
      face: 'radius',
    });
  });

  it('accepts a temporary code alone in passcode mode', async () => {
    t = await startRadius(database, [{ mode: 'passcode' }]);
    await addUserWithToken(t.core, 'alice');
    const { code } = await issueTemporaryAccess(t.core, ADMIN, 'alice');
    expect((await radclient(t.port, papLines('alice', code))).code).toBe('Access-Accept');
  });
});
