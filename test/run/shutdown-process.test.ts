/**
 * A real `pforte serve` stopped by SIGTERM while a request is in progress (a sign-in whose
 * body the test holds back): /readyz turns 503 at once, the request is answered when its
 * body comes, and the process exits; one that never finishes is cut after
 * PFORTE_SHUTDOWN_SECONDS, the log says how many, and the process exits all the same.
 */
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startSlowRequest } from '../helpers/slow-request.js';

/** What `pforte serve` adds to the drain for the rest of its stop (src/cli/commands/serve.ts). */
const STOP_GRACE_MS = 5000;

describe('pforte serve stopping on SIGTERM', () => {
  let key: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { PFORTE_DATA_DIR: mkdtempSync(join(tmpdir(), 'pforte-stop-')) };
    expect((await cli(env, ['migrate'])).code).toBe(0);
    key = (await cli(env, ['apikey', 'create', 'svc', '--scope', 'validate'])).stdout.trim();
  });

  async function signIn(server: ServerProcess) {
    return startSlowRequest(
      server.url,
      '/api/v1/validate',
      { username: 'nobody', otp: '123456' },
      { authorization: `Bearer ${key}` },
    );
  }

  async function exitOf(server: ServerProcess): Promise<{ code: number | null; ms: number }> {
    const started = Date.now();
    const [code] = (await once(server.child, 'exit')) as [number | null];
    return { code, ms: Date.now() - started };
  }

  it('turns /readyz 503 first, answers the sign-in in progress, then exits 0', async () => {
    const server = await startServerProcess(env);
    const slow = await signIn(server);
    const exited = exitOf(server);
    server.child.kill('SIGTERM');
    await expect.poll(async () => (await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await slow.finish()).toEqual({ status: 200, body: '{"result":"reject"}' });
    const { code, ms } = await exited;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000 + STOP_GRACE_MS);
    expect(server.output()).not.toContain('unanswered');
  });

  it('cuts a request still in progress after PFORTE_SHUTDOWN_SECONDS, logs how many, and exits', async () => {
    const server = await startServerProcess({ ...env, PFORTE_SHUTDOWN_SECONDS: '1' });
    const slow = await signIn(server);
    const exited = exitOf(server);
    server.child.kill('SIGTERM');
    const { code, ms } = await exited;
    await expect(slow.answer).rejects.toThrow();
    expect(code).toBe(0);
    expect(ms).toBeLessThan(1000 + STOP_GRACE_MS);
    const cut = server
      .output()
      .split('\n')
      .filter((line) => line.includes('unanswered'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(cut).toEqual([
      expect.objectContaining({
        cut: 1,
        msg: 'stopping: 1 request still unanswered after 1 s, their connections closed',
      }),
    ]);
  });
});
