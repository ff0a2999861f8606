/**
 * `/api/v1/activations`: the authenticator app's side of self-enrollment (DESIGN.md
 * section 4). No API key: the activation code is the authority. Rate-limited per
 * client address, in one budget with the enrollment page (enrollment-budget.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Caller, Core } from '../../core.js';
import { confirmActivation, startActivation } from '../../enrollment/activation.js';
import { spendOrRefuse, type EnrollmentBudget } from '../enrollment-budget.js';
import {
  ActivationBody,
  ActivationOffer,
  ActivationParams,
  ConfirmBody,
  ConfirmResult,
  ErrorBody,
} from '../schemas.js';

export function activationRoutes(core: Core, budget: EnrollmentBudget): FastifyPluginAsyncTypebox {
  return async (app) => {
    // The page behind the e-mailed link spends from the same budget.
    const refuseOverBudget = spendOrRefuse(budget);
    const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };
    const caller = (ip: string): Caller => ({ face: 'api', actor: 'authenticator', address: ip });
    app.addHook('onSend', async (_request, reply) => {
      reply.header('Referrer-Policy', 'no-referrer');
    });

    app.post(
      '/activations',
      {
        onRequest: refuseOverBudget,
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
        onRequest: refuseOverBudget,
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
