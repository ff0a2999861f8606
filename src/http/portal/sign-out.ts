/** `POST /logout` ("Abmelden"): ends the session on the server, not only the cookie. */
import type { FastifyInstance } from 'fastify';
import { endSession } from '../../sessions/sessions.js';
import { messagesFor } from '../../text/i18n.js';
import { csrfHolds } from './csrf.js';
import type { PortalKit } from './kit.js';

export function signOutRoutes(kit: PortalKit) {
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
      await endSession(core, request.cookies[cookies.session]);
      reply.clearCookie(cookies.session, cookies.options);
      return reply.redirect('/login?signedout=1', 303);
    });
  };
}
