/**
 * The HTTP face: `buildApp(core)` returns the Fastify instance with every route;
 * `server.ts` only listens. Routes parse, call the core, and render — nothing more.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { splitList } from '../config/meaning.js';
import type { Core } from '../context.js';
import { PforteError } from '../errors.js';
import { enrollmentBudget } from './shared/enrollment-budget.js';
import { installErrorHandling, sendError } from './shared/errors.js';
import { openapiOptions } from './api/openapi.js';
import { transportSecurity } from './shared/page-headers.js';
import { redactPath } from './shared/redact-path.js';
import { logRefusal, logRouterRefusals, refuseWhileClosing } from './shared/refusals.js';
import { drainOnClose } from './shared/drain.js';
import { lazyCompilers } from './shared/lazy-schemas.js';
import { healthRoutes } from './health/routes.js';
import { activationRoutes } from './api/activations.js';
import { authenticatorStatusRoutes } from './api/authenticator-status.js';
import { assetRoutes } from './static/assets.js';
import { auditRoutes } from './api/audit.js';
import { bulkRunRoutes } from './api/bulk-runs.js';
import { outboxRoutes } from './api/outbox.js';
import { overviewRoutes as overviewApiRoutes } from './api/overview.js';
import { temporaryAccessRoutes } from './api/temporary-access.js';
import { authenticatorRoutes } from './static/authenticator.js';
import { enrollPageRoutes } from './enroll/routes.js';
import { portalRoutes } from './portal/routes.js';
import { currentProvider } from './oidc/current-provider.js';
import { providerPages } from './oidc/pages.js';
import { oidcProviderRoutes } from './oidc/routes.js';
import { consoleRoutes } from './console/routes.js';
import { enrollmentRoutes } from './api/enrollments.js';
import { helpRoutes } from './help/routes.js';
import { tokenRoutes } from './api/tokens.js';
import { userRoutes } from './api/users.js';
import { validateRoutes } from './api/validate.js';
import { metricsRoutes } from './metrics.js';
import { COMPONENTS, useNodeAddressFormats } from './api/schemas.js';

export interface AppOptions {
  /** Write request logs (the server does; tests mostly do not). */
  logger?: boolean;
  /** Where the built authenticator app is; `dist/app/` unless a test serves another build. */
  appDir?: URL;
}

export async function buildApp(core: Core, options: AppOptions = {}): Promise<FastifyInstance> {
  // HSTS on every answer over https (redirects, /auth/check, the API, errors), not
  // only on pages: a browser learns it from whatever it fetches first.
  const hsts = transportSecurity(core.config);
  const app = Fastify({
    ...(options.logger
      ? {
          loggerInstance: core.log.child(
            {},
            {
              serializers: {
                req: (req: { method: string; url: string; ip: string }) => ({
                  method: req.method,
                  url: redactPath(req.url),
                  ip: req.ip,
                }),
              },
            },
          ) as FastifyBaseLogger,
        }
      : { logger: false }),
    bodyLimit: core.config.server.bodyLimitBytes,
    trustProxy: trustProxySetting(core.config.server.trustProxy),
    // Unknown fields are refused rather than dropped, and types are never coerced:
    // `"otp": 123456` is a client error, not a passcode.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true },
      onCreate: useNodeAddressFormats,
    },
    schemaController: { compilersFactory: lazyCompilers },
    // Our own onRequest hook answers while closing (refusals.ts), in our envelope.
    return503OnClosing: false,
    routerOptions: { maxParamLength: 256 },
    // Errors the router raises before any route (a malformed URL, an overlong
    // parameter) get the same shape and headers as every other error.
    frameworkErrors: (error, request, reply) => {
      reply.header('X-Content-Type-Options', 'nosniff').header('Cache-Control', 'no-store');
      if (hsts) reply.header('Strict-Transport-Security', hsts);
      const refused = new PforteError('ERR_VALIDATION', 'the request URL is not valid', {
        detail: error.message,
      });
      logRefusal(request, refused.status, refused.code);
      return sendError(reply, refused);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const isClosing = refuseWhileClosing(app);
  drainOnClose(app, core.config.server.shutdownSeconds);
  installErrorHandling(app);
  logRouterRefusals(app);
  // JSON only: a text body is refused with 415 rather than read as a string.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    if (hsts) reply.header('Strict-Transport-Security', hsts);
  });

  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => {
      const retryAfter = Math.max(1, Math.ceil(context.ttl / 1000));
      return new PforteError('ERR_RATE_LIMITED', 'too many requests; try again later', {
        retryAfter,
      });
    },
  });
  // The enrollment pages and the activation API draw from one per-address budget.
  const enrollment = enrollmentBudget(app, core);
  for (const component of COMPONENTS) app.addSchema(component);
  await app.register(swagger, openapiOptions(core.config));

  await app.register(healthRoutes(core, isClosing));

  // Only behind its token here; otherwise on the metrics listener alone (metrics.ts).
  if (core.config.metrics.token) await app.register(metricsRoutes(core));
  await app.register(assetRoutes(core.config));
  await app.register(enrollPageRoutes(core, enrollment));
  await app.register(helpRoutes(core));
  await app.register(authenticatorRoutes(core, options.appDir));
  const oidc = currentProvider(core, providerPages(core.config));
  await app.register(portalRoutes(core, oidc));
  await app.register(oidcProviderRoutes(core, oidc));
  await app.register(consoleRoutes(core), { prefix: '/admin' });
  await app.register(
    async (api) => {
      await api.register(validateRoutes(core));
      await api.register(activationRoutes(core, enrollment));
      await api.register(authenticatorStatusRoutes(core));
      await api.register(enrollmentRoutes(core));
      await api.register(bulkRunRoutes(core));
      await api.register(userRoutes(core));
      await api.register(tokenRoutes(core));
      await api.register(auditRoutes(core));
      await api.register(outboxRoutes(core));
      await api.register(overviewApiRoutes(core));
      await api.register(temporaryAccessRoutes(core));
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );
  return app;
}

function trustProxySetting(value: string): string[] | false {
  const list = splitList(value);
  return list.length > 0 ? list : false;
}

export { redactPath };
