/**
 * Running the HTTP face: open the core, build the app, listen, seal the audit log
 * every second (deliver due mail, prune old back-off counters), and shut down cleanly on
 * SIGINT/SIGTERM.
 */
import type { FastifyInstance } from 'fastify';
import { sealAuditEvents } from '../audit/chain.js';
import { deliverDueMail } from '../mail/outbox.js';
import { pruneBackoff } from '../signin/backoff.js';
import { closeCore, openCore, type Core } from '../core.js';
import type { Config } from '../config/schema.js';
import { buildApp } from './app.js';

export interface RunningServer {
  app: FastifyInstance;
  core: Core;
  url: string;
  close(): Promise<void>;
}

const SEAL_INTERVAL_MS = 1000;
/** Mail that is due (new, or waiting for a retry) is delivered every 5 seconds. */
const MAIL_EVERY_TICKS = 5;
/** Old back-off counters are dropped once a minute. */
const PRUNE_EVERY_TICKS = 60;

export async function startServer(config: Readonly<Config>): Promise<RunningServer> {
  const core = await openCore(config);
  const app = await buildApp(core, { logger: true });
  const url = await app.listen({ port: config.server.port, host: config.server.host });
  let sealing = Promise.resolve();
  let ticks = 0;
  const sealer = setInterval(() => {
    sealing = sealing
      .then(() => sealAuditEvents(core))
      .then(() => (++ticks % PRUNE_EVERY_TICKS === 0 ? pruneBackoff(core) : undefined))
      .then(() => (ticks % MAIL_EVERY_TICKS === 0 ? deliverDueMail(core) : undefined))
      .then(
        () => undefined,
        (error: unknown) => app.log.error({ err: error }, 'sealing the audit log failed'),
      );
  }, SEAL_INTERVAL_MS);
  sealer.unref();
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(sealer);
      await app.close();
      await sealing;
      await sealAuditEvents(core).catch(() => undefined);
      await closeCore(core);
    })());
  return { app, core, url, close };
}
