/**
 * What `npm start` does on a fresh machine: a data folder with the SQLite database and
 * a master key file (0600) appears, the server answers, and SIGTERM stops it cleanly.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { spawn } from 'node:child_process';
import { BIN, startServerProcess } from '../helpers/server-process.js';

describe('pforte serve', () => {
  it('creates its data folder on first start, serves, and stops on SIGTERM', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'pforte-start-')), 'data');
    const server = await startServerProcess({ PFORTE_DATA_DIR: dataDir });
    try {
      expect(statSync(join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
      expect(existsSync(join(dataDir, 'pforte.sqlite'))).toBe(true);
      const health = await fetch(`${server.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const key = (
        await cli({ PFORTE_DATA_DIR: dataDir }, ['apikey', 'create', 'svc'])
      ).stdout.trim();
      const response = await fetch(`${server.url}/api/v1/validate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'nobody', otp: '123456' }),
      });
      expect(await response.json()).toEqual({ result: 'reject' });
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).not.toContain(dataDir + '/master.key:');
  });

  it('creates its database once when several `pforte migrate` start on a fresh data folder at once', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'pforte-race-')), 'data');
    const runs = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<number | null>((resolve) => {
            const child = spawn(process.execPath, [BIN, 'migrate'], {
              env: { PATH: process.env.PATH ?? '', PFORTE_DATA_DIR: dataDir },
              stdio: 'ignore',
            });
            child.on('exit', resolve);
          }),
      ),
    );
    expect(runs).toEqual([0, 0, 0, 0]);
    expect((await cli({ PFORTE_DATA_DIR: dataDir }, ['user', 'list'])).code).toBe(0);
  });

  it('refuses to start with bad configuration and lists every problem', async () => {
    await expect(
      startServerProcess({
        PFORTE_DATA_DIR: tmpdir(),
        PFORTE_BACKOFF_MAX_SECONDS: 'x',
        PFORTE_PUBLIC_URL: 'nope',
      }),
    ).rejects.toThrow(
      /server exited \(2\): \{.*"msg":"invalid configuration \(2 problems\): backoff\.maxSeconds \(PFORTE_BACKOFF_MAX_SECONDS\) must be an integer.*; publicUrl \(PFORTE_PUBLIC_URL\) must be/,
    );
  });
});
