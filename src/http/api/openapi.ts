/**
 * The OpenAPI document served at `/api/v1/openapi.json`, as @fastify/swagger builds it
 * from the routes' schemas: what it says about the server as a whole, and which routes
 * it describes.
 *
 * It describes what programs call: the REST API, forward authentication for reverse
 * proxies (`/auth/check`, `/auth/signin`) and the probes `/healthz` and `/readyz`. The pages people read (portal,
 * enrollment, help, the authenticator app and their assets) are HTML for browsers, not
 * an API, and are left out, whichever file registers them.
 */
import type { SwaggerOptions } from '@fastify/swagger';
import type { Config } from '../../config/schema.js';

const DOCUMENTED_OUTSIDE_API = new Set(['/healthz', '/readyz', '/auth/check', '/auth/signin']);

export function isDocumented(url: string): boolean {
  return (
    (url.startsWith('/api/v1/') && url !== '/api/v1/openapi.json') ||
    DOCUMENTED_OUTSIDE_API.has(url)
  );
}

const TAGS = [
  { name: 'sign-in', description: 'The sign-in decision for services' },
  { name: 'users', description: 'The users Pforte keeps' },
  { name: 'tokens', description: 'OATH tokens: import, state, resync' },
  { name: 'enrollment', description: 'Self-enrollment, started by administrators' },
  {
    name: 'activation',
    description: "The authenticator app's side of self-enrollment (DESIGN.md section 4)",
  },
  {
    name: 'authenticator',
    description: 'The authenticator app asks, as the holder of a seed, whether its token is in use',
  },
  { name: 'audit', description: 'The audit log' },
  { name: 'mail', description: 'The outbox: the mail Pforte sends' },
  {
    name: 'forward-auth',
    description:
      'For reverse proxies (nginx auth_request, Traefik ForwardAuth, Caddy forward_auth)',
  },
  { name: 'operations', description: 'For load balancers and monitoring' },
];

export function openapiOptions(config: Config): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pforte',
        version: '1',
        description:
          'Sign-in decisions and administration. Errors are `{ "error": { "code", "message" } }` (`#/components/schemas/Error`); codes in docs/errors.md. A method a path does not have is answered `405 ERR_METHOD_NOT_ALLOWED` with `Allow`.',
        license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
      },
      servers: [{ url: config.publicUrl }],
      tags: TAGS,
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key (`pforte apikey create`) of scope `validate` or `admin`',
          },
        },
      },
      security: [{ apiKey: [] }],
    },
    // Components by their own names (#/components/schemas/Error), not def-0, def-1…
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    transform: ({ schema, url }) => ({
      schema: isDocumented(url) ? schema : { ...schema, hide: true },
      url,
    }),
  };
}
