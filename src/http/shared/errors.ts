/**
 * One error shape for every HTTP answer: `{ "error": { "code", "message" } }`.
 *
 * Whatever a client sends, it gets a 4xx with a stable code; only a fault of the
 * server is a 500, and then without detail (the detail goes to the log).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PforteError, type ErrorCode } from '../../errors.js';
import { databaseUnavailable, isDatabaseUnavailable } from '../../store/unavailable.js';
import { watchRouteMethods } from './allowed-methods.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'ERR_BAD_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ERR_BAD_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'ERR_BAD_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_VALIDATION: 'ERR_VALIDATION',
};

export function sendError(reply: FastifyReply, error: PforteError): FastifyReply {
  if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
  if (error.code === 'ERR_UNAUTHENTICATED') reply.header('WWW-Authenticate', 'Bearer');
  return reply.status(error.status).send({ error: { code: error.code, message: error.message } });
}

/** Any error a request ends with, as the PforteError its answer is made of. */
export function toPforteError(raw: unknown): PforteError {
  if (raw instanceof PforteError) return raw;
  if (isDatabaseUnavailable(raw)) return databaseUnavailable(raw);
  return translate(raw as FastifyError);
}

/** Faults of the server go to the log; an outage as one line per request, its cause being known. */
export function logFailure(request: FastifyRequest, raw: unknown, error: PforteError): void {
  if (error.code === 'ERR_DATABASE_UNAVAILABLE') {
    request.log.warn({ detail: error.detail }, 'database unavailable');
  } else if (error.status >= 500) request.log.error({ err: raw }, 'request failed');
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((raw: FastifyError | PforteError, request, reply) => {
    const error = toPforteError(raw);
    logFailure(request, raw, error);
    return sendError(reply, error);
  });
  const methodsOf = watchRouteMethods(app);
  app.setNotFoundHandler((request, reply) => {
    const allowed = methodsOf(request.url);
    // A route that exists for this method but found nothing (an unknown asset) stays a 404.
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('Allow', allowed.join(', '));
      return sendError(
        reply,
        new PforteError(
          'ERR_METHOD_NOT_ALLOWED',
          `${request.method} is not allowed here; this path answers ${allowed.join(', ')}`,
        ),
      );
    }
    return sendError(
      reply,
      new PforteError(
        'ERR_NOT_FOUND',
        `no such resource: ${request.method} ${request.routeOptions.url ?? 'path'}`,
      ),
    );
  });
}

function translate(error: FastifyError): PforteError {
  if (error.validation) {
    const first = error.validation[0];
    const where = `${error.validationContext ?? 'body'}${first?.instancePath.replaceAll('/', '.') ?? ''}`;
    const what =
      first?.keyword === 'additionalProperties'
        ? `has an unknown field "${String(first.params.additionalProperty)}"`
        : (first?.message ?? 'is not valid');
    return new PforteError('ERR_VALIDATION', `${where} ${what}`);
  }
  const code = FASTIFY_CODES[error.code];
  if (code) return new PforteError(code, publicMessage(code));
  if (error.statusCode === 429) {
    return new PforteError('ERR_RATE_LIMITED', 'too many requests; try again later', {
      retryAfter: 60,
    });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new PforteError('ERR_VALIDATION', 'the request is not valid');
  }
  return new PforteError('ERR_INTERNAL', 'internal error', { detail: error.message });
}

function publicMessage(code: ErrorCode): string {
  switch (code) {
    case 'ERR_BAD_JSON':
      return 'the body is not valid JSON';
    case 'ERR_BODY_TOO_LARGE':
      return 'the body is too large';
    case 'ERR_UNSUPPORTED_MEDIA_TYPE':
      return 'send the body as application/json';
    default:
      return 'the request is not valid';
  }
}
