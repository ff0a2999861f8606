/**
 * `GET /admin/enrollments`: every enrollment, newest first, filtered by state (expired:
 * open past its lifetime, as the overview counts it), bulk run and the day it started;
 * one page of the core's list per request. `GET /admin/enrollments.csv` exports the
 * filtered view a page at a time. The filter is read the same way for both.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  listEnrollments,
  type Enrollment,
  type EnrollmentFilter,
} from '../../enrollment/enrollments.js';
import { invalid } from '../../errors.js';
import { MAX_LIMIT } from '../../store/paging.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { enrollmentsTexts } from '../../text/console/enrollments.js';
import { html, type SafeHtml } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';
import { csvLine, sendCsv } from '../shared/csv.js';
import { formatTime, pager } from './format.js';
import type { ConsoleKit, Operator } from './kit.js';

const PAGE_SIZE = 50;
const STATES = ['open', 'done', 'expired', 'cancelled'] as const;
const BATCH = /^BR[0-9A-Z]{10}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filter as the form shows it, and as the core takes it. */
interface ListFilter {
  shown: { state: string; batch: string; from: string; to: string };
  core: EnrollmentFilter;
  cursor: string | undefined;
}

export function enrollmentRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    app.get('/enrollments', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'users.read');
      if (!operator) return reply;
      const t = enrollmentsTexts[operator.lang];
      const filter = readFilter(request, operator.lang);
      const page = await listEnrollments(kit.core, {
        ...filter.core,
        limit: PAGE_SIZE,
        ...(filter.cursor ? { cursor: filter.cursor } : {}),
      });
      const query = new URLSearchParams(
        Object.entries(filter.shown).filter(([, value]) => value !== ''),
      ).toString();
      const body = html`<h1>${t.title}</h1>
        <p>${t.intro}</p>
        ${filterForm(operator.lang, filter.shown)}
        <p class="actions-bar">
          <a class="button" href="/admin/enrollments.csv${query ? `?${query}` : ''}" download
            >${chromeTexts[operator.lang].exportCsv}</a
          >
          ${
            operator.may('enrollments.bulk')
              ? html`<a
                  class="button"
                  href="/admin/enrollments/remind${filter.shown.batch ? `?batch=${filter.shown.batch}` : ''}"
                  >${t.remindAll}</a
                >`
              : ''
          }
        </p>
        ${table(operator, page.items)} ${pager(operator.lang, operator.path, page.next)}`;
      return kit.page(reply, operator, 200, { title: t.title, section: 'enrollments', body });
    });

    app.get('/enrollments.csv', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'users.read');
      if (!operator) return reply;
      const filter = readFilter(request, operator.lang);
      // The first page is read before the answer starts: a bad filter is a page, not a cut-off file.
      const first = await listEnrollments(kit.core, { ...filter.core, limit: MAX_LIMIT });
      async function* lines() {
        yield csvLine([
          'id',
          'username',
          'state',
          'createdAt',
          'expiresAt',
          'completedAt',
          'mail',
          'batch',
          'tokenSerial',
        ]);
        let page = first;
        for (;;) {
          for (const e of page.items) {
            yield csvLine([
              e.id,
              e.username,
              e.state,
              e.createdAt,
              e.expiresAt,
              e.completedAt,
              e.mail?.state ?? null,
              e.batch,
              e.tokenSerial,
            ]);
          }
          if (!page.next) return;
          page = await listEnrollments(kit.core, {
            ...filter.core,
            limit: MAX_LIMIT,
            cursor: page.next,
          });
        }
      }
      return sendCsv(reply, 'enrollments.csv', lines());
    });
  };
}

/**
 * The query's filter: a state of the list, a run's id, days as the date inputs send
 * them (the server's days, `to` included). Anything else is refused with one message.
 */
function readFilter(request: FastifyRequest, lang: Lang): ListFilter {
  const query = request.query as Record<string, unknown>;
  const text = (name: string) => {
    const value = query[name];
    return typeof value === 'string' ? value.trim() : '';
  };
  const shown = {
    state: text('state'),
    batch: text('batch').toUpperCase(),
    from: text('from'),
    to: text('to'),
  };
  const bad = () => invalid(enrollmentsTexts[lang].badFilter);
  if (shown.state && !(STATES as readonly string[]).includes(shown.state)) throw bad();
  if (shown.batch && !BATCH.test(shown.batch)) throw bad();
  const day = (value: string, after = 0) => {
    if (!value) return undefined;
    const at = DAY.test(value) ? new Date(`${value}T00:00:00`) : new Date(Number.NaN);
    if (Number.isNaN(at.getTime())) throw bad();
    at.setDate(at.getDate() + after);
    return at.getTime();
  };
  const createdFrom = day(shown.from);
  const createdBefore = day(shown.to, 1);
  const cursor = text('cursor');
  return {
    shown,
    core: {
      ...(shown.state ? { state: shown.state } : {}),
      ...(shown.batch ? { batch: shown.batch } : {}),
      ...(createdFrom !== undefined ? { createdFrom } : {}),
      ...(createdBefore !== undefined ? { createdBefore } : {}),
    },
    cursor: cursor ? cursor.slice(0, 400) : undefined,
  };
}

function filterForm(lang: Lang, shown: ListFilter['shown']): SafeHtml {
  const t = enrollmentsTexts[lang];
  const c = chromeTexts[lang];
  return html`<form class="filters" method="get" action="/admin/enrollments">
    <div>
      <label for="enrollment-state">${t.state}</label>
      <select id="enrollment-state" name="state">
        <option value="">${t.states.all}</option>
        ${STATES.map(
          (state) =>
            html`<option value="${state}" ${shown.state === state ? html`selected` : ''}>
              ${t.states[state]}
            </option>`,
        )}
      </select>
    </div>
    <div>
      <label for="enrollment-batch">${t.batch}</label>
      <input
        id="enrollment-batch"
        name="batch"
        type="search"
        maxlength="12"
        value="${shown.batch}"
        placeholder="${t.batchHint}"
      />
    </div>
    <div>
      <label for="enrollment-from">${t.from}</label>
      <input id="enrollment-from" name="from" type="date" value="${shown.from}" />
    </div>
    <div>
      <label for="enrollment-to">${t.to}</label>
      <input id="enrollment-to" name="to" type="date" value="${shown.to}" />
    </div>
    <div>
      <button type="submit" class="button">${c.filter}</button>
      <a href="/admin/enrollments">${c.reset}</a>
    </div>
  </form>`;
}

function table(operator: Operator, items: Enrollment[]): SafeHtml {
  const lang = operator.lang;
  const t = enrollmentsTexts[lang];
  if (items.length === 0) return html`<p>${t.empty}</p>`;
  const runLink = (batch: string | null) =>
    batch === null
      ? chromeTexts[lang].none
      : operator.may('enrollments.bulk')
        ? html`<a href="/admin/bulk/${batch}"><code>${batch}</code></a>`
        : html`<code>${batch}</code>`;
  return html`<div class="table-wrap" tabindex="0">
    <table class="list">
      <thead>
        <tr>
          <th scope="col">${t.user}</th>
          <th scope="col">${t.state}</th>
          <th scope="col">${t.created}</th>
          <th scope="col">${t.expires}</th>
          <th scope="col">${t.completed}</th>
          <th scope="col">${t.mail}</th>
          <th scope="col">${t.batch}</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (e) =>
            html`<tr>
              <td><a href="/admin/users/${encodeURIComponent(e.username)}">${e.username}</a></td>
              <td><span class="state state-${e.state}">${t.states[e.state]}</span></td>
              <td>${formatTime(lang, e.createdAt)}</td>
              <td>${formatTime(lang, e.expiresAt)}</td>
              <td>${e.completedAt ? formatTime(lang, e.completedAt) : chromeTexts[lang].none}</td>
              <td>
                ${e.mail ? (t.mailStates[e.mail.state] ?? e.mail.state) : chromeTexts[lang].none}
              </td>
              <td>${runLink(e.batch)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
