/**
 * `/api/v1/activations`: the authenticator app's side of self-enrollment (DESIGN.md
 * section 4). No API key: the activation code is the authority. Rate-limited per
 * client address.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Caller, Core } from '../../core.js';
import { confirmActivation, startActivation } from '../../enrollment/activation.js';
import {
  ActivationBody,
  ActivationOffer,
  ActivationParams,
  ConfirmBody,
  ConfirmResult,
  ErrorBody,
} from '../schemas.js';

export function activationRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    const rateLimit = { max: core.config.enrollment.activationsPerMinute, timeWindow: 60_000 };
    const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
    const caller = (ip: string): Caller => ({ face: 'api', actor: 'authenticator', address: ip });
    app.addHook('onSend', async (_request, reply) => {
      reply.header('Referrer-Policy', 'no-referrer');
    });

    app.post(
      '/activations',
      {
        config: { rateLimit },
        schema: {
          tags: ['enrollment'],
          summary: 'Start an activation with the enrollment code and the app’s public key',
          security: [],
          body: ActivationBody,
          response: { 201: ActivationOffer, ...errors },
        },
      },
      async (request, reply) => {
        reply.status(201);
        return startActivation(core, caller(request.ip), request.body);
      },
    );

    app.post(
      '/activations/:id/confirm',
      {
        config: { rateLimit },
        schema: {
          tags: ['enrollment'],
          summary: 'Prove the app derived the same seed; the token becomes active',
          security: [],
          params: ActivationParams,
          body: ConfirmBody,
          response: { 200: ConfirmResult, ...errors },
        },
      },
      async (request) =>
        confirmActivation(core, caller(request.ip), request.params.id, request.body.proof),
    );
  };
}
