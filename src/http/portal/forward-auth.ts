/**
 * Forward authentication, for reverse proxies in front of other applications (nginx
 * `auth_request`, Traefik ForwardAuth, Caddy `forward_auth`; docs/nginx.md): `GET
 * /auth/check` answers whether the browser has a live portal session, and `GET
 * /auth/signin` sends a browser without one to the sign-in page and back. The proxies
 * ask with GET whatever the original request's method (nginx's subrequest is a GET).
 */
import type { FastifyInstance } from 'fastify';
import { findLiveSession } from '../../sessions/sessions.js';
import { SessionCheckAnswers, SignInRedirectAnswers } from '../api/schemas.js';
import type { PortalKit } from './kit.js';
import { allowedReturn } from './return-address.js';

export function forwardAuthRoutes(kit: PortalKit) {
  const { core, cookies } = kit;
  return (app: FastifyInstance) => {
    // Where a reverse proxy sends a browser without a session: to the sign-in page, with
    // the address it asked for (checked like every return address) to come back to.
    app.get(
      '/auth/signin',
      {
        schema: {
          operationId: 'redirectToSignIn',
          tags: ['forward-auth'],
          summary: 'Where a reverse proxy sends a browser without a session',
          description:
            'The address to return to comes from `X-Original-URL` (nginx), or `X-Forwarded-Proto`, `X-Forwarded-Host` and `X-Forwarded-Uri` (Traefik, Caddy).',
          security: [],
          response: SignInRedirectAnswers,
        },
      },
      async (request, reply) => {
        const header = (name: string) => {
          const value = request.headers[name];
          return typeof value === 'string' ? value : undefined;
        };
        const forwarded =
          header('x-forwarded-host') && header('x-forwarded-uri')
            ? `${header('x-forwarded-proto') ?? 'https'}://${header('x-forwarded-host')}${header('x-forwarded-uri')}`
            : undefined;
        const returnTo = allowedReturn(core.config, header('x-original-url') ?? forwarded);
        const base = core.config.publicUrl.replace(/\/$/, '');
        const target = returnTo
          ? `${base}/login?return=${encodeURIComponent(returnTo)}`
          : `${base}/login`;
        return reply.header('Cache-Control', 'no-store').redirect(target, 302);
      },
    );

    // Reverse proxies ask here before they pass a request on (forward authentication).
    app.get(
      '/auth/check',
      {
        schema: {
          operationId: 'checkSession',
          tags: ['forward-auth'],
          summary: 'Does the browser have a live portal session?',
          description:
            "Reverse proxies ask here before they pass a request on, with the browser's cookies (the portal's session cookie is the credential).",
          security: [],
          response: SessionCheckAnswers,
        },
      },
      async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        const session = await findLiveSession(core, request.cookies[cookies.session]);
        if (!session) return reply.code(401).send();
        return (
          reply
            .header('X-Pforte-User', session.user.username)
            // Header values are ASCII: names and addresses travel percent-encoded (UTF-8).
            .header('X-Pforte-Name', encodeURIComponent(session.user.display_name))
            .header('X-Pforte-Email', encodeURIComponent(session.user.email))
            .code(200)
            .send()
        );
      },
    );
  };
}
