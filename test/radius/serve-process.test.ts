/**
 * `pforte serve` with PFORTE_RADIUS_PORT set (the built server from dist, as `npm start`
 * runs it): the RADIUS face listens beside HTTP on the port the system picked, answers
 * radclient, and the process stops cleanly on SIGTERM.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { closeCore, openCore } from '../../src/core.js';
import { oathtoolCode, papLines, radclient, radiusClient } from '../helpers/radius.js';
import { startServerProcess } from '../helpers/server-process.js';
import { addUserWithToken, PASSWORD } from '../helpers/tokens.js';

describe('pforte serve with RADIUS', () => {
  it('answers radclient on the RADIUS port it reports, and stops on SIGTERM', async () => {
    const env = {
      PFORTE_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'pforte-radius-serve-')), 'data'),
      PFORTE_RADIUS_PORT: '0',
      PFORTE_RADIUS_HOST: '127.0.0.1',
      PFORTE_RADIUS_CLIENTS: JSON.stringify([radiusClient()]),
      PFORTE_LOG_LEVEL: 'info',
    };
    const server = await startServerProcess(env);
    try {
      // The core's logger writes beside the lifecycle one: its line may come just after.
      const radiusLine = () =>
        server
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{') && line.endsWith('}'))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((line) => line.msg === 'RADIUS server listening');
      await expect.poll(radiusLine).toMatchObject({ host: '127.0.0.1', clients: ['vpn'] });
      const listening = radiusLine();
      const port = listening!.port as number;

      // The user, written beside the running server as the CLI would.
      const core = await openCore(loadConfig({ env: { ...env, PFORTE_LOG_LEVEL: 'silent' } }));
      const alice = await addUserWithToken(core, 'alice').finally(() => closeCore(core));
      const code = await oathtoolCode(alice.base32, Date.now());
      expect((await radclient(port, papLines('alice', PASSWORD + code))).code).toBe(
        'Access-Accept',
      );
      expect((await radclient(port, papLines('alice', PASSWORD + code))).code).toBe(
        'Access-Reject',
      );
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).toContain('Pforte stopped');
  });
});
