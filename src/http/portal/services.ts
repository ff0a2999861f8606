/** `GET /services`: the page behind the sign-in, with the user's name and their services. */
import type { FastifyInstance } from 'fastify';
import { findLiveSession } from '../../sessions/sessions.js';
import { hasWorkingToken } from '../../users/own-access.js';
import { roleOf } from '../../users/roles.js';
import { renderServicesPage } from './pages.js';
import { issueCsrfToken } from './csrf.js';
import type { PortalKit } from './kit.js';

export function servicesRoutes(kit: PortalKit) {
  const { core, cookies } = kit;
  return (app: FastifyInstance) => {
    app.get('/services', { schema: { hide: true } }, async (request, reply) => {
      const token = request.cookies[cookies.session];
      const session = await findLiveSession(core, token);
      if (!session) {
        const expired = token ? '&expired=1' : '';
        reply.clearCookie(cookies.session, cookies.options);
        return reply.redirect(`/login?return=%2Fservices${expired}`, 303);
      }
      return kit.page(
        reply,
        200,
        renderServicesPage({
          lang: kit.languageOf(request, reply),
          brand: kit.brand,
          csrfToken: issueCsrfToken(request, reply, cookies),
          user: { username: session.user.username, displayName: session.user.display_name },
          services: core.config.portal.services,
          operator: roleOf(session.user.role) !== null,
          needsNewPhone: !(await hasWorkingToken(core, session.user)),
        }),
      );
    });
  };
}
