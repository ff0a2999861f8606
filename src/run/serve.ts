/**
 * The process host: opens the core once, starts every configured face (the HTTP face
 * now; RADIUS joins here) and the background jobs (jobs.ts), and stops them cleanly, in
 * the reverse order, on SIGINT/SIGTERM (`pforte serve`, src/cli/commands/serve.ts). A
 * start that fails because of the machine (port, host, database, data folder) ends in
 * one line that says so (start-failures.ts), with nothing left open.
 */
import type { FastifyInstance } from 'fastify';
import { closeCore, openCore } from '../core.js';
import type { Core } from '../context.js';
import type { Config } from '../config/schema.js';
import { startJobs } from './jobs.js';
import { explainListenFailure, explainOpenFailure } from './start-failures.js';
import { buildApp } from '../http/app.js';

export interface RunningServer {
  app: FastifyInstance;
  core: Core;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: Readonly<Config>): Promise<RunningServer> {
  const core = await openCore(config).catch((error: unknown) => {
    throw explainOpenFailure(error, config);
  });
  const app = await buildApp(core, { logger: true });
  const { host, port } = config.server;
  const url = await app.listen({ port, host }).catch(async (error: unknown) => {
    await app.close();
    await closeCore(core);
    throw explainListenFailure(error, host, port);
  });
  const jobs = startJobs(core, app.log);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await jobs.stop();
      await closeCore(core);
    })());
  return { app, core, url, close };
}
