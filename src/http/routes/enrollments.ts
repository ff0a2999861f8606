/** `/api/v1/enrollments`: administrators start, list, resend and cancel self-enrollments. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../core.js';
import { enrollMany } from '../../enrollment/bulk.js';
import {
  cancelEnrollment,
  getEnrollment,
  listEnrollments,
  resendEnrollment,
  startEnrollment,
} from '../../enrollment/enrollments.js';
import { parseLifetime } from '../../enrollment/lifetime.js';
import { deliverNow } from '../../mail/outbox.js';
import { callerOf, requireScope } from '../auth.js';
import {
  BulkEnrollmentBody,
  BulkSummary,
  Enrollment,
  EnrollmentParams,
  ErrorBody,
  NewEnrollmentBody,
  withErrors,
} from '../schemas.js';

export function enrollmentRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', requireScope(core, 'admin'));
    const tags = ['enrollment'];
    /** The mail goes out before the answer, which then says whether it did. */
    const withMailSent = async <T extends { mail: { id: string } | null }>(enrollment: T) =>
      enrollment.mail
        ? { ...enrollment, mail: await deliverNow(core, enrollment.mail.id) }
        : enrollment;

    app.post(
      '/enrollments',
      {
        schema: {
          tags,
          summary: 'Start self-enrollment for a user: mails the link, returns it too',
          body: NewEnrollmentBody,
          response: withErrors({ 201: Enrollment }),
        },
      },
      async (request, reply) => {
        const { username, lifetime, sendMail } = request.body;
        const started = await startEnrollment(core, callerOf(request), {
          username,
          ...(lifetime ? { lifetimeMs: parseLifetime(lifetime) } : {}),
          ...(sendMail === false ? { sendMail: false } : {}),
        });
        reply.status(201);
        return withMailSent(started);
      },
    );

    app.post(
      '/enrollments/bulk',
      {
        bodyLimit: 4 * 1024 * 1024,
        schema: {
          tags,
          summary: 'Start self-enrollment for many users (creating those given with an e-mail)',
          body: BulkEnrollmentBody,
          response: withErrors({ 200: BulkSummary }),
        },
      },
      async (request) => {
        const { rows, resend, lifetime } = request.body;
        return enrollMany(core, callerOf(request), rows, {
          ...(resend ? { resend } : {}),
          ...(lifetime ? { lifetimeMs: parseLifetime(lifetime) } : {}),
        });
      },
    );

    app.get(
      '/enrollments',
      {
        schema: {
          tags,
          summary: 'List enrollments, newest first',
          querystring: Type.Object(
            {
              state: Type.Optional(
                Type.Union(['open', 'done', 'expired', 'cancelled'].map((s) => Type.Literal(s))),
              ),
              username: Type.Optional(Type.String({ maxLength: 64 })),
            },
            { additionalProperties: false },
          ),
          response: withErrors({ 200: Type.Array(Enrollment) }),
        },
      },
      async (request) =>
        listEnrollments(core, {
          ...(request.query.state ? { state: request.query.state } : {}),
          ...(request.query.username ? { username: request.query.username.toLowerCase() } : {}),
        }),
    );

    app.get(
      '/enrollments/:id',
      {
        schema: {
          tags,
          summary: 'Show an enrollment',
          params: EnrollmentParams,
          response: withErrors({ 200: Enrollment }),
        },
      },
      async (request) => getEnrollment(core, request.params.id),
    );

    app.post(
      '/enrollments/:id/resend',
      {
        schema: {
          tags,
          summary: 'Mail a new link for an open enrollment (the old link stops working)',
          params: EnrollmentParams,
          response: withErrors({ 200: Enrollment, 409: ErrorBody }),
        },
      },
      async (request) => {
        return withMailSent(await resendEnrollment(core, callerOf(request), request.params.id));
      },
    );

    app.post(
      '/enrollments/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel an open enrollment',
          params: EnrollmentParams,
          response: withErrors({ 200: Enrollment, 409: ErrorBody }),
        },
      },
      async (request) => cancelEnrollment(core, callerOf(request), request.params.id),
    );
  };
}
