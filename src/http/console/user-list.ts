/**
 * `GET /admin/users`: the users, searched and filtered by a GET form, one page at a time
 * (the core's searchUsers, keyset-paged on the order's index).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid } from '../../errors.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { userActionsTexts } from '../../text/console/user-actions.js';
import { usersTexts, type UsersTexts } from '../../text/console/users.js';
import { html, type SafeHtml } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';
import { USERNAME_PATTERN } from '../../users/fields.js';
import {
  ROLE_FILTERS,
  SEARCH_MAX,
  searchUsers,
  TOKEN_FILTERS,
  USER_SORTS,
  USER_SOURCES,
  USER_STATES,
  type UserSearch,
} from '../../users/search.js';
import type { User } from '../../users/users.js';
import { formatTime, pager } from './format.js';
import type { ConsoleKit } from './kit.js';

/** A page of the console shows this many users: a screen or two, not a table to scroll for long. */
const PAGE_SIZE = 50;
const FILTERS = ['q', 'source', 'role', 'state', 'token', 'sort'] as const;
type Filter = (typeof FILTERS)[number];

export function userListRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    app.get('/users', { schema: { hide: true } }, async (request, reply) => {
      const operator = await kit.operator(request, reply, 'users.read');
      if (!operator) return reply;
      const lang = operator.lang;
      const t = usersTexts[lang];
      const filters = readFilters(request);
      const cursor = queryText(request, 'cursor');
      const page = await searchUsers(kit.core, {
        ...filters,
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      });
      const removed = queryText(request, 'removed');
      const body = html`<h1>${t.title}</h1>
        ${
          removed && new RegExp(USERNAME_PATTERN).test(removed)
            ? html`<p class="notice" role="status">${userActionsTexts[lang].removed(removed)}</p>`
            : ''
        }
        ${filterForm(lang, filters)}
        <p class="muted">${chromeTexts[lang].results(page.items.length)}</p>
        ${page.items.length === 0 ? html`<p>${t.empty}</p>` : userTable(lang, page.items)}
        ${pager(lang, operator.path, page.next)}`;
      return kit.page(reply, operator, 200, { title: t.title, section: 'users', body });
    });
  };
}

/** A query parameter given once, as text; given twice it is a malformed address. */
function queryText(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be given once`);
  return value;
}

/** The filters of the address; the core says what is wrong with any of them. */
function readFilters(request: FastifyRequest): Pick<UserSearch, Filter> {
  const filters: Pick<UserSearch, Filter> = {};
  for (const name of FILTERS) {
    const value = queryText(request, name);
    if (value) filters[name] = value;
  }
  return filters;
}

function filterForm(lang: Lang, filters: Pick<UserSearch, Filter>): SafeHtml {
  const t = usersTexts[lang];
  const chrome = chromeTexts[lang];
  const choice = <V extends string>(
    name: Filter,
    label: string,
    values: readonly V[],
    names: Record<V, string>,
    withAny = true,
  ) =>
    html`<div>
      <label for="filter-${name}">${label}</label>
      <select id="filter-${name}" name="${name}">
        ${withAny ? html`<option value="">${t.any}</option>` : ''}
        ${values.map(
          (value) =>
            html`<option value="${value}" ${filters[name] === value ? html`selected` : ''}>
              ${names[value]}
            </option>`,
        )}
      </select>
    </div>`;
  return html`<form
    method="get"
    action="/admin/users"
    class="filters"
    role="search"
    aria-label="${t.filters}"
  >
    <div>
      <label for="filter-q">${t.search}</label>
      <input
        type="search"
        id="filter-q"
        name="q"
        value="${filters.q ?? ''}"
        maxlength="${SEARCH_MAX}"
        placeholder="${t.searchHint}"
        autocomplete="off"
      />
    </div>
    ${choice('source', t.source, USER_SOURCES, t.sources)}
    ${choice('role', t.role, ROLE_FILTERS, t.roles)}
    ${choice('state', t.state, USER_STATES, t.states)}
    ${choice('token', t.token, TOKEN_FILTERS, t.tokenFilters)}
    ${choice('sort', t.sort, USER_SORTS, t.sorts, false)}
    <div>
      <button type="submit" class="button button-primary">${chrome.filter}</button>
      <a href="/admin/users">${chrome.reset}</a>
    </div>
  </form>`;
}

function userTable(lang: Lang, users: User[]): SafeHtml {
  const t = usersTexts[lang];
  return html`<div class="table-wrap" tabindex="0">
    <table class="list">
      <thead>
        <tr>
          <th scope="col">${t.columns.username}</th>
          <th scope="col">${t.columns.name}</th>
          <th scope="col">${t.columns.email}</th>
          <th scope="col">${t.columns.source}</th>
          <th scope="col">${t.columns.role}</th>
          <th scope="col">${t.columns.state}</th>
          <th scope="col">${t.columns.lastSignIn}</th>
        </tr>
      </thead>
      <tbody>
        ${users.map(
          (user) =>
            html`<tr>
              <td>
                <a href="/admin/users/${encodeURIComponent(user.username)}">${user.username}</a>
              </td>
              <td>${user.name}</td>
              <td>${user.email}</td>
              <td>${sourceOf(t, user)}</td>
              <td>${t.roles[user.role ?? 'none']}</td>
              <td>
                <span class="state state-${user.disabled ? 'disabled' : 'active'}"
                  >${t.states[user.disabled ? 'disabled' : 'enabled']}</span
                >
              </td>
              <td>${formatTime(lang, user.lastSignInAt)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** Pforte, or the directory the user comes from. */
export function sourceOf(t: UsersTexts, user: Pick<User, 'directory'>): string {
  return user.directory === null ? t.sources.pforte : t.fromDirectory(user.directory);
}
