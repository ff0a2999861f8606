/**
 * The audit log in the console (admins only): `GET /admin/audit` filters and pages the
 * log newest first (one page of the core's list a request), `GET /admin/audit.csv`
 * downloads the same filtered view, and `POST /admin/audit/verify` checks the hash chain
 * and shows the verdict, recorded with the operator as the one who checked.
 */
import type { FastifyInstance } from 'fastify';
import { checkAuditChain } from '../../audit/check.js';
import {
  AUDIT_FACES,
  AUDIT_OUTCOMES,
  EVENT_COLUMNS,
  listAudit,
  type AuditEvent,
} from '../../audit/record.js';
import { PforteError } from '../../errors.js';
import { MAX_LIMIT } from '../../store/paging.js';
import { auditTexts, type AuditTexts } from '../../text/console/audit.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { html, type SafeHtml } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';
import { readAuditFilter, type AuditFilter } from './audit-filter.js';
import { csvLine, sendCsv } from '../shared/csv.js';
import { formatTime, pager } from './format.js';
import type { ConsoleKit, Operator } from './kit.js';

const PAGE_SIZE = 50;
const CSV_COLUMNS = ['id', ...EVENT_COLUMNS, 'sealed'] as const;

export function auditRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    app.get('/audit', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'audit.read');
      if (!operator) return reply;
      const t = auditTexts[operator.lang];
      let read;
      try {
        read = readAuditFilter(operator.lang, request.query, kit.core.clock.now());
      } catch (error) {
        if (!(error instanceof PforteError) || error.status !== 400) throw error;
        // The form again, with what was typed and why it was refused.
        const typed = filterAsTyped(request.query);
        const body = html`<h1>${t.title}</h1>
          <p class="alert" role="alert">${error.message}</p>
          ${filterForm(operator, typed)}`;
        return kit.page(reply, operator, 400, { title: t.title, section: 'audit', body });
      }
      const page = await listAudit(kit.core, { ...read.query, limit: PAGE_SIZE });
      const body = html`<h1>${t.title}</h1>
        ${filterForm(operator, read.filter)} ${verifyForm(operator)}
        ${eventTable(operator.lang, page.items)} ${pager(operator.lang, operator.path, page.next)}`;
      return kit.page(reply, operator, 200, { title: t.title, section: 'audit', body });
    });

    app.get('/audit.csv', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'audit.read');
      if (!operator) return reply;
      const { query } = readAuditFilter(operator.lang, request.query, kit.core.clock.now());
      // Refuse a bad cursor as a page, before the download starts.
      const first = await listAudit(kit.core, { ...query, limit: MAX_LIMIT });
      async function* lines() {
        yield csvLine(CSV_COLUMNS);
        let page = first;
        for (;;) {
          for (const event of page.items) yield csvLine(csvCells(event));
          if (!page.next) return;
          page = await listAudit(kit.core, { ...query, cursor: page.next, limit: MAX_LIMIT });
        }
      }
      const day = new Date(kit.core.clock.now()).toISOString().slice(0, 10);
      return sendCsv(reply, `pforte-audit-${day}.csv`, lines());
    });

    app.post('/audit/verify', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'audit.read');
      if (!operator) return reply;
      if (!kit.form(request, reply, {})) return reply;
      const t = auditTexts[operator.lang];
      const report = await checkAuditChain(kit.core, operator.caller);
      const verdict = report.problem
        ? html`<p class="alert" role="alert">
            ${t.broken(
              report.problem.seq,
              t.breaks[report.problem.reason] ?? report.problem.reason,
              report.checked,
            )}
          </p>`
        : html`<p class="notice" role="status">${t.intact(report.checked)}</p>`;
      const body = html`<h1>${t.verifyTitle}</h1>
        ${verdict}
        <p class="muted">${t.verifyExplain}</p>
        <p><a class="button" href="/admin/audit">${chromeTexts[operator.lang].back}</a></p>`;
      return kit.page(reply, operator, 200, { title: t.verifyTitle, section: 'audit', body });
    });
  };
}

function csvCells(event: AuditEvent) {
  return CSV_COLUMNS.map((column) =>
    column === 'detail' ? JSON.stringify(event.detail) : event[column],
  );
}

/** What was typed into the filters, for a form shown again after a refusal. */
function filterAsTyped(raw: unknown): AuditFilter {
  const params = (raw ?? {}) as Record<string, unknown>;
  const typed = (name: string) => {
    const value = params[name];
    return typeof value === 'string' ? value.slice(0, 256) : '';
  };
  return {
    user: typed('user'),
    action: typed('action'),
    outcome: typed('outcome'),
    face: typed('face'),
    address: typed('address'),
    since: typed('since'),
    until: typed('until'),
  };
}

function filterForm(operator: Operator, f: AuditFilter): SafeHtml {
  const t = auditTexts[operator.lang];
  const c = chromeTexts[operator.lang];
  const field = (name: keyof AuditFilter, label: string, hint?: string) =>
    html`<div>
      <label for="audit-${name}">${label}</label>
      <input
        id="audit-${name}"
        name="${name}"
        type="text"
        value="${f[name]}"
        maxlength="256"
        ${hint ? html`aria-describedby="audit-time-hint" placeholder="${hint}"` : ''}
      />
    </div>`;
  const choice = (name: 'outcome' | 'face', label: string, options: [string, string][]) =>
    html`<div>
      <label for="audit-${name}">${label}</label>
      <select id="audit-${name}" name="${name}">
        <option value="">${t.any}</option>
        ${options.map(
          ([value, text]) =>
            html`<option value="${value}" ${f[name] === value ? html`selected` : ''}>
              ${text}
            </option>`,
        )}
      </select>
    </div>`;
  const exportQuery = new URL(operator.path, 'http://console.invalid').searchParams;
  exportQuery.delete('cursor');
  exportQuery.delete('lang');
  const exportHref = `/admin/audit.csv${exportQuery.size ? `?${exportQuery.toString()}` : ''}`;
  return html`<form class="filters" method="get" action="/admin/audit" aria-label="${t.filters}">
      ${field('user', t.user)} ${field('action', t.action, t.actionHint)}
      ${choice(
        'outcome',
        t.outcome,
        AUDIT_OUTCOMES.map((o) => [o, t.outcomes[o]]),
      )}
      ${choice(
        'face',
        t.face,
        AUDIT_FACES.map((face) => [face, t.faces[face]]),
      )}
      ${field('address', t.address)} ${field('since', t.since, '24h')}
      ${field('until', t.until, '2026-12-01')}
      <div>
        <button type="submit" class="button">${c.filter}</button>
        <a href="/admin/audit">${c.reset}</a>
      </div>
      <p id="audit-time-hint" class="muted">${t.since}, ${t.until}: ${t.timeHint}</p>
    </form>
    <p><a class="button button-small" href="${exportHref}" download>${c.exportCsv}</a></p>`;
}

function verifyForm(operator: Operator): SafeHtml {
  const t = auditTexts[operator.lang];
  return html`<form class="actions-bar" method="post" action="/admin/audit/verify">
    <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
    <button type="submit" class="button">${t.verify}</button>
    <span class="muted">${t.verifyExplain}</span>
  </form>`;
}

function eventTable(lang: Lang, events: AuditEvent[]): SafeHtml {
  const t = auditTexts[lang];
  if (events.length === 0) return html`<p>${t.empty}</p>`;
  const col = t.columns;
  return html`<div class="table-wrap" tabindex="0">
    <table class="list">
      <thead>
        <tr>
          <th scope="col">${col.at}</th>
          <th scope="col">${col.user}</th>
          <th scope="col">${col.action}</th>
          <th scope="col">${col.outcome}</th>
          <th scope="col">${col.reason}</th>
          <th scope="col">${col.face}</th>
          <th scope="col">${col.actor}</th>
          <th scope="col">${col.address}</th>
          <th scope="col">${col.serial}</th>
          <th scope="col">${col.detail}</th>
        </tr>
      </thead>
      <tbody>
        ${events.map((e) => eventRow(lang, t, e))}
      </tbody>
    </table>
  </div>`;
}

function eventRow(lang: Lang, t: AuditTexts, e: AuditEvent): SafeHtml {
  const outcome = t.outcomes[e.outcome as keyof AuditTexts['outcomes']] ?? e.outcome;
  const user = e.username
    ? html`<a href="/admin/users/${encodeURIComponent(e.username)}">${e.username}</a>`
    : '';
  return html`<tr>
    <td><time datetime="${e.at}">${formatTime(lang, e.at)}</time></td>
    <td>${user}</td>
    <td><code>${e.action}</code></td>
    <td><span class="state state-${e.outcome}">${outcome}</span></td>
    <td>${e.reason}</td>
    <td>${t.faces[e.face as keyof AuditTexts['faces']] ?? e.face}</td>
    <td>${e.actor}</td>
    <td>${e.address}</td>
    <td>${e.serial}</td>
    <td>${describeDetail(e.detail)}</td>
  </tr>`;
}

function describeDetail(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}
