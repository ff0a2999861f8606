/**
 * The process host: opens the core once, starts every configured face (HTTP, RADIUS
 * when `radius.port` is set, the metrics listener when `metrics.port` is) and the
 * background jobs (jobs.ts), and stops them cleanly, in the reverse order, on
 * SIGINT/SIGTERM (`pforte serve`, src/cli/commands/serve.ts). A start that fails because
 * of the machine (port, host, database, data folder) ends in one line that says so
 * (start-failures.ts), with nothing left open.
 */
import type { FastifyInstance } from 'fastify';
import { closeCore, openCore } from '../core.js';
import type { Core } from '../context.js';
import type { Config } from '../config/schema.js';
import { startJobs } from './jobs.js';
import { explainListenFailure, explainOpenFailure } from './start-failures.js';
import { buildApp } from '../http/app.js';
import { ensureSigningKeys } from '../oidc/signing-keys.js';
import { startMetricsListener, type MetricsListener } from '../http/metrics.js';
import { startRadiusServer, type RadiusServer } from '../radius/server.js';

export interface RunningServer {
  app: FastifyInstance;
  core: Core;
  url: string;
  /** The RADIUS face, when `radius.port` is set. */
  radius?: RadiusServer;
  /** The metrics listener, when `metrics.port` is set. */
  metrics?: MetricsListener;
  close(): Promise<void>;
}

export async function startServer(config: Readonly<Config>): Promise<RunningServer> {
  const core = await openCore(config).catch((error: unknown) => {
    throw explainOpenFailure(error, config);
  });
  const app = await (async () => {
    // The OpenID Provider's signing keys are made at the first start (not at the first
    // sign-in of a service), so every later process finds them.
    await ensureSigningKeys(core);
    return buildApp(core, { logger: true });
  })().catch(async (error: unknown) => {
    await closeCore(core);
    throw error;
  });
  const { host, port } = config.server;
  const url = await app.listen({ port, host }).catch(async (error: unknown) => {
    await app.close();
    await closeCore(core);
    throw explainListenFailure(error, host, port);
  });
  const radius = await startRadius(core).catch(async (error: unknown) => {
    await app.close();
    await closeCore(core);
    throw error;
  });
  const metrics = await startMetrics(core).catch(async (error: unknown) => {
    await radius?.close();
    await app.close();
    await closeCore(core);
    throw error;
  });
  const jobs = startJobs(core, app.log);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await metrics?.close();
      // Together: /readyz turns 503 as soon as the app starts closing, and both faces
      // finish their requests in progress in the same bounded time (drain.ts).
      await Promise.all([radius?.close(), app.close()]);
      await jobs.stop();
      await closeCore(core);
    })());
  return { app, core, url, ...(radius ? { radius } : {}), ...(metrics ? { metrics } : {}), close };
}

/** The metrics listener when configured; a port it cannot have ends the start. */
async function startMetrics(core: Core): Promise<MetricsListener | undefined> {
  const { host, port } = core.config.metrics;
  try {
    return await startMetricsListener(core);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw explainListenFailure(error, host, port);
    throw error;
  }
}

/** The RADIUS face when configured; a port or secret file it cannot have ends the start. */
async function startRadius(core: Core): Promise<RadiusServer | undefined> {
  const { host, port } = core.config.radius;
  if (port < 0) return undefined;
  try {
    return await startRadiusServer(core);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw explainListenFailure(error, host, port);
    throw error;
  }
}
