/**
 * A request that reaches a server while it stops gets our error envelope
 * (503 ERR_SHUTTING_DOWN, Connection: close), not Fastify's own body. (The health
 * probes answer for themselves: test/run/health.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { makeCore } from '../helpers/core.js';

describe('a server that is stopping', () => {
  it('answers 503 ERR_SHUTTING_DOWN in the error envelope, with Connection: close', async () => {
    const t = await makeCore('sqlite');
    const app = await buildApp(t.core);
    // Holds the stop open (as a slow in-flight request would) while we send a request.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let closingStarted!: () => void;
    const started = new Promise<void>((resolve) => (closingStarted = resolve));
    app.addHook('preClose', async () => {
      closingStarted();
      await held;
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const closing = app.close();
      await started;
      for (const path of ['/api/v1/users', '/no/such/page']) {
        const response = await fetch(`${url}${path}`);
        expect({
          status: response.status,
          connection: response.headers.get('connection'),
          retryAfter: response.headers.get('retry-after'),
          body: await response.json(),
        }).toEqual({
          status: 503,
          connection: 'close',
          retryAfter: '1',
          body: {
            error: {
              code: 'ERR_SHUTTING_DOWN',
              message: 'the server is stopping; send the request again',
            },
          },
        });
      }
      release();
      await closing;
    } finally {
      release();
      await t.close();
    }
  });
});
