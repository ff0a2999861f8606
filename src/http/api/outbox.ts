/** `/api/v1/outbox`: the mail Pforte sends; a message that failed can be sent again. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { Core } from '../../context.js';
import type { MailMessage as CoreMailMessage } from '../../mail/outbox.js';
import { MAIL_STATES } from '../../mail/outbox.js';
import { retryMail } from '../../mail/retry.js';
import { callerOf, requireScope } from './auth.js';
import { answers, KEYED, WITH_BODY, type Assert, type Same } from './schemas.js';

const Time = Type.String({ format: 'date-time' });

/** A message as lists show it: never its text, which may carry a live enrollment code. */
const MailMessage = Type.Object(
  {
    id: Type.String(),
    kind: Type.String({ description: 'What the message is, e.g. `enrollment`' }),
    to: Type.String({ description: 'The recipient’s address' }),
    subject: Type.String(),
    state: Type.Union(MAIL_STATES.map((s) => Type.Literal(s))),
    attempts: Type.Integer({ description: 'Delivery attempts made since it was (re)queued' }),
    lastError: Type.String({ description: 'Why the last attempt failed; empty if none did' }),
    createdAt: Time,
    sentAt: Type.Union([Time, Type.Null()]),
    nextAttemptAt: Type.Union([Time, Type.Null()], {
      description: 'When it is tried next, while it waits',
    }),
    enrollmentId: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false, description: 'The message, queued again' },
);
export type AnswerMatchesTheCore = Assert<Same<Static<typeof MailMessage>, CoreMailMessage>>;

const MailParams = Type.Object({ id: Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });

export function outboxRoutes(core: Core): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preHandler', requireScope(core, 'admin'));
    app.post(
      '/outbox/:id/retry',
      {
        schema: {
          tags: ['mail'],
          operationId: 'retryMail',
          summary: 'Queue a failed message again, with all its attempts',
          description:
            'The delivery loop sends it at its next round. An enrollment’s message is retried only while its link still works; otherwise resend the enrollment.',
          params: MailParams,
          response: answers({ 200: MailMessage }, [...KEYED, ...WITH_BODY], {
            404: 'No such message (`ERR_NOT_FOUND`)',
            409: 'The message has not failed, or its enrollment is no longer open (`ERR_CONFLICT`)',
          }),
        },
      },
      async (request) => retryMail(core, callerOf(request), request.params.id),
    );
  };
}
