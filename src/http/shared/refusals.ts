/**
 * Requests the server refuses before any route runs: those the router cannot place (no
 * such path or method, a malformed URL) and those that arrive while the server stops.
 * Each gets our error envelope and one log line, so an operator sees what was turned away.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PforteError, type ErrorCode } from '../../errors.js';
import { sendError } from './errors.js';
import { redactPath } from './redact-path.js';

/** One info line per refused request: method, redacted path, status and code. */
export function logRefusal(request: FastifyRequest, status: number, code: string): void {
  request.log.info(
    { method: request.method, path: redactPath(request.url), status, code },
    'request refused',
  );
}

/** Logs every answer of the not-found handler (404, and 405 for a path with other methods). */
export function logRouterRefusals(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.is404 && [404, 405].includes(reply.statusCode))
      logRefusal(request, reply.statusCode, codeOf(payload, reply));
    return payload;
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answered while the server stops as well: the health probes, which must see the stop. */
    answersWhileClosing?: boolean;
  }
}

/**
 * While the server stops, requests that still reach it (on a kept-alive connection, or
 * while requests in progress finish, drain.ts) get 503 ERR_SHUTTING_DOWN and
 * `Connection: close`, in our envelope rather than Fastify's own body; the health probes
 * answer for themselves. Registered before any other preClose hook, so the flag is up as
 * soon as closing starts. Returns whether closing has started.
 */
export function refuseWhileClosing(app: FastifyInstance): () => boolean {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!closing) return;
    if (request.routeOptions.config.answersWhileClosing) {
      reply.header('Connection', 'close');
      return;
    }
    const error = new PforteError(
      'ERR_SHUTTING_DOWN',
      'the server is stopping; send the request again',
      {
        retryAfter: 1,
      },
    );
    logRefusal(request, error.status, error.code);
    return sendError(reply.header('Connection', 'close'), error);
  });
  return () => closing;
}

function codeOf(payload: unknown, reply: FastifyReply): string {
  if (typeof payload === 'string' && payload.startsWith('{')) {
    try {
      const code = (JSON.parse(payload) as { error?: { code?: unknown } }).error?.code;
      if (typeof code === 'string') return code;
    } catch {
      // Not our envelope: fall back on the status.
    }
  }
  const byStatus: ErrorCode = reply.statusCode === 405 ? 'ERR_METHOD_NOT_ALLOWED' : 'ERR_NOT_FOUND';
  return byStatus;
}
