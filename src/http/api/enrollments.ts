/** `/api/v1/enrollments`: administrators start, list, resend and cancel self-enrollments. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Core } from '../../context.js';
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
import { callerOf, requireScope } from './auth.js';
import { PAGE_QUERY, pageOf, pageRequestOf } from './paging.js';
import {
  answers,
  BulkEnrollmentBody,
  BulkSummary,
  Enrollment,
  EnrollmentParams,
  KEYED,
  NewEnrollmentBody,
  ref,
  WITH_BODY,
} from './schemas.js';

const NO_ENROLLMENT = { 404: 'No such enrollment (`ERR_NOT_FOUND`)' };
const NOT_OPEN = {
  ...NO_ENROLLMENT,
  409: 'The enrollment is not open: done, expired or cancelled (`ERR_ENROLLMENT_STATE`)',
};

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
          operationId: 'startEnrollment',
          summary: 'Start self-enrollment for a user: mails the link, returns it too',
          body: NewEnrollmentBody,
          response: answers(
            { 201: ref(Enrollment, 'The enrollment, with its link') },
            [...KEYED, ...WITH_BODY],
            {
              404: 'No such user (`ERR_NOT_FOUND`)',
              409: 'An enrollment for the user was started at the same moment (`ERR_CONFLICT`)',
            },
          ),
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
          operationId: 'startEnrollments',
          summary: 'Start self-enrollment for many users (creating those given with an e-mail)',
          body: BulkEnrollmentBody,
          response: answers(
            {
              200: ref(BulkSummary, 'What was done, row by row where a row was skipped or failed'),
            },
            [...KEYED, ...WITH_BODY],
          ),
        },
      },
      async (request) => {
        const { rows, resend, replace, lifetime } = request.body;
        return enrollMany(core, callerOf(request), rows, {
          ...(resend ? { resend } : {}),
          ...(replace ? { replace } : {}),
          ...(lifetime ? { lifetimeMs: parseLifetime(lifetime) } : {}),
        });
      },
    );

    app.get(
      '/enrollments',
      {
        schema: {
          tags,
          operationId: 'listEnrollments',
          summary: 'List enrollments, newest first',
          querystring: Type.Object(
            {
              state: Type.Optional(
                Type.Union(['open', 'done', 'expired', 'cancelled'].map((s) => Type.Literal(s))),
              ),
              username: Type.Optional(Type.String({ maxLength: 64 })),
              batch: Type.Optional(
                Type.String({
                  maxLength: 64,
                  description: 'The id of the bulk run that started them',
                }),
              ),
              since: Type.Optional(
                Type.String({
                  format: 'date-time',
                  maxLength: 40,
                  description: 'Started at or after',
                }),
              ),
              until: Type.Optional(
                Type.String({ format: 'date-time', maxLength: 40, description: 'Started before' }),
              ),
              ...PAGE_QUERY,
            },
            { additionalProperties: false },
          ),
          response: answers({ 200: pageOf(Enrollment, 'The enrollments, newest first') }, KEYED),
        },
      },
      async (request) =>
        listEnrollments(core, {
          ...(request.query.state ? { state: request.query.state } : {}),
          ...(request.query.username ? { username: request.query.username.toLowerCase() } : {}),
          ...(request.query.batch ? { batch: request.query.batch.toUpperCase() } : {}),
          ...(request.query.since ? { createdFrom: Date.parse(request.query.since) } : {}),
          ...(request.query.until ? { createdBefore: Date.parse(request.query.until) } : {}),
          ...pageRequestOf(request.query),
        }),
    );

    app.get(
      '/enrollments/:id',
      {
        schema: {
          tags,
          operationId: 'getEnrollment',
          summary: 'Show an enrollment',
          params: EnrollmentParams,
          response: answers({ 200: ref(Enrollment, 'The enrollment') }, KEYED, NO_ENROLLMENT),
        },
      },
      async (request) => getEnrollment(core, request.params.id),
    );

    app.post(
      '/enrollments/:id/resend',
      {
        schema: {
          tags,
          operationId: 'resendEnrollment',
          summary: 'Mail a new link for an open enrollment (the old link stops working)',
          params: EnrollmentParams,
          response: answers(
            { 200: ref(Enrollment, 'The enrollment, with its new link') },
            [...KEYED, ...WITH_BODY],
            NOT_OPEN,
          ),
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
          operationId: 'cancelEnrollment',
          summary: 'Cancel an open enrollment',
          params: EnrollmentParams,
          response: answers(
            { 200: ref(Enrollment, 'The enrollment, cancelled') },
            [...KEYED, ...WITH_BODY],
            NOT_OPEN,
          ),
        },
      },
      async (request) => cancelEnrollment(core, callerOf(request), request.params.id),
    );
  };
}
