/**
 * GET /metrics for Prometheus (src/metrics/, docs/monitoring.md), kept off the public
 * listener unless protected: on the main listener only when `metrics.token` is set, to
 * that bearer token; on a listener of its own (`metrics.port`, started by run/serve.ts)
 * that serves nothing else, and asks for the token too when there is one.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Core } from '../context.js';
import { PforteError } from '../errors.js';
import { scrapeMetrics } from '../metrics/scrape.js';
import { installErrorHandling } from './shared/errors.js';

export function metricsRoutes(core: Core): FastifyPluginAsync {
  return async (app) => {
    core.metrics.includeProcessMetrics();
    const { token } = core.config.metrics;
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (token && !bearerMatches(request.headers.authorization, token)) {
        throw new PforteError('ERR_UNAUTHENTICATED', 'the metrics token is required');
      }
      const { contentType, text } = await scrapeMetrics(core);
      return reply.type(contentType).send(text);
    });
  };
}

/**
 * Compared as SHA-256 digests: equal lengths for timingSafeEqual, so neither the token's
 * characters nor its length can be learned from the answer's timing.
 */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export interface MetricsListener {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** The metrics listener on `metrics.host`:`metrics.port`, when the port is set (≥ 0). */
export async function startMetricsListener(core: Core): Promise<MetricsListener | undefined> {
  const { host, port } = core.config.metrics;
  if (port < 0) return undefined;
  const app = Fastify({ logger: false });
  installErrorHandling(app);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff').header('Cache-Control', 'no-store');
  });
  await app.register(metricsRoutes(core));
  try {
    const url = await app.listen({ host, port });
    return { app, url, close: () => app.close() };
  } catch (error) {
    await app.close();
    throw error;
  }
}
