/**
 * `GET /admin/bulk` (admins only): bulk enrollment's start page — upload a CSV file in
 * the CLI's format (bulk-upload.ts reads it) or pick users by a directory filter — and
 * every run, whoever started it, newest first. Either way the rows become a draft run
 * and the operator is sent to its preview (bulk-run.ts); nothing is enrolled until
 * "Start".
 */
import type { FastifyInstance } from 'fastify';
import { createBulkRun, listBulkRuns, type BulkRun } from '../../enrollment/bulk-runs.js';
import { readDirectoryRows } from '../../enrollment/bulk-source.js';
import { bulkTexts } from '../../text/console/bulk.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { html, type SafeHtml } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';
import { UPLOAD_LIMIT_MB } from './bulk-upload.js';
import { formatTime, pager } from './format.js';
import type { ConsoleKit, Operator } from './kit.js';

const PAGE_SIZE = 20;
const DIRECTORY_FIELDS = { filter: 1000, directory: 100, resend: 2, replace: 2 };

export function bulkRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    app.get('/bulk', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'enrollments.bulk');
      if (!operator) return reply;
      const t = bulkTexts[operator.lang];
      const cursor = (request.query as Record<string, unknown>).cursor;
      const runs = await listBulkRuns(kit.core, {
        limit: PAGE_SIZE,
        ...(typeof cursor === 'string' && cursor ? { cursor: cursor.slice(0, 400) } : {}),
      });
      const directories = kit.core.directories.map((d) => d.name);
      const body = html`<h1>${t.title}</h1>
        <p>${t.intro}</p>
        ${uploadForm(operator)}
        ${directories.length > 0 ? directoryForm(operator, directories) : ''}
        <h2>${t.runsTitle}</h2>
        ${runTable(operator.lang, runs.items)} ${pager(operator.lang, operator.path, runs.next)}`;
      return kit.page(reply, operator, 200, { title: t.title, section: 'bulk', body });
    });

    app.post('/bulk/directory', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'enrollments.bulk');
      if (!operator) return reply;
      const form = kit.form(request, reply, DIRECTORY_FIELDS);
      if (!form) return reply;
      const t = bulkTexts[operator.lang];
      const name = form.directory || kit.core.directories[0]?.name;
      if (!name) {
        return kit.refusal(request, reply, 400, {
          title: chromeTexts[operator.lang].errorTitle,
          message: t.noDirectory,
        });
      }
      const rows = await readDirectoryRows(kit.core, form.filter.trim(), name);
      const run = await createBulkRun(kit.core, operator.caller, {
        rows,
        source: { kind: 'directory', directory: name, filter: form.filter.trim() },
        options: { resend: form.resend === 'on', replace: form.replace === 'on' },
        draft: true,
      });
      return reply.redirect(`/admin/bulk/${run.id}`, 303);
    });
  };
}

/** The options both forms share: the same words as the CLI's --resend and --replace. */
function optionFields(lang: Lang, prefix: string): SafeHtml {
  const t = bulkTexts[lang];
  return html`<div class="field">
      <input id="${prefix}-resend" name="resend" type="checkbox" />
      <label for="${prefix}-resend">${t.resend}</label>
      <p class="muted">${t.resendHint}</p>
    </div>
    <div class="field">
      <input id="${prefix}-replace" name="replace" type="checkbox" />
      <label for="${prefix}-replace">${t.replace}</label>
      <p class="muted">${t.replaceHint}</p>
    </div>`;
}

function uploadForm(operator: Operator): SafeHtml {
  const t = bulkTexts[operator.lang];
  return html`<h2>${t.uploadTitle}</h2>
    <form method="post" action="/admin/bulk/upload" enctype="multipart/form-data">
      <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
      <div class="field">
        <label for="bulk-file">${t.file}</label>
        <input
          id="bulk-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          aria-describedby="bulk-file-hint"
        />
        <p id="bulk-file-hint" class="muted">${t.fileHint(UPLOAD_LIMIT_MB)}</p>
      </div>
      ${optionFields(operator.lang, 'upload')}
      <button type="submit" class="button">${t.preview}</button>
    </form>`;
}

function directoryForm(operator: Operator, names: string[]): SafeHtml {
  const t = bulkTexts[operator.lang];
  return html`<h2>${t.directoryTitle}</h2>
    <form method="post" action="/admin/bulk/directory">
      <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
      <div class="field">
        <label for="bulk-directory">${t.directory}</label>
        <select id="bulk-directory" name="directory">
          ${names.map((name) => html`<option value="${name}">${name}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="bulk-filter">${t.filter}</label>
        <input
          id="bulk-filter"
          name="filter"
          type="text"
          required
          maxlength="1000"
          aria-describedby="bulk-filter-hint"
        />
        <p id="bulk-filter-hint" class="muted">${t.filterHint}</p>
      </div>
      ${optionFields(operator.lang, 'directory')}
      <button type="submit" class="button">${t.preview}</button>
    </form>`;
}

function runTable(lang: Lang, runs: BulkRun[]): SafeHtml {
  const t = bulkTexts[lang];
  if (runs.length === 0) return html`<p>${t.noRuns}</p>`;
  return html`<div class="table-wrap" tabindex="0">
    <table class="list">
      <thead>
        <tr>
          <th scope="col">${t.run}</th>
          <th scope="col">${t.state}</th>
          <th scope="col">${t.progress}</th>
          <th scope="col">${t.startedBy}</th>
          <th scope="col">${t.created}</th>
          <th scope="col">${t.finished}</th>
        </tr>
      </thead>
      <tbody>
        ${runs.map(
          (run) =>
            html`<tr>
              <td>
                <a href="/admin/bulk/${run.id}"><code>${run.id}</code></a>
              </td>
              <td><span class="state state-${run.state}">${t.states[run.state]}</span></td>
              <td>${t.done(run.done, run.total)}</td>
              <td>${run.startedBy}</td>
              <td>${formatTime(lang, run.createdAt)}</td>
              <td>${run.finishedAt ? formatTime(lang, run.finishedAt) : chromeTexts[lang].none}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
