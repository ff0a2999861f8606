/**
 * `POST /logout` ("Abmelden"): ends the session on the server, not only the cookie, and
 * the single sign-on of the services that signed in with it (oidc/single-sign-out.ts).
 */
import type { FastifyInstance } from 'fastify';
import { OIDC_SESSION_COOKIE } from '../../oidc/names.js';
import { endSingleSignOn } from '../../oidc/single-sign-out.js';
import { endSession } from '../../sessions/sessions.js';
import type { CurrentProvider } from '../oidc/current-provider.js';
import { messagesFor } from '../../text/i18n.js';
import { csrfHolds } from './csrf.js';
import type { PortalKit } from './kit.js';

export function signOutRoutes(kit: PortalKit, oidc: CurrentProvider) {
  const { core, cookies } = kit;
  return (app: FastifyInstance) => {
    app.post('/logout', { schema: { hide: true } }, async (request, reply) => {
      const token = (request.body as { _csrf?: unknown } | undefined)?._csrf;
      if (typeof token !== 'string' || !csrfHolds(request, cookies, token)) {
        const t = messagesFor(kit.languageOf(request, reply)).portal;
        return kit.signInPage(request, reply, 403, {
          message: { kind: 'alert', text: t.badRequest },
        });
      }
      // Single sign-on first: should it fail, the portal session is still there to try again.
      await endSingleSignOn(core, () => oidc.get(), request.cookies);
      await endSession(core, request.cookies[cookies.session]);
      reply.clearCookie(OIDC_SESSION_COOKIE, { path: '/' });
      reply.clearCookie(`${OIDC_SESSION_COOKIE}.sig`, { path: '/' });
      reply.clearCookie(cookies.session, cookies.options);
      return reply.redirect('/login?signedout=1', 303);
    });
  };
}
