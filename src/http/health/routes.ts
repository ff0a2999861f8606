/**
 * The probes of load balancers and supervisors, without an API key, rate limit or audit
 * event, and logged only when they fail:
 * - `GET /healthz`: the process runs and answers (liveness). It touches nothing else, so a
 *   database outage never gets a live process restarted.
 * - `GET /readyz`: this server should get requests (readiness): the database answers a
 *   trivial query within READY_TIMEOUT_MS, it has every migration of this version, and the
 *   server is not stopping. 503 otherwise, with the check that failed.
 * Both still answer while the server stops (refusals.ts), /readyz with 503.
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { Core } from '../../context.js';
import { hasPendingMigrations } from '../../store/migrate.js';
import { Health, Readiness, ref } from '../api/schemas.js';

/** Short: a load balancer asks every few seconds and wants its answer before its own timeout. */
const READY_TIMEOUT_MS = 2000;

type Checks = Static<typeof Readiness>['checks'];

export function healthRoutes(core: Core, isClosing: () => boolean) {
  return async (app: FastifyInstance) => {
    app.get(
      '/healthz',
      {
        logLevel: 'warn',
        config: { answersWhileClosing: true },
        schema: {
          operationId: 'checkHealth',
          tags: ['operations'],
          summary: 'Is this process alive? (liveness; no database call)',
          security: [],
          response: { 200: ref(Health, 'The process runs') },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        logLevel: 'warn',
        config: { answersWhileClosing: true },
        schema: {
          operationId: 'checkReadiness',
          tags: ['operations'],
          summary: 'Should this server get requests? (readiness, for load balancers)',
          security: [],
          response: {
            200: ref(Readiness, 'Ready: every check is ok'),
            503: ref(Readiness, 'Not ready: the checks that are not ok say why'),
          },
        },
      },
      async (request, reply) => {
        const checks = await checkReadiness(core, isClosing());
        const ready = Object.values(checks).every((outcome) => outcome === 'ok');
        if (!ready && checks.server === 'ok') request.log.warn({ checks }, 'not ready');
        return reply.code(ready ? 200 : 503).send({
          status: ready ? ('ready' as const) : ('not ready' as const),
          checks,
        });
      },
    );
  };
}

/** The readiness checks; a stopping server does not ask the database any more. */
async function checkReadiness(core: Core, closing: boolean): Promise<Checks> {
  if (closing) return { database: 'not checked', migrations: 'not checked', server: 'stopping' };
  const pending = await withinTimeout(hasPendingMigrations(core.store), READY_TIMEOUT_MS);
  if (pending === undefined) {
    return { database: 'no answer', migrations: 'not checked', server: 'ok' };
  }
  return { database: 'ok', migrations: pending ? 'pending' : 'ok', server: 'ok' };
}

/** The work's result, or undefined when it failed or took longer than `ms`. */
async function withinTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  try {
    return await Promise.race([work.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
