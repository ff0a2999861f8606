/** `POST /api/v1/validate`: the sign-in decision for services. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../context.js';
import { PforteError } from '../../errors.js';
import { decideSignIn } from '../../signin/decide.js';
import { callerOf, requireScope } from './auth.js';
import { answers, ref, SERVER_FAULTS, ValidateBody, ValidateResult, WITH_BODY } from './schemas.js';

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
          operationId: 'validateSignIn',
          summary: 'Is this username + password + passcode right?',
          description:
            'Answers accept or reject, never which part was wrong. Without password, the passcode alone is checked.',
          tags: ['sign-in'],
          body: ValidateBody,
          // Any key may ask (no 403); a refused sign-in is a 200, not an error.
          response: answers(
            { 200: ref(ValidateResult, 'The decision') },
            [400, 401, 429, ...WITH_BODY, ...SERVER_FAULTS],
            {
              429: 'Too many requests from this address (`ERR_RATE_LIMITED`), or too many failed sign-ins for this username or address (`ERR_TOO_MANY_ATTEMPTS`); `Retry-After` says when to try again',
              503: 'The database (`ERR_DATABASE_UNAVAILABLE`) or the LDAP directory that holds the user (`ERR_DIRECTORY_UNAVAILABLE`) cannot answer now; try again later',
            },
          ),
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
