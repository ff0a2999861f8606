/**
 * `POST /api/v1/users/{username}/temporary-access`: a temporary code for a user whose
 * phone is lost or broken (temporary/temporary-access.ts). The answer carries the code
 * once; nothing can show it again.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { Core } from '../../context.js';
import {
  issueTemporaryAccess,
  type IssuedTemporaryAccess,
} from '../../temporary/temporary-access.js';
import { callerOf, requireScope } from './auth.js';
import { answers, KEYED, UsernameParams, WITH_BODY, type Assert, type Same } from './schemas.js';

const TemporaryAccessBody = Type.Object(
  {
    hours: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 720, description: 'Default: 8 (policy)' }),
    ),
    uses: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'Default: 10 (policy)' }),
    ),
  },
  { additionalProperties: false },
);

const TemporaryAccess = Type.Object(
  {
    username: Type.String(),
    code: Type.String({
      pattern: '^[0-9]{8}$',
      description: 'Shown once: read it out to the user, who types it as the token code',
    }),
    expiresAt: Type.String({ format: 'date-time' }),
    uses: Type.Integer({ minimum: 1 }),
  },
  { description: 'The temporary code, shown this once' },
);

/** `tsc` fails when the schema and the core's type stop agreeing. */
export type TemporaryAccessMatchesTheCore = Assert<
  Same<Static<typeof TemporaryAccess>, IssuedTemporaryAccess>
>;

export function temporaryAccessRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/users/:username/temporary-access',
      {
        preHandler: requireScope(core, 'admin'),
        schema: {
          operationId: 'issueTemporaryAccess',
          tags: ['users'],
          summary: 'Issue a temporary code for a user whose phone is lost or broken',
          params: UsernameParams,
          body: TemporaryAccessBody,
          response: answers({ 201: TemporaryAccess }, [...KEYED, ...WITH_BODY], {
            403: 'The key may not do this, or policy has turned temporary access off (`ERR_FORBIDDEN`)',
            404: 'No such user (`ERR_NOT_FOUND`)',
            409: 'The user is disabled (`ERR_CONFLICT`)',
          }),
        },
      },
      async (request, reply) => {
        reply.status(201);
        return issueTemporaryAccess(core, callerOf(request), request.params.username, request.body);
      },
    );
  };
}
