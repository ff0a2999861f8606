/**
 * `/api/v1/activations`: the authenticator app's side of self-enrollment (DESIGN.md
 * section 4). No API key: the activation code is the authority. Rate-limited per
 * client address, in one budget with the enrollment page (enrollment-budget.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Caller, Core } from '../../context.js';
import { confirmActivation, startActivation } from '../../enrollment/activation.js';
import { spendOrRefuse, type EnrollmentBudget } from '../shared/enrollment-budget.js';
import {
  ActivationBody,
  answers,
  ActivationOffer,
  ActivationParams,
  ConfirmBody,
  ConfirmResult,
  ref,
  SERVER_FAULTS,
  WITH_BODY,
  type ErrorStatus,
} from './schemas.js';

export function activationRoutes(core: Core, budget: EnrollmentBudget): FastifyPluginAsyncTypebox {
  return async (app) => {
    // The page behind the e-mailed link spends from the same budget.
    const refuseOverBudget = spendOrRefuse(budget);
    const errors: ErrorStatus[] = [400, 404, 409, 429, ...WITH_BODY, ...SERVER_FAULTS];
    const caller = (ip: string): Caller => ({ face: 'api', actor: 'authenticator', address: ip });
    app.addHook('onSend', async (_request, reply) => {
      reply.header('Referrer-Policy', 'no-referrer');
    });

    app.post(
      '/activations',
      {
        onRequest: refuseOverBudget,
        schema: {
          operationId: 'startActivation',
          tags: ['activation'],
          summary: 'Start an activation with the enrollment code and the app’s public key',
          security: [],
          body: ActivationBody,
          response: answers(
            { 201: ref(ActivationOffer, "The server's key, the salt and the token to derive") },
            errors,
            {
              404: 'The enrollment code cannot be used, the same answer whatever the reason (`ERR_ENROLLMENT_CODE_INVALID`)',
              409: 'Another activation completed this enrollment first (`ERR_ENROLLMENT_COMPLETED`)',
            },
          ),
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
        // The confirmation carries an activation id, not a code: it guesses nothing, so
        // it keeps an allowance of its own and a phone's Activate never spends two.
        config: {
          rateLimit: { max: core.config.enrollment.activationsPerMinute, timeWindow: 60_000 },
        },
        schema: {
          operationId: 'confirmActivation',
          tags: ['activation'],
          summary: 'Prove the app derived the same seed; the token becomes active',
          security: [],
          params: ActivationParams,
          body: ConfirmBody,
          response: answers({ 200: ref(ConfirmResult, 'The token is active') }, errors, {
            400: 'The request is not valid (`ERR_VALIDATION`, `ERR_BAD_JSON`), or the proof does not match (`ERR_ACTIVATION_PROOF`)',
            404: 'The activation is unknown, expired, finished or given up (`ERR_ACTIVATION_INVALID`)',
            409: 'Another activation completed this enrollment first (`ERR_ENROLLMENT_COMPLETED`)',
          }),
        },
      },
      async (request) =>
        confirmActivation(core, caller(request.ip), request.params.id, request.body.proof),
    );
  };
}
