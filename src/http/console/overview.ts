/**
 * `GET /admin/`: the overview (routes are registered under the `/admin` prefix). Each figure links to the list behind it, with the
 * filter that shows exactly those rows.
 */
import type { FastifyInstance } from 'fastify';
import { ENROLLMENT_STATES, readOverview, TOKEN_STATES } from '../../overview/overview.js';
import { overviewTexts } from '../../text/console/overview.js';
import { html } from '../../text/html.js';
import { formatTime } from './format.js';
import type { ConsoleKit } from './kit.js';

export function overviewRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    app.get('/', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'users.read');
      if (!operator) return reply;
      const t = overviewTexts[operator.lang];
      const o = await readOverview(kit.core);
      const figure = (label: string, value: number, href: string) =>
        html`<li class="figure">
          <a href="${href}"><span class="figure-value">${value}</span> ${label}</a>
        </li>`;
      const body = html`<h1>${t.title}</h1>
        <p class="muted">${t.asOf(formatTime(operator.lang, o.at))}</p>
        <section aria-labelledby="people">
          <h2 id="people" class="visually-hidden">${t.users}</h2>
          <ul class="figures">
            ${figure(t.users, o.users, '/admin/users')}
            ${figure(t.lockedNow, o.lockedNow, '/admin/users?token=locked')}
            ${figure(t.mailFailed, o.mailFailed, '/admin/mail?state=failed')}
          </ul>
        </section>
        <section aria-labelledby="signins">
          <h2 id="signins">${t.signIns}</h2>
          <ul class="figures">
            ${figure(t.accepted, o.signIns24h.accepted, '/admin/audit?action=signin&outcome=accept&since=24h')}
            ${figure(t.refused, o.signIns24h.refused, '/admin/audit?action=signin&outcome=reject&since=24h')}
          </ul>
        </section>
        <section aria-labelledby="tokens">
          <h2 id="tokens">${t.tokens}</h2>
          <ul class="figures">
            ${TOKEN_STATES.map((state) =>
              figure(t.tokenStates[state], o.tokens[state], `/admin/users?token=${state}`),
            )}
          </ul>
        </section>
        <section aria-labelledby="enrollments">
          <h2 id="enrollments">${t.enrollments}</h2>
          <ul class="figures">
            ${ENROLLMENT_STATES.map((state) =>
              figure(
                t.enrollmentStates[state],
                o.enrollments[state],
                `/admin/enrollments?state=${state}`,
              ),
            )}
          </ul>
        </section>`;
      return kit.page(reply, operator, 200, { title: t.title, section: 'overview', body });
    });
  };
}
