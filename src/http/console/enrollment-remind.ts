/**
 * "Remind all pending (Alle offenen erinnern)": `GET /admin/enrollments/remind` asks
 * first, saying how many open enrollments (of one bulk run, when the list was filtered
 * by one) would get a new mail; the confirmed form posts to the same address and
 * `remindPending` mails each open enrollment once. Admins only, like bulk enrollment.
 */
import type { FastifyInstance } from 'fastify';
import { countPending, remindPending } from '../../enrollment/remind.js';
import { invalid } from '../../errors.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { enrollmentsTexts } from '../../text/console/enrollments.js';
import { html } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';
import type { ConsoleKit } from './kit.js';

const BATCH = /^BR[0-9A-Z]{10}$/;

export function enrollmentRemindRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    app.get('/enrollments/remind', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'enrollments.bulk');
      if (!operator) return reply;
      const t = enrollmentsTexts[operator.lang];
      const c = chromeTexts[operator.lang];
      const raw = (request.query as Record<string, unknown>).batch;
      const batch = readBatch(typeof raw === 'string' ? raw : '', operator.lang);
      const count = await countPending(kit.core, batch ? { batch } : {});
      const back = `/admin/enrollments${batch ? `?batch=${batch}` : ''}`;
      const body =
        count === 0
          ? html`<h1>${t.remindTitle}</h1>
              <p class="notice" role="status">${t.nothingToRemind}</p>
              <p><a class="button" href="${back}">${t.toList}</a></p>`
          : html`<h1>${t.remindTitle}</h1>
              <p>${t.confirmRemind(count, batch ?? '')}</p>
              <p class="muted">${t.confirmRemindNote}</p>
              <form class="actions-bar" method="post" action="/admin/enrollments/remind">
                <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
                <input type="hidden" name="batch" value="${batch ?? ''}" />
                <button type="submit" class="button">${t.remindAll}</button>
                <a class="button" href="${back}">${c.cancel}</a>
              </form>`;
      return kit.page(reply, operator, 200, { title: t.remindTitle, section: 'enrollments', body });
    });

    app.post('/enrollments/remind', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'enrollments.bulk');
      if (!operator) return reply;
      const form = kit.form(request, reply, { batch: 12 });
      if (!form) return reply;
      const t = enrollmentsTexts[operator.lang];
      const batch = readBatch(form.batch, operator.lang);
      const summary = await remindPending(kit.core, operator.caller, batch ? { batch } : {});
      const body = html`<h1>${t.remindedTitle}</h1>
        <p class="notice" role="status">${t.reminded(summary.reminded)}</p>
        <p>${t.remindFigures(summary.sent, summary.stored)}</p>
        ${
          summary.failed.length > 0
            ? html`<h2>${t.remindFailed}</h2>
                <div class="table-wrap" tabindex="0">
                  <table class="list">
                    <thead>
                      <tr>
                        <th scope="col">${t.user}</th>
                        <th scope="col">${t.reason}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${summary.failed.map(
                        (f) =>
                          html`<tr>
                            <td>${f.username}</td>
                            <td>${f.reason}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>
                </div>`
            : ''
        }
        <p><a class="button" href="/admin/enrollments?state=open">${t.toList}</a></p>`;
      return kit.page(reply, operator, 200, {
        title: t.remindedTitle,
        section: 'enrollments',
        body,
      });
    });
  };
}

/** A run's id, or none; anything else is refused before anything is mailed. */
function readBatch(input: string, lang: Lang): string | undefined {
  const batch = input.trim().toUpperCase();
  if (!batch) return undefined;
  if (!BATCH.test(batch)) throw invalid(enrollmentsTexts[lang].badFilter);
  return batch;
}
