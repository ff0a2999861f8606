/**
 * `/api/v1/authenticator/status-challenge` and `/api/v1/authenticator/status`: the app on
 * an old phone asks whether its token is still in use (src/tokens/holder-status.ts). No
 * API key: the proof over a fresh challenge is the authority. Rate-limited per client
 * address here, per serial in the core. The answers carry the core clock's `Date`, from
 * which the app sees how far its own clock is off (issue 13, item 4).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { Caller, Core } from '../../context.js';
import {
  issueStatusChallenge,
  readHolderStatus,
  type HolderStatus as CoreHolderStatus,
  type StatusChallenge as CoreStatusChallenge,
} from '../../tokens/holder-status.js';
import {
  answers,
  SERVER_FAULTS,
  WITH_BODY,
  type Assert,
  type ErrorStatus,
  type Same,
} from './schemas.js';

const StatusChallenge = Type.Object(
  {
    challenge: Type.String({ description: '32 random bytes, base64url; answer it once' }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false, description: 'A challenge for one status check' },
);

const StatusBody = Type.Object(
  {
    serial: Type.String({ pattern: '^[A-Za-z0-9]{4,32}$', description: 'The token’s serial' }),
    challenge: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }),
    proof: Type.String({
      pattern: '^[A-Za-z0-9_-]{43}$',
      description:
        'base64url(HMAC-SHA-256(HMAC-SHA-256(seed, "pforte/token-status-key/v1"), "pforte/token-status/v1|" + serial + "|" + challenge))',
    }),
  },
  { additionalProperties: false },
);

const HolderStatus = Type.Object(
  {
    state: Type.Unsafe<CoreHolderStatus['state']>(
      Type.String({ enum: ['pending', 'active', 'disabled', 'locked', 'revoked'] }),
    ),
    replaced: Type.Boolean({ description: 'Revoked because a new enrollment replaced it' }),
    changedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When it was revoked; null while it is in use',
    }),
  },
  { additionalProperties: false, description: "The token's state" },
);

export type StatusSchemasMatchTheCore = [
  Assert<Same<Static<typeof HolderStatus>, CoreHolderStatus>>,
  Assert<Same<Static<typeof StatusChallenge>, CoreStatusChallenge>>,
];

export function authenticatorStatusRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    const caller = (ip: string): Caller => ({ face: 'api', actor: 'authenticator', address: ip });
    const rateLimit = { max: core.config.enrollment.activationsPerMinute, timeWindow: 60_000 };
    app.addHook('onSend', async (_request, reply) => {
      reply.header('Referrer-Policy', 'no-referrer');
      reply.header('Date', new Date(core.clock.now()).toUTCString());
    });

    app.post(
      '/authenticator/status-challenge',
      {
        config: { rateLimit },
        schema: {
          operationId: 'issueStatusChallenge',
          tags: ['authenticator'],
          summary: 'A fresh, single-use challenge for the token status check',
          security: [],
          response: answers({ 200: StatusChallenge }, [400, 429, ...WITH_BODY, ...SERVER_FAULTS]),
        },
      },
      async () => issueStatusChallenge(core),
    );

    const errors: ErrorStatus[] = [400, 403, 429, ...WITH_BODY, ...SERVER_FAULTS];
    app.post(
      '/authenticator/status',
      {
        config: { rateLimit },
        schema: {
          operationId: 'readTokenStatus',
          tags: ['authenticator'],
          summary: 'The state of a token, for the holder of its seed',
          description:
            'The app proves it holds the seed with an HMAC over a challenge from `issueStatusChallenge`, and learns whether the token was replaced or revoked.',
          security: [],
          body: StatusBody,
          response: answers({ 200: HolderStatus }, errors, {
            403: 'The challenge is unknown, used or expired, or the proof does not match; the same for a serial that does not exist (`ERR_TOKEN_STATUS_REFUSED`)',
            429: 'Too many requests from this address (`ERR_RATE_LIMITED`), or too many status checks for this serial this hour (`ERR_TOO_MANY_ATTEMPTS`); `Retry-After` says when to try again',
          }),
        },
      },
      async (request) => readHolderStatus(core, caller(request.ip), request.body),
    );
  };
}
