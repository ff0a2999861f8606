/**
 * Mail in the console (admins only): `GET /admin/mail` lists the outbox newest first, a
 * page at a time, filtered by state (the overview links to `?state=failed`), and
 * `POST /admin/mail/:id/retry` queues a failed message again for the delivery loop.
 * No message text is ever shown: an enrollment mail carries a live code.
 */
import type { FastifyInstance } from 'fastify';
import { PforteError } from '../../errors.js';
import { listOutbox, MAIL_STATES, type MailMessage } from '../../mail/outbox.js';
import { retryMail } from '../../mail/retry.js';
import type { MailState } from '../../store/tables.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { mailTexts } from '../../text/console/mail.js';
import { html, type SafeHtml } from '../../text/html.js';
import { formatTime, pager } from './format.js';
import type { ConsoleKit, Operator } from './kit.js';

const PAGE_SIZE = 50;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function mailRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    app.get('/mail', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'mail.manage');
      if (!operator) return reply;
      const t = mailTexts[operator.lang];
      const query = request.query as Record<string, unknown>;
      const state = query.state ?? '';
      if (state !== '' && !(MAIL_STATES as readonly unknown[]).includes(state)) {
        throw new PforteError('ERR_VALIDATION', t.badState(MAIL_STATES.join(', ')));
      }
      const cursor = query.cursor;
      const page = await listOutbox(kit.core, {
        limit: PAGE_SIZE,
        ...(state ? { state: state as MailState } : {}),
        ...(typeof cursor === 'string' && cursor ? { cursor: cursor.slice(0, 400) } : {}),
      });
      const body = html`<h1>${t.title}</h1>
        <p>${t.intro}</p>
        ${kit.core.mailer ? '' : html`<p class="notice">${t.noSmtp}</p>`}
        ${stateFilter(operator, state as MailState | '')} ${mailTable(operator, page.items)}
        ${pager(operator.lang, operator.path, page.next)}`;
      return kit.page(reply, operator, 200, { title: t.title, section: 'mail', body });
    });

    app.post('/mail/:id/retry', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'mail.manage');
      if (!operator) return reply;
      if (!kit.form(request, reply, {})) return reply;
      const t = mailTexts[operator.lang];
      const { id } = request.params as { id: string };
      if (!ID_PATTERN.test(id)) throw new PforteError('ERR_NOT_FOUND', 'message not found');
      let message;
      try {
        message = await retryMail(kit.core, operator.caller, id);
      } catch (error) {
        if (!(error instanceof PforteError) || error.code !== 'ERR_CONFLICT') throw error;
        const why = error.message.startsWith('only') ? t.notFailed : t.enrollmentGone;
        return kit.refusal(request, reply, 409, {
          title: chromeTexts[operator.lang].errorTitle,
          message: why,
        });
      }
      const body = html`<h1>${t.retriedTitle}</h1>
        <p class="notice" role="status">${t.retried(message.to)}</p>
        <p><a class="button" href="/admin/mail?state=failed">${t.toList}</a></p>`;
      return kit.page(reply, operator, 200, { title: t.retriedTitle, section: 'mail', body });
    });
  };
}

function stateFilter(operator: Operator, state: MailState | ''): SafeHtml {
  const t = mailTexts[operator.lang];
  return html`<form class="filters" method="get" action="/admin/mail">
    <div>
      <label for="mail-state">${t.state}</label>
      <select id="mail-state" name="state">
        <option value="">${t.any}</option>
        ${MAIL_STATES.map(
          (s) =>
            html`<option value="${s}" ${s === state ? html`selected` : ''}>${t.states[s]}</option>`,
        )}
      </select>
    </div>
    <div>
      <button type="submit" class="button">${chromeTexts[operator.lang].filter}</button>
    </div>
  </form>`;
}

function mailTable(operator: Operator, messages: MailMessage[]): SafeHtml {
  const t = mailTexts[operator.lang];
  const lang = operator.lang;
  if (messages.length === 0) return html`<p>${t.empty}</p>`;
  const col = t.columns;
  return html`<div class="table-wrap" tabindex="0">
    <table class="list">
      <thead>
        <tr>
          <th scope="col">${col.to}</th>
          <th scope="col">${col.subject}</th>
          <th scope="col">${col.state}</th>
          <th scope="col">${col.attempts}</th>
          <th scope="col">${col.lastError}</th>
          <th scope="col">${col.created}</th>
          <th scope="col">${col.sent}</th>
          <th scope="col"><span class="visually-hidden">${t.retry}</span></th>
        </tr>
      </thead>
      <tbody>
        ${messages.map(
          (m) =>
            html`<tr>
              <td>${m.to}</td>
              <td>${m.subject}</td>
              <td><span class="state state-${m.state}">${t.states[m.state]}</span></td>
              <td>${m.attempts}</td>
              <td>${m.lastError}</td>
              <td>${formatTime(lang, m.createdAt)}</td>
              <td>${m.sentAt ? formatTime(lang, m.sentAt) : ''}</td>
              <td class="actions">
                ${
                  m.state === 'failed'
                    ? html`<form method="post" action="/admin/mail/${m.id}/retry">
                        <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
                        <button type="submit" class="button button-small">${t.retry}</button>
                      </form>`
                    : ''
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
