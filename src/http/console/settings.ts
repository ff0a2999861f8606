/**
 * `GET /admin/settings` (admins only): the effective configuration, read-only, grouped
 * as the schema groups it, each setting with its environment variable and description.
 * What may be shown and what is a secret is decided by src/config/effective.ts.
 */
import type { FastifyInstance } from 'fastify';
import { describeEffectiveSettings, MASK, type EffectiveSetting } from '../../config/effective.js';
import { settingsTexts } from '../../text/console/settings.js';
import { html, type SafeHtml } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';
import type { ConsoleKit } from './kit.js';

export function settingsRoutes(kit: ConsoleKit) {
  // The configuration is frozen at start: read once.
  const settings = describeEffectiveSettings(kit.core.config);
  const groups = [...new Set(settings.map((s) => s.group))];
  return (app: FastifyInstance) => {
    app.get('/settings', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'settings.read');
      if (!operator) return reply;
      const t = settingsTexts[operator.lang];
      const body = html`<h1>${t.title}</h1>
        <p>${t.intro}</p>
        ${groups.map((group) =>
          groupTable(
            operator.lang,
            group,
            settings.filter((s) => s.group === group),
          ),
        )}`;
      return kit.page(reply, operator, 200, { title: t.title, section: 'settings', body });
    });
  };
}

function groupTable(lang: Lang, group: string, settings: EffectiveSetting[]): SafeHtml {
  const t = settingsTexts[lang];
  const id = `settings-${group}`;
  return html`<section aria-labelledby="${id}">
    <h2 id="${id}">${t.groups[group] ?? group}</h2>
    <div class="table-wrap" tabindex="0">
      <table class="list">
        <thead>
          <tr>
            <th scope="col">${t.setting}</th>
            <th scope="col">${t.value}</th>
            <th scope="col">${t.description}</th>
          </tr>
        </thead>
        <tbody>
          ${settings.map(
            (s) =>
              html`<tr>
                <td>
                  <code>${s.path}</code><br /><span class="muted"
                    >${t.variable}: <code>${s.env}</code></span
                  >
                </td>
                <td>
                  ${shownValue(lang, s)}
                  ${s.isDefault ? html`<span class="muted">(${t.isDefault})</span>` : ''}
                </td>
                <td>${s.description}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

function shownValue(lang: Lang, s: EffectiveSetting): SafeHtml {
  const t = settingsTexts[lang];
  const v = s.value;
  if (v.kind === 'secret') {
    return html`<span class="state ${v.set ? 'state-active' : ''}"
      >${v.set ? t.set : t.notSet}</span
    >`;
  }
  if (v.kind === 'text')
    return v.text === ''
      ? html`<span class="muted">${t.empty}</span>`
      : html`<code>${v.text}</code>`;
  if (v.items.length === 0) return html`<span class="muted">${t.noItems}</span>`;
  return html`<ol>
    ${v.items.map(
      (item) =>
        html`<li>
          <dl class="details">
            ${Object.entries(item).map(
              ([key, value]) =>
                html`<dt>${key}</dt>
                  <dd>${value === MASK ? t.set : value || t.empty}</dd>`,
            )}
          </dl>
        </li>`,
    )}
  </ol>`;
}
