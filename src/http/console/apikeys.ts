/**
 * API keys in the console (admins only): `GET /admin/apikeys` lists them a page at a
 * time (never a secret: only its hash is stored); creating one and revoking one each ask
 * first on a page of their own. A new key is shown once, on the answer to the confirmed
 * form — a page that is never stored (no-store, like every console page) and that no
 * address leads back to.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  checkApiKeyInput,
  createApiKey,
  getApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKey,
  type ApiScope,
} from '../../apikeys/keys.js';
import { PforteError } from '../../errors.js';
import { apiKeysTexts } from '../../text/console/apikeys.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { html, type SafeHtml } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';
import { confirmPage } from './confirm.js';
import { formatTime, pager, shownOnce } from './format.js';
import type { ConsoleKit } from './kit.js';

const PAGE_SIZE = 50;
/** What the form fields may hold: the core's rules refuse the rest with their reason. */
const FIELDS = { name: 200, scope: 20 };
const ID_PATTERN = /^[a-z0-9]{16}$/;
const LIST = '/admin/apikeys';

export function apiKeyRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    app.get('/apikeys', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'apikeys.manage');
      if (!operator) return reply;
      const t = apiKeysTexts[operator.lang];
      const cursor = (request.query as Record<string, unknown>).cursor;
      const page = await listApiKeys(kit.core, {
        limit: PAGE_SIZE,
        ...(typeof cursor === 'string' && cursor ? { cursor: cursor.slice(0, 400) } : {}),
      });
      const body = html`<h1>${t.title}</h1>
        <p>${t.intro}</p>
        ${keyTable(operator.lang, page.items)} ${pager(operator.lang, operator.path, page.next)}
        ${createForm(operator.lang)}`;
      return kit.page(reply, operator, 200, { title: t.title, section: 'apikeys', body });
    });

    app.get('/apikeys/new', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'apikeys.manage');
      if (!operator) return reply;
      const t = apiKeysTexts[operator.lang];
      const query = request.query as Record<string, unknown>;
      const input = {
        name: typeof query.name === 'string' ? query.name.trim() : '',
        scope: typeof query.scope === 'string' ? query.scope : '',
      };
      const refused = checkInput(operator.lang, input);
      if (refused) return refuse(kit, request, reply, operator.lang, refused);
      const body = confirmPage(operator, {
        title: t.createTitle,
        question: t.confirmCreate(input.name, input.scope),
        action: '/admin/apikeys',
        button: t.create,
        note: t.confirmCreateNote,
        fields: input,
        cancel: LIST,
      });
      return kit.page(reply, operator, 200, { title: t.createTitle, section: 'apikeys', body });
    });

    app.post('/apikeys', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'apikeys.manage');
      if (!operator) return reply;
      const form = kit.form(request, reply, FIELDS);
      if (!form) return reply;
      const t = apiKeysTexts[operator.lang];
      const refused = checkInput(operator.lang, form);
      if (refused) return refuse(kit, request, reply, operator.lang, refused);
      let created;
      try {
        created = await createApiKey(kit.core, operator.caller, form);
      } catch (error) {
        if (!(error instanceof PforteError) || error.code !== 'ERR_CONFLICT') throw error;
        return refuse(kit, request, reply, operator.lang, t.exists(form.name), 409);
      }
      const body = html`<h1>${t.createdTitle}</h1>
        <p class="alert" role="alert">${t.shownOnce}</p>
        <dl class="details">
          <dt>${t.name}</dt>
          <dd>${created.name}</dd>
          <dt>${t.scope}</dt>
          <dd>${t.scopes[created.scope]}</dd>
        </dl>
        ${shownOnce('new-api-key', created.key, t)}
        <p><a href="/admin/apikeys">${t.toList}</a></p>`;
      return kit.page(reply, operator, 201, { title: t.createdTitle, section: 'apikeys', body });
    });

    app.get('/apikeys/:id/revoke', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'apikeys.manage');
      if (!operator) return reply;
      const t = apiKeysTexts[operator.lang];
      const key = await liveKey(kit, request, operator.lang);
      const body = confirmPage(operator, {
        title: t.revokeTitle,
        question: t.confirmRevoke(key.name),
        action: `/admin/apikeys/${key.id}/revoke`,
        button: t.revoke,
        danger: true,
        cancel: LIST,
      });
      return kit.page(reply, operator, 200, { title: t.revokeTitle, section: 'apikeys', body });
    });

    app.post('/apikeys/:id/revoke', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'apikeys.manage');
      if (!operator) return reply;
      if (!kit.form(request, reply, {})) return reply;
      const t = apiKeysTexts[operator.lang];
      const key = await liveKey(kit, request, operator.lang);
      await revokeApiKey(kit.core, operator.caller, key.id);
      const body = html`<h1>${t.revokedTitle}</h1>
        <p class="notice" role="status">${t.revoked(key.name)}</p>
        <p><a class="button" href="/admin/apikeys">${t.toList}</a></p>`;
      return kit.page(reply, operator, 200, { title: t.revokedTitle, section: 'apikeys', body });
    });
  };
}

/** The key the address names, still valid; otherwise the error that the page shows. */
async function liveKey(kit: ConsoleKit, request: FastifyRequest, lang: Lang): Promise<ApiKey> {
  const { id } = request.params as { id: string };
  if (!ID_PATTERN.test(id)) throw new PforteError('ERR_NOT_FOUND', 'API key not found');
  const key = await getApiKey(kit.core, id);
  if (key.revokedAt) {
    throw new PforteError('ERR_CONFLICT', apiKeysTexts[lang].alreadyRevoked(key.name));
  }
  return key;
}

/** Why the core would refuse this name and scope, in the operator's language; or nothing. */
function checkInput(lang: Lang, input: { name: string; scope: string }): string | undefined {
  const t = apiKeysTexts[lang];
  try {
    checkApiKeyInput(input);
    return undefined;
  } catch (error) {
    if (!(error instanceof PforteError)) throw error;
    return error.message.startsWith('scope') ? t.badScope : t.badName;
  }
}

function refuse(
  kit: ConsoleKit,
  request: FastifyRequest,
  reply: FastifyReply,
  lang: Lang,
  message: string,
  status = 400,
): FastifyReply {
  return kit.refusal(request, reply, status, { title: chromeTexts[lang].errorTitle, message });
}

function keyTable(lang: Lang, keys: ApiKey[]): SafeHtml {
  const t = apiKeysTexts[lang];
  if (keys.length === 0) return html`<p>${t.empty}</p>`;
  return html`<div class="table-wrap" tabindex="0">
    <table class="list">
      <thead>
        <tr>
          <th scope="col">${t.name}</th>
          <th scope="col">${t.scope}</th>
          <th scope="col">${t.created}</th>
          <th scope="col">${t.lastUsed}</th>
          <th scope="col">${t.state}</th>
          <th scope="col"><span class="visually-hidden">${t.revoke}</span></th>
        </tr>
      </thead>
      <tbody>
        ${keys.map(
          (key) =>
            html`<tr>
              <td>${key.name}</td>
              <td><code>${key.scope}</code></td>
              <td>${formatTime(lang, key.createdAt)}</td>
              <td>${formatTime(lang, key.lastUsedAt)}</td>
              <td>
                ${
                  key.revokedAt
                    ? html`<span class="state state-revoked"
                        >${t.revokedAt(formatTime(lang, key.revokedAt))}</span
                      >`
                    : html`<span class="state state-active">${t.active}</span>`
                }
              </td>
              <td class="actions">
                ${
                  key.revokedAt
                    ? ''
                    : html`<a href="/admin/apikeys/${key.id}/revoke">${t.revoke}</a>`
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function createForm(lang: Lang): SafeHtml {
  const t = apiKeysTexts[lang];
  const scopes: ApiScope[] = ['validate', 'admin'];
  return html`<h2>${t.createTitle}</h2>
    <form class="filters" method="get" action="/admin/apikeys/new">
      <div>
        <label for="apikey-name">${t.name}</label>
        <input
          id="apikey-name"
          name="name"
          type="text"
          required
          maxlength="64"
          aria-describedby="apikey-name-hint"
        />
        <p id="apikey-name-hint" class="muted">${t.nameHint}</p>
      </div>
      <div>
        <label for="apikey-scope">${t.scope}</label>
        <select id="apikey-scope" name="scope">
          ${scopes.map((scope) => html`<option value="${scope}">${t.scopes[scope]}</option>`)}
        </select>
      </div>
      <div><button type="submit" class="button">${t.create}</button></div>
    </form>`;
}
