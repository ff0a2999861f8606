/**
 * The sign-in portal, one wing of the web face: sign-in (portal/sign-in.ts), the services
 * page (portal/services.ts), the user's own access (portal/my-access.ts), sign-out
 * (portal/sign-out.ts), forward authentication for reverse proxies (portal/forward-auth.ts)
 * and the OpenID Connect sign-in's interaction (oidc/interaction.ts), sharing one kit (portal/kit.ts). Every
 * form carries a CSRF token (portal/csrf.ts); every page is `no-store` under a strict
 * Content-Security-Policy.
 */
import cookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import type { Core } from '../../context.js';
import { messagesFor } from '../../text/i18n.js';
import { logFailure, sendError, toPforteError } from '../shared/errors.js';
import { acceptForms } from '../shared/forms.js';
import type { CurrentProvider } from '../oidc/current-provider.js';
import { oidcInteractionRoutes } from '../oidc/interaction.js';
import { forwardAuthRoutes } from './forward-auth.js';
import { makePortalKit } from './kit.js';
import { myAccessRoutes } from './my-access.js';
import { servicesRoutes } from './services.js';
import { signInRoutes } from './sign-in.js';
import { signOutRoutes } from './sign-out.js';

export function portalRoutes(core: Core, oidc: CurrentProvider): FastifyPluginAsync {
  const kit = makePortalKit(core);
  return async (app) => {
    await app.register(cookie);
    acceptForms(app);

    // A form that cannot be taken (too large, too many from this address, unreadable),
    // or a database that does not answer, is answered with the sign-in page and what to
    // do, not with the API's JSON.
    app.setErrorHandler((raw, request, reply) => {
      const error = toPforteError(raw);
      logFailure(request, raw, error);
      const outage = error.code === 'ERR_DATABASE_UNAVAILABLE';
      if (error.status >= 500 && !outage) return sendError(reply, error);
      const t = messagesFor(kit.languageOf(request, reply)).portal;
      if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
      const text = outage
        ? t.serviceUnavailable
        : error.status === 429
          ? t.tryLater(error.retryAfter ?? 60)
          : t.badRequest;
      return kit.signInPage(request, reply, error.status, { message: { kind: 'alert', text } });
    });

    signInRoutes(kit)(app);
    servicesRoutes(kit)(app);
    // Its own scope: its failures are answered with its own pages.
    await app.register(myAccessRoutes(kit));
    signOutRoutes(kit, oidc)(app);
    forwardAuthRoutes(kit)(app);
    oidcInteractionRoutes(kit, oidc)(app);
  };
}
