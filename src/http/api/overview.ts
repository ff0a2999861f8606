/** `GET /api/v1/overview`: the figures of the console's overview, for scripts and dashboards. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Core } from '../../context.js';
import {
  ENROLLMENT_STATES,
  readOverview,
  TOKEN_STATES,
  type Overview as CoreOverview,
} from '../../overview/overview.js';
import type { EnrollmentState, TokenState } from '../../store/tables.js';
import { requireScope } from './auth.js';
import { answers, KEYED, type Assert, type Same } from './schemas.js';

const Count = Type.Integer({ minimum: 0 });
const countsOf = <S extends string>(states: readonly S[]) =>
  Type.Unsafe<Record<S, number>>(
    Type.Object(Object.fromEntries(states.map((s) => [s, Count])), {
      additionalProperties: false,
    }),
  );

const Overview = Type.Object(
  {
    users: Count,
    tokens: countsOf<TokenState>(TOKEN_STATES),
    enrollments: countsOf<EnrollmentState>(ENROLLMENT_STATES),
    signIns24h: Type.Object({ accepted: Count, refused: Count }),
    lockedNow: Type.Integer({
      minimum: 0,
      description: 'Tokens locked and not yet unlocked by time: their users cannot sign in now',
    }),
    mailFailed: Count,
    at: Type.String({ format: 'date-time', description: 'When the figures were read' }),
  },
  { description: 'Users, tokens and enrollments by state, the last 24 hours of sign-ins' },
);

/** `tsc` fails when the schema and the core's type stop agreeing. */
export type OverviewMatchesTheCore = Assert<Same<Static<typeof Overview>, CoreOverview>>;

export function overviewRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/overview',
      {
        preHandler: requireScope(core, 'admin'),
        schema: {
          operationId: 'readOverview',
          tags: ['operations'],
          summary: 'The figures of the console’s overview',
          response: answers({ 200: Overview }, KEYED),
        },
      },
      async () => readOverview(core),
    );
  };
}
