/** `POST /api/v1/validate`: the sign-in decision for services. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../core.js';
import { PforteError } from '../../errors.js';
import { decideSignIn } from '../../signin/decide.js';
import { callerOf, requireScope } from '../auth.js';
import { ErrorBody, ValidateBody, ValidateResult, withErrors } from '../schemas.js';

export function validateRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/validate',
      {
        config: {
          rateLimit: {
            max: core.config.rateLimit.perMinute,
            timeWindow: 60_000,
            // After the body is parsed, so that the end user's address is the key.
            hook: 'preHandler',
            keyGenerator: (request) =>
              (
                request.body as { clientAddress?: unknown } | undefined
              )?.clientAddress?.toString() ?? request.ip,
          },
        },
        preHandler: requireScope(core, 'validate'),
        schema: {
          summary: 'Is this username + password + passcode right?',
          description:
            'Answers accept or reject, never which part was wrong. Without password, the passcode alone is checked.',
          tags: ['sign-in'],
          body: ValidateBody,
          response: withErrors({ 200: ValidateResult, 429: ErrorBody, 503: ErrorBody }),
        },
      },
      async (request) => {
        const decision = await decideSignIn(core, callerOf(request), request.body);
        if (decision.throttled) {
          throw new PforteError(
            'ERR_TOO_MANY_ATTEMPTS',
            'too many failed attempts; wait and try again',
            {
              retryAfter: decision.retryAfter ?? 1,
            },
          );
        }
        if (decision.unavailable) {
          // Not "wrong": the directory that holds the password could not answer.
          throw new PforteError(
            'ERR_DIRECTORY_UNAVAILABLE',
            'the user directory is not reachable; try again later',
          );
        }
        return { result: decision.result };
      },
    );
  };
}
