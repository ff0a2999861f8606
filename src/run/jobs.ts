/**
 * The background jobs, started once per process by the process host (serve.ts): every
 * second the audit log is sealed; once a minute old back-off counters and known places
 * are dropped, expired activations end, idle sessions go, unanswered status-check
 * challenges and the OpenID Provider's expired codes, tokens and sessions are dropped; every five seconds due mail is delivered; every two seconds a
 * bulk enrollment run that is due is worked (one at a time per process, to its end).
 * Every job is safe to run in several processes at once (each write is conditional), so
 * processes behind a load balancer need no leader.
 */
import type { FastifyBaseLogger } from 'fastify';
import { sealAuditEvents } from '../audit/chain.js';
import type { Core } from '../context.js';
import { tickBulkRuns } from '../enrollment/bulk-run-worker.js';
import { sweepExpiredActivations } from '../enrollment/pending.js';
import { deliverDueMail } from '../mail/outbox.js';
import { sweepOidcPayloads } from '../oidc/sweep.js';
import { sweepSessions } from '../sessions/sessions.js';
import { pruneBackoff } from '../signin/backoff.js';
import { pruneStatusChallenges } from '../tokens/holder-status.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';

const SEAL_INTERVAL_MS = 1000;
/** Mail that is due (new, or waiting for a retry) is delivered every 5 seconds. */
const MAIL_INTERVAL_MS = 5000;
/** Queued bulk runs, and runs whose worker died, are looked for every 2 seconds. */
const BULK_INTERVAL_MS = 2000;
/** Once a minute: old back-off counters are dropped, expired activations end. */
const PRUNE_EVERY_TICKS = 60;

export interface RunningJobs {
  /** Stops the timers, waits for work under way, and seals what is left. */
  stop(): Promise<void>;
}

export function startJobs(core: Core, log: FastifyBaseLogger): RunningJobs {
  let ticks = 0;
  const sealer = every(log, SEAL_INTERVAL_MS, async () => {
    await sealAuditEvents(core);
    if (++ticks % PRUNE_EVERY_TICKS === 0) {
      await pruneBackoff(core);
      await sweepExpiredActivations(core);
      await sweepSessions(core);
      await pruneStatusChallenges(core);
      await sweepOidcPayloads(core);
    }
  });
  // Mail has its own loop: a slow SMTP server must not hold up the audit seal.
  const mailer = every(log, MAIL_INTERVAL_MS, () => deliverDueMail(core));
  // A run can take minutes: stopping asks it to let go between rows (another process, or
  // this one after its restart, resumes it).
  let stopping = false;
  const worker = core.random.bytes(6).toString('hex');
  const bulk = every(log, BULK_INTERVAL_MS, () =>
    tickBulkRuns(core, { worker, stopping: () => stopping }),
  );
  return {
    async stop() {
      stopping = true;
      await Promise.all([sealer.stop(), mailer.stop(), bulk.stop()]);
      await sealAuditEvents(core).catch(() => undefined);
    },
  };
}

function every(log: FastifyBaseLogger, ms: number, work: () => Promise<unknown>) {
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
            log.warn(
              { detail: (error as Error).message },
              'background work waits for the database',
            );
          } else log.error({ err: error }, 'background work failed');
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
