/**
 * OpenID Connect in the console (admins only): `GET /admin/oidc` lists the services that
 * sign in with Pforte, configured and stored alike, never with a secret; `GET
 * /admin/oidc/new` is the form to add one, and the answer to it shows the new secret once
 * with the discovery address (a page never stored that no address leads back to); a
 * stored service is removed after a page that asks, a configured one is changed in the
 * configuration. The core (src/oidc/clients.ts) stores and seals; the form's checks and
 * the audit records are made here. A refused form comes back filled in, with the reason.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit } from '../../audit/record.js';
import { PforteError } from '../../errors.js';
import {
  addStoredClient,
  CLIENT_ID,
  findStoredClient,
  listClients,
  MAX_URI_LENGTH,
  MAX_URIS,
  removeStoredClient,
  type NewOidcClient,
} from '../../oidc/clients.js';
import { isNativeApp, redirectUriProblem } from '../../oidc/redirect-uris.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { oidcClientsTexts } from '../../text/console/oidc-clients.js';
import { html, type SafeHtml } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';
import { checkDisplayName } from '../../users/fields.js';
import { FORM_BODY_LIMIT } from '../shared/forms.js';
import { confirmPage } from './confirm.js';
import { shownOnce } from './format.js';
import type { ConsoleKit, Operator } from './kit.js';

const LIST = '/admin/oidc';

/** The form's fields: any that fit the body reach the checks below, which say what is wrong. */
const FIELDS = {
  client_id: FORM_BODY_LIMIT,
  name: FORM_BODY_LIMIT,
  redirect_uris: FORM_BODY_LIMIT,
  post_logout_redirect_uris: FORM_BODY_LIMIT,
  first_party: FORM_BODY_LIMIT,
  public: FORM_BODY_LIMIT,
  refresh_tokens: FORM_BODY_LIMIT,
};
type ClientForm = Record<keyof typeof FIELDS, string>;
type Problem = { field?: keyof ClientForm; message: string };

export function oidcClientRoutes(kit: ConsoleKit) {
  const discovery = `${kit.core.config.publicUrl.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  return (app: FastifyInstance) => {
    app.get('/oidc', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'oidc.manage');
      if (!operator) return reply;
      const t = oidcClientsTexts[operator.lang];
      const body = html`<h1>${t.title}</h1>
        <p>${t.intro}</p>
        <dl class="details">
          <dt>${t.discovery}</dt>
          <dd><code>${discovery}</code></dd>
        </dl>
        <p><a class="button" href="/admin/oidc/new">${t.add}</a></p>
        ${clientTable(operator.lang, await listClients(kit.core))}`;
      return kit.page(reply, operator, 200, { title: t.title, section: 'oidc', body });
    });

    app.get('/oidc/new', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'oidc.manage');
      if (!operator) return reply;
      const t = oidcClientsTexts[operator.lang];
      const body = clientForm(operator, emptyForm());
      return kit.page(reply, operator, 200, { title: t.addTitle, section: 'oidc', body });
    });

    app.post('/oidc', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'oidc.manage');
      if (!operator) return reply;
      const form = kit.form(request, reply, FIELDS);
      if (!form) return reply;
      const t = oidcClientsTexts[operator.lang];
      const formBack = (status: number, problem: Problem) =>
        kit.page(reply, operator, status, {
          title: t.addTitle,
          section: 'oidc',
          body: clientForm(operator, form, problem),
        });
      const read = readClientForm(operator.lang, form);
      if ('problem' in read) return formBack(400, read.problem);
      let added;
      try {
        added = await addStoredClient(kit.core, read.client);
      } catch (error) {
        if (!(error instanceof PforteError)) throw error;
        // The core's own checks, should they refuse what the form's let through.
        if (error.code === 'ERR_VALIDATION') return formBack(400, { message: error.message });
        if (error.code !== 'ERR_CONFLICT') throw error;
        const id = read.client.client_id;
        const configured = kit.core.config.oidc.clients.some((c) => c.client_id === id);
        const message = configured ? t.configured(id) : t.exists(id);
        return formBack(409, { field: 'client_id', message });
      }
      await recordAudit(kit.core, operator.caller, {
        action: 'oidc.client_add',
        outcome: 'success',
        detail: {
          client: added.client_id,
          name: added.name,
          public: read.client.public,
          first_party: added.first_party,
          refresh_tokens: added.grant_types.includes('refresh_token'),
          redirect_uris: added.redirect_uris.join(' '),
        },
      });
      const body = html`<h1>${t.addedTitle}</h1>
        <p class="notice" role="status">${t.added(added.client_id)}</p>
        <dl class="details">
          <dt>${t.discovery}</dt>
          <dd><code>${discovery}</code></dd>
          <dt>${t.columns.clientId}</dt>
          <dd><code>${added.client_id}</code></dd>
          <dt>${t.columns.name}</dt>
          <dd>${added.name || chromeTexts[operator.lang].none}</dd>
          <dt>${t.columns.redirectUris}</dt>
          <dd>${uriList(added.redirect_uris)}</dd>
        </dl>
        ${
          added.client_secret
            ? html`<h2>${t.secret}</h2>
                <p class="alert" role="alert">${t.shownOnce}</p>
                ${shownOnce('new-client-secret', added.client_secret, t)}`
            : html`<p>${t.noSecret}</p>`
        }
        <p><a href="${LIST}">${t.toList}</a></p>`;
      return kit.page(reply, operator, 201, { title: t.addedTitle, section: 'oidc', body });
    });

    app.get('/oidc/:id/remove', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'oidc.manage');
      if (!operator) return reply;
      const t = oidcClientsTexts[operator.lang];
      const client = await storedClient(kit, request, operator.lang);
      const body = confirmPage(operator, {
        title: t.removeTitle,
        question: t.confirmRemove(client.id, client.name),
        action: `/admin/oidc/${client.id}/remove`,
        button: t.remove,
        danger: true,
        cancel: LIST,
      });
      return kit.page(reply, operator, 200, { title: t.removeTitle, section: 'oidc', body });
    });

    app.post('/oidc/:id/remove', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'oidc.manage');
      if (!operator) return reply;
      if (!kit.form(request, reply, {})) return reply;
      const t = oidcClientsTexts[operator.lang];
      const client = await storedClient(kit, request, operator.lang);
      // Two operators confirming at once: the one whose delete finds the row records it.
      if (!(await removeStoredClient(kit.core, client.id))) {
        throw new PforteError('ERR_NOT_FOUND', t.notFound(client.id));
      }
      await recordAudit(kit.core, operator.caller, {
        action: 'oidc.client_remove',
        outcome: 'success',
        detail: { client: client.id, name: client.name },
      });
      const body = html`<h1>${t.removedTitle}</h1>
        <p class="notice" role="status">${t.removed(client.id)}</p>
        <p><a class="button" href="${LIST}">${t.toList}</a></p>`;
      return kit.page(reply, operator, 200, { title: t.removedTitle, section: 'oidc', body });
    });
  };
}

/** The stored client the address names; otherwise the error the page shows. */
async function storedClient(
  kit: ConsoleKit,
  request: FastifyRequest,
  lang: Lang,
): Promise<{ id: string; name: string }> {
  const t = oidcClientsTexts[lang];
  const { id } = request.params as { id: string };
  if (!CLIENT_ID.test(id)) throw new PforteError('ERR_NOT_FOUND', t.notFound(id.slice(0, 100)));
  if (kit.core.config.oidc.clients.some((c) => c.client_id === id)) {
    throw new PforteError('ERR_CONFLICT', t.changeInConfiguration(id));
  }
  const client = await findStoredClient(kit.core, id);
  if (!client) throw new PforteError('ERR_NOT_FOUND', t.notFound(id));
  return { id, name: String(client.client_name ?? id) };
}

function emptyForm(): ClientForm {
  return {
    client_id: '',
    name: '',
    redirect_uris: '',
    post_logout_redirect_uris: '',
    first_party: '',
    public: '',
    refresh_tokens: '',
  };
}

/** The client the form describes, or the first thing wrong with it. */
function readClientForm(
  lang: Lang,
  form: ClientForm,
): { client: NewOidcClient } | { problem: Problem } {
  const t = oidcClientsTexts[lang];
  const problem = (field: keyof ClientForm, message: string) => ({ problem: { field, message } });
  const clientId = form.client_id.trim();
  if (!CLIENT_ID.test(clientId)) return problem('client_id', t.badClientId);
  const name = checkName(form.name);
  if (name === undefined) return problem('name', t.badName);
  const kind = {
    isPublic: form.public === 'on',
    native: isNativeApp(form.redirect_uris.split(/\r?\n/).map((line) => line.trim())),
  };
  const redirect = readURIs(lang, form.redirect_uris, kind);
  if (typeof redirect === 'string') return problem('redirect_uris', redirect);
  if (redirect.length === 0) return problem('redirect_uris', t.noRedirectUris);
  const postLogout = readURIs(lang, form.post_logout_redirect_uris, kind);
  if (typeof postLogout === 'string') return problem('post_logout_redirect_uris', postLogout);
  return {
    client: {
      client_id: clientId,
      name,
      redirect_uris: redirect,
      post_logout_redirect_uris: postLogout,
      first_party: form.first_party === 'on',
      public: form.public === 'on',
      grant_types:
        form.refresh_tokens === 'on'
          ? ['authorization_code', 'refresh_token']
          : ['authorization_code'],
      backchannel_logout_uri: '',
      id_token_signed_response_alg: 'RS256',
    },
  };
}

/** A service's name as users will see it ('' for none), or undefined when it cannot be one. */
function checkName(input: string): string | undefined {
  if (input.trim() === '') return '';
  try {
    return checkDisplayName(input);
  } catch (error) {
    if (error instanceof PforteError) return undefined;
    throw error;
  }
}

/**
 * The addresses of a field, one a line, each once; or why not, in the operator's language.
 * Each address is held to the core's rule (src/oidc/redirect-uris.ts), as on the command line.
 */
function readURIs(
  lang: Lang,
  input: string,
  kind: { isPublic: boolean; native: boolean },
): string[] | string {
  const t = oidcClientsTexts[lang];
  const uris = [
    ...new Set(
      input
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ];
  if (uris.length > MAX_URIS) return t.tooManyUris(MAX_URIS);
  const bad = uris.find(
    (uri) => uri.length > MAX_URI_LENGTH || redirectUriProblem(uri, kind) !== undefined,
  );
  return bad === undefined ? uris : t.badUri(bad.length > 100 ? `${bad.slice(0, 100)}…` : bad);
}

function uriList(uris: string[]): SafeHtml {
  return html`<ul class="uris">
    ${uris.map((uri) => html`<li><code>${uri}</code></li>`)}
  </ul>`;
}

function clientTable(lang: Lang, clients: Awaited<ReturnType<typeof listClients>>): SafeHtml {
  const t = oidcClientsTexts[lang];
  const c = chromeTexts[lang];
  if (clients.length === 0) return html`<p>${t.empty}</p>`;
  const col = t.columns;
  return html`<div class="table-wrap" tabindex="0">
    <table class="list">
      <thead>
        <tr>
          <th scope="col">${col.name}</th>
          <th scope="col">${col.clientId}</th>
          <th scope="col">${col.source}</th>
          <th scope="col">${col.kind}</th>
          <th scope="col">${col.firstParty}</th>
          <th scope="col">${col.redirectUris}</th>
          <th scope="col"><span class="visually-hidden">${t.remove}</span></th>
        </tr>
      </thead>
      <tbody>
        ${clients.map(
          (client) =>
            html`<tr>
              <td>${client.name || c.none}</td>
              <td><code>${client.client_id}</code></td>
              <td>${t.sources[client.source]}</td>
              <td>${client.public ? t.kinds.public : t.kinds.confidential}</td>
              <td>${client.first_party ? c.yes : c.no}</td>
              <td>${uriList(client.redirect_uris)}</td>
              <td class="actions">
                ${
                  client.source === 'configuration'
                    ? html`<span class="muted">${t.inConfiguration}</span>`
                    : html`<a href="/admin/oidc/${client.client_id}/remove">${t.remove}</a>`
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The form to add a service, filled in with what was sent and the problem marked. */
function clientForm(operator: Operator, form: ClientForm, problem?: Problem): SafeHtml {
  const t = oidcClientsTexts[operator.lang];
  /** The field's label, its control and its hint, marked when it is the problem. */
  const field = (
    name: keyof ClientForm,
    label: string,
    hint: string,
    control: (attributes: SafeHtml) => SafeHtml,
    box = false,
  ) => {
    const id = `oidc-${name.replaceAll('_', '-')}`;
    const bad = problem?.field === name;
    const attributes = html`id="${id}" name="${name}"
    aria-describedby="${id}-hint${bad ? ' oidc-problem' : ''}"
    ${bad ? html`aria-invalid="true"` : ''}`;
    const labelled = html`<label for="${id}">${label}</label>`;
    // A checkbox stands before its label, as in the console's other forms.
    return html`<div class="field">
      ${box ? html`${control(attributes)} ${labelled}` : html`${labelled} ${control(attributes)}`}
      <p id="${id}-hint" class="muted">${hint}</p>
    </div>`;
  };
  const text = (name: keyof ClientForm, label: string, hint: string, required = false) =>
    field(
      name,
      label,
      hint,
      (a) =>
        html`<input type="text" ${a} value="${form[name]}" ${required ? html`required` : ''} />`,
    );
  const lines = (name: keyof ClientForm, label: string, hint: string, required = false) =>
    field(
      name,
      label,
      hint,
      (a) =>
        html`<textarea ${a} rows="3" spellcheck="false" ${required ? html`required` : ''}>
${form[name]}</textarea>`,
    );
  const check = (name: keyof ClientForm, label: string, hint: string) =>
    field(
      name,
      label,
      hint,
      (a) => html`<input type="checkbox" ${a} ${form[name] === 'on' ? html`checked` : ''} />`,
      true,
    );
  return html`<h1>${t.addTitle}</h1>
    ${problem ? html`<p class="alert" role="alert" id="oidc-problem">${problem.message}</p>` : ''}
    <form method="post" action="${LIST}">
      <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
      ${text('client_id', t.columns.clientId, t.clientIdHint, true)}
      ${text('name', t.columns.name, t.nameHint)}
      ${lines('redirect_uris', t.columns.redirectUris, t.urisHint, true)}
      ${lines('post_logout_redirect_uris', t.postLogoutUris, t.urisHint)}
      ${check('first_party', t.columns.firstParty, t.firstPartyHint)}
      ${check('public', t.publicClient, t.publicClientHint)}
      ${check('refresh_tokens', t.refreshTokens, t.refreshTokensHint)}
      <div class="actions-bar">
        <button type="submit" class="button">${t.add}</button>
        <a class="button" href="${LIST}">${chromeTexts[operator.lang].cancel}</a>
      </div>
    </form>`;
}
