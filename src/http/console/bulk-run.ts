/**
 * `GET /admin/bulk/:id` (admins only): a draft run's preview (what starting it would do
 * now, with the invalid rows and their reasons; Start or Discard), or a run's page: its
 * progress while the server works it — a `<progress>` that assets/console.js refreshes
 * from `GET /admin/bulk/:id/progress` ({ done, total, state, text }), and a Refresh link
 * for browsers without script — then its figures and the rows that need a look, a page
 * at a time and as CSV. Every admin sees every run; it goes on when the tab is closed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { previewBulkRun, type BulkPreview } from '../../enrollment/bulk-preview.js';
import {
  cancelBulkRun,
  getBulkRun,
  listBulkRunProblems,
  startBulkRun,
  type BulkRun,
  type BulkRunProblem,
} from '../../enrollment/bulk-runs.js';
import { bulkTexts } from '../../text/console/bulk.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { html, type SafeHtml } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';
import { failedRowsCsv } from '../shared/bulk-failed-csv.js';
import { sendCsv } from '../shared/csv.js';
import { formatTime, pager } from './format.js';
import type { ConsoleKit, Operator } from './kit.js';

/** Rows with problems shown on a page; the CSV has them all. */
const PROBLEMS_SHOWN = 100;
const WORKING = ['queued', 'running'];

export function bulkRunRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    app.get('/bulk/:id', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'enrollments.bulk');
      if (!operator) return reply;
      const run = await getBulkRun(kit.core, idOf(request));
      if (run.state === 'draft') {
        const preview = await previewBulkRun(kit.core, run.id);
        const title = bulkTexts[operator.lang].previewTitle;
        return kit.page(reply, operator, 200, {
          title,
          section: 'bulk',
          body: previewPage(operator, run, preview),
        });
      }
      const cursor = (request.query as Record<string, unknown>).cursor;
      const problems = await listBulkRunProblems(kit.core, run.id, {
        limit: PROBLEMS_SHOWN,
        ...(typeof cursor === 'string' && cursor ? { cursor: cursor.slice(0, 400) } : {}),
      });
      return kit.page(reply, operator, 200, {
        title: bulkTexts[operator.lang].runTitle(run.id),
        section: 'bulk',
        body: runPage(operator, run, problems.items, problems.next),
      });
    });

    app.get('/bulk/:id/progress', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'enrollments.bulk');
      if (!operator) return reply;
      const run = await getBulkRun(kit.core, idOf(request));
      return {
        done: run.done,
        total: run.total,
        state: run.state,
        text: bulkTexts[operator.lang].done(run.done, run.total),
      };
    });

    app.get('/bulk/:id/failed.csv', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'enrollments.bulk');
      if (!operator) return reply;
      const run = await getBulkRun(kit.core, idOf(request));
      return sendCsv(reply, `${run.id}-failed.csv`, failedRowsCsv(kit.core, run.id));
    });

    app.post('/bulk/:id/start', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'enrollments.bulk');
      if (!operator) return reply;
      if (!kit.form(request, reply, {})) return reply;
      const run = await startBulkRun(kit.core, operator.caller, idOf(request));
      return reply.redirect(`/admin/bulk/${run.id}`, 303);
    });

    app.post('/bulk/:id/cancel', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'enrollments.bulk');
      if (!operator) return reply;
      if (!kit.form(request, reply, {})) return reply;
      const t = bulkTexts[operator.lang];
      const wasDraft = (await getBulkRun(kit.core, idOf(request))).state === 'draft';
      const run = await cancelBulkRun(kit.core, operator.caller, idOf(request));
      const body = html`<h1>${t.title}</h1>
        <p class="notice" role="status">${wasDraft ? t.discarded : t.cancelled}</p>
        <p>
          ${wasDraft ? '' : html`<a class="button" href="/admin/bulk/${run.id}">${t.runTitle(run.id)}</a>`}
          <a class="button" href="/admin/bulk">${t.toRuns}</a>
        </p>`;
      return kit.page(reply, operator, 200, { title: t.title, section: 'bulk', body });
    });
  };
}

function idOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id.slice(0, 64);
}

function previewPage(operator: Operator, run: BulkRun, preview: BulkPreview): SafeHtml {
  const lang = operator.lang;
  const t = bulkTexts[lang];
  const f = t.figures;
  const figures: [string, number][] = [
    [f.newUsers, preview.newUsers],
    [f.started, preview.started],
    [f.replaced, preview.replaced],
    [f.resent, preview.resent],
    [f.alreadyEnrolled, preview.alreadyEnrolled],
    [f.openAlready, preview.openAlready],
    [f.invalid, preview.invalid.length],
  ];
  const work = preview.newUsers + preview.started + preview.replaced + preview.resent;
  const invalid = preview.invalid.slice(0, PROBLEMS_SHOWN);
  return html`<h1>${t.previewTitle}</h1>
    <p>${t.previewIntro(preview.total)} ${t.nothingChanged}</p>
    ${runDetails(lang, run, false)}
    <ul class="figures">
      ${figures.map(
        ([label, value]) =>
          html`<li class="figure"><span class="figure-value">${value}</span> ${label}</li>`,
      )}
    </ul>
    ${
      invalid.length > 0
        ? html`<h2>${t.invalidTitle}</h2>
            ${problemTable(
              lang,
              invalid.map((p) => ({ ...p, kind: 'failed' as const })),
              false,
            )}
            ${
              preview.invalid.length > invalid.length
                ? html`<p class="muted">${t.more(preview.invalid.length - invalid.length)}</p>`
                : ''
            }`
        : ''
    }
    ${work === 0 ? html`<p class="notice" role="status">${t.nothingToDo}</p>` : ''}
    <div class="actions-bar">
      ${
        work > 0
          ? html`<form method="post" action="/admin/bulk/${run.id}/start">
              <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
              <button type="submit" class="button">${t.start}</button>
            </form>`
          : ''
      }
      <form method="post" action="/admin/bulk/${run.id}/cancel">
        <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
        <button type="submit" class="button">${t.discard}</button>
      </form>
    </div>`;
}

function runPage(
  operator: Operator,
  run: BulkRun,
  problems: BulkRunProblem[],
  next: string | undefined,
): SafeHtml {
  const lang = operator.lang;
  const t = bulkTexts[lang];
  const working = WORKING.includes(run.state);
  const c = run.counts;
  const counts: [string, number][] = [
    [t.counts.started, c.started],
    [t.counts.resent, c.resent],
    [t.counts.replaced, c.replaced],
    [t.counts.alreadyEnrolled, c.alreadyEnrolled],
    [t.counts.openAlready, c.openAlready],
    [t.counts.skipped, c.skipped],
    [t.counts.failed, c.failed],
    [t.counts.sent, c.sent],
    [t.counts.stored, c.stored],
  ];
  return html`<h1>${t.runTitle(run.id)}</h1>
    ${runDetails(lang, run, true)}
    ${
      working
        ? html`<div class="run-progress" data-progress-url="/admin/bulk/${run.id}/progress">
              <progress
                id="run-progress"
                aria-label="${t.progress}"
                max="${Math.max(1, run.total)}"
                value="${run.done}"
              >
                ${t.done(run.done, run.total)}
              </progress>
              <p data-progress-text role="status" aria-live="polite">
                ${t.done(run.done, run.total)}
              </p>
            </div>
            <p class="muted">${t.keepsGoing}</p>
            <div class="actions-bar">
              <a class="button" href="/admin/bulk/${run.id}">${t.refresh}</a>
              <form method="post" action="/admin/bulk/${run.id}/cancel">
                <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
                <button type="submit" class="button button-danger">${t.cancelRun}</button>
              </form>
            </div>`
        : html`<p>${t.done(run.done, run.total)}</p>`
    }
    ${
      run.state === 'failed'
        ? html`<p class="alert" role="alert">${t.failure(run.failure)}</p>`
        : ''
    }
    <h2>${t.summary}</h2>
    <dl class="details">
      ${counts.map(
        ([label, value]) =>
          html`<dt>${label}</dt>
            <dd>${value}</dd>`,
      )}
    </dl>
    <h2>${t.problemsTitle}</h2>
    ${
      problems.length === 0
        ? html`<p>${t.noProblems}</p>`
        : html`${problemTable(lang, problems, true)} ${pager(lang, operator.path, next)}
            <p>
              <a class="button" href="/admin/bulk/${run.id}/failed.csv" download>${t.download}</a>
            </p>`
    }
    <p><a href="/admin/bulk">${t.toRuns}</a></p>`;
}

function runDetails(lang: Lang, run: BulkRun, withState: boolean): SafeHtml {
  const t = bulkTexts[lang];
  const source =
    run.source.kind === 'csv'
      ? t.sources.csv(run.source.file)
      : run.source.kind === 'directory'
        ? t.sources.directory(run.source.directory, run.source.filter)
        : t.sources.list;
  return html`<dl class="details">
    ${
      withState
        ? html`<dt>${t.state}</dt>
            <dd><span class="state state-${run.state}">${t.states[run.state]}</span></dd>`
        : ''
    }
    <dt>${t.source}</dt>
    <dd>${source}</dd>
    <dt>${t.options}</dt>
    <dd>${t.optionList(run.options.resend, run.options.replace)}</dd>
    <dt>${t.startedBy}</dt>
    <dd>${run.startedBy}</dd>
    ${
      withState
        ? html`<dt>${t.created}</dt>
            <dd>${formatTime(lang, run.createdAt)}</dd>
            <dt>${t.finished}</dt>
            <dd>${run.finishedAt ? formatTime(lang, run.finishedAt) : chromeTexts[lang].none}</dd>`
        : ''
    }
  </dl>`;
}

function problemTable(lang: Lang, problems: BulkRunProblem[], withKind: boolean): SafeHtml {
  const t = bulkTexts[lang];
  return html`<div class="table-wrap" tabindex="0">
    <table class="list">
      <thead>
        <tr>
          <th scope="col">${t.row}</th>
          <th scope="col">${t.username}</th>
          ${withKind ? html`<th scope="col">${t.state}</th>` : ''}
          <th scope="col">${t.reason}</th>
        </tr>
      </thead>
      <tbody>
        ${problems.map(
          (p) =>
            html`<tr>
              <td>${p.row}</td>
              <td>${p.username}</td>
              ${withKind ? html`<td>${t.kinds[p.kind]}</td>` : ''}
              <td>${p.reason}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
