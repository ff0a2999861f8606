/**
 * Scraped by a real Prometheus (Debian's `prometheus` package): `pforte serve`'s metrics
 * listener as its target, a sign-in decision made, and Prometheus's own query API shows
 * `pforte_signin_decisions_total` once it has scraped it. Polled, never slept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/apikeys/keys.js';
import { loadConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/run/serve.js';
import { ADMIN } from '../helpers/core.js';
import { freePort } from '../helpers/ports.js';

/** How long Prometheus may take to start and scrape at a 1 s interval. */
const PATIENCE_MS = 60_000;

describe("Debian's Prometheus scraping pforte serve", () => {
  let folder: string;
  let server: RunningServer;
  let prometheus: ChildProcess;
  let output = '';
  let api: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'pforte-prometheus-'));
    server = await startServer(
      loadConfig({
        env: {
          PFORTE_DATA_DIR: join(folder, 'data'),
          PFORTE_HOST: '127.0.0.1',
          PFORTE_PORT: '0',
          PFORTE_METRICS_HOST: '127.0.0.1',
          PFORTE_METRICS_PORT: '0',
          PFORTE_LOG_LEVEL: 'silent',
        },
      }),
    );
    const target = new URL(server.metrics!.url).host;
    writeFileSync(
      join(folder, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: pforte',
        '    static_configs:',
        `      - targets: ['${target}']`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(folder, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(folder, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (chunk) => (output += String(chunk)));
    prometheus.stderr!.on('data', (chunk) => (output += String(chunk)));
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      prometheus.kill('SIGTERM');
      await once(prometheus, 'exit');
    }
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Asks Prometheus's HTTP API until `done` holds for its answer, or gives up. */
  async function poll<T>(path: string, done: (data: T) => boolean): Promise<T> {
    const deadline = Date.now() + PATIENCE_MS;
    for (;;) {
      if (prometheus.exitCode !== null) throw new Error(`prometheus exited: ${output}`);
      const answer = await fetch(`${api}${path}`).then(
        async (response) => (response.ok ? ((await response.json()) as { data: T }) : undefined),
        () => undefined,
      );
      if (answer && done(answer.data)) return answer.data;
      if (Date.now() > deadline) throw new Error(`no answer for ${path}: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('finds the target up and the sign-in decisions counted', async () => {
    const key = (await createApiKey(server.core, ADMIN, { name: 'svc', scope: 'validate' })).key;
    const validate = await fetch(`${server.url}/api/v1/validate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'x', otp: '123456' }),
    });
    expect(await validate.json()).toEqual({ result: 'reject' });

    type Targets = { activeTargets: { health: string; scrapeUrl: string }[] };
    const targets = await poll<Targets>('/api/v1/targets', (data) =>
      data.activeTargets.some((target) => target.health === 'up'),
    );
    expect(targets.activeTargets[0]!.scrapeUrl).toBe(`${server.metrics!.url}/metrics`);

    type Vector = { result: { metric: Record<string, string>; value: [number, string] }[] };
    const query = encodeURIComponent('pforte_signin_decisions_total');
    const found = await poll<Vector>(
      `/api/v1/query?query=${query}`,
      (data) => data.result.length > 0,
    );
    expect(found.result).toEqual([
      {
        metric: expect.objectContaining({
          __name__: 'pforte_signin_decisions_total',
          job: 'pforte',
          face: 'api',
          result: 'reject',
          reason: 'unknown_user',
        }),
        value: [expect.any(Number), '1'],
      },
    ]);
  });
});
