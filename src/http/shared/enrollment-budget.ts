/**
 * One per-address budget for every request that takes an enrollment code: the enrollment
 * page behind the e-mailed link (`GET /enroll/<code>`), its standard-app forms and the
 * start of an activation (`POST /api/v1/activations`; its confirmation names an
 * activation, not a code). Each of them is a guess at a code, so they count together — one key
 * space, `enrollment.activationsPerMinute` requests per client address and minute —
 * rather than one separate allowance per route.
 *
 * @fastify/rate-limit gives every route configured with `config.rateLimit` a store of its
 * own, so the budget is one limiter made once per app (`createRateLimit`) and spent by
 * each of these routes' hooks; the faces answer an exhausted budget in their own
 * language (a page, or the API's error envelope).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Core } from '../../context.js';
import { PforteError } from '../../errors.js';

export interface EnrollmentBudget {
  /**
   * Counts `request` against its address's budget. Undefined while the budget holds,
   * else the seconds until it is renewed (for Retry-After).
   */
  spend(request: FastifyRequest, reply: FastifyReply): Promise<number | undefined>;
}

/** The budget; make it once per app, after @fastify/rate-limit is registered. */
export function enrollmentBudget(app: FastifyInstance, core: Core): EnrollmentBudget {
  const limit = app.createRateLimit({
    max: core.config.enrollment.activationsPerMinute,
    timeWindow: 60_000,
  });
  return {
    async spend(request, reply) {
      const state = await limit(request);
      if (state.isAllowed) return undefined;
      reply
        .header('X-RateLimit-Limit', state.max)
        .header('X-RateLimit-Remaining', state.remaining)
        .header('X-RateLimit-Reset', state.ttlInSeconds);
      return state.isExceeded ? Math.max(1, state.ttlInSeconds) : undefined;
    },
  };
}

/** The API's side: past the budget, `429 ERR_RATE_LIMITED` with Retry-After. */
export function spendOrRefuse(budget: EnrollmentBudget): onRequestHookHandler {
  return async (request, reply) => {
    const wait = await budget.spend(request, reply);
    if (wait !== undefined) {
      throw new PforteError('ERR_RATE_LIMITED', 'too many requests; try again later', {
        retryAfter: wait,
      });
    }
  };
}
