/**
 * Running the HTTP face: open the core, build the app, listen, seal the audit log
 * every second (deliver due mail, prune old back-off counters), and shut down cleanly on
 * SIGINT/SIGTERM. A start that fails because of the machine (port, host, database, data
 * folder) ends in one line that says so, with nothing left open.
 */
import type { FastifyInstance } from 'fastify';
import { sealAuditEvents } from '../audit/chain.js';
import { sweepExpiredActivations } from '../enrollment/pending.js';
import { deliverDueMail } from '../mail/outbox.js';
import { sweepSessions } from '../sessions/sessions.js';
import { pruneBackoff } from '../signin/backoff.js';
import { closeCore, openCore, type Core } from '../core.js';
import type { Config } from '../config/schema.js';
import { explainListenFailure, explainOpenFailure } from '../start-failures.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import { buildApp } from './app.js';

export interface RunningServer {
  app: FastifyInstance;
  core: Core;
  url: string;
  close(): Promise<void>;
}

const SEAL_INTERVAL_MS = 1000;
/** Mail that is due (new, or waiting for a retry) is delivered every 5 seconds. */
const MAIL_INTERVAL_MS = 5000;
/** Once a minute: old back-off counters are dropped, expired activations end. */
const PRUNE_EVERY_TICKS = 60;

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
  let ticks = 0;
  const sealer = every(SEAL_INTERVAL_MS, async () => {
    await sealAuditEvents(core);
    if (++ticks % PRUNE_EVERY_TICKS === 0) {
      await pruneBackoff(core);
      await sweepExpiredActivations(core);
      await sweepSessions(core);
    }
  });
  // Mail has its own loop: a slow SMTP server must not hold up the audit seal.
  const mailer = every(MAIL_INTERVAL_MS, () => deliverDueMail(core));
  function every(ms: number, work: () => Promise<unknown>) {
    let running = Promise.resolve();
    let busy = false;
    const timer = setInterval(() => {
      // While the database does not answer, a tick can wait for the connection timeout;
      // the next ones are skipped rather than queued, and the work goes on when it is back.
      if (busy) return;
      busy = true;
      running = work()
        .then(
          () => undefined,
          (error: unknown) => {
            if (isDatabaseUnavailable(error)) {
              app.log.warn(
                { detail: (error as Error).message },
                'background work waits for the database',
              );
            } else app.log.error({ err: error }, 'background work failed');
          },
        )
        .finally(() => (busy = false));
    }, ms);
    timer.unref();
    return {
      stop: () => {
        clearInterval(timer);
        return running;
      },
    };
  }
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await Promise.all([sealer.stop(), mailer.stop()]);
      await sealAuditEvents(core).catch(() => undefined);
      await closeCore(core);
    })());
  return { app, core, url, close };
}
