/**
 * `GET /admin/users/:username`: one user as the help desk needs them: profile and
 * source, role, tokens, enrollments (paged) with their mail, the latest events, and the
 * actions the operator's role allows (each a form posting to user-actions.ts).
 */
import type { FastifyInstance } from 'fastify';
import { listAudit, type AuditEvent } from '../../audit/record.js';
import { listEnrollments, type Enrollment } from '../../enrollment/enrollments.js';
import { readCursor } from '../../store/paging.js';
import { listTokens } from '../../tokens/tokens.js';
import type { Token } from '../../tokens/view.js';
import { chromeTexts } from '../../text/console/chrome.js';
import { DONE, userActionsTexts, type Done } from '../../text/console/user-actions.js';
import { overviewTexts as stateTexts } from '../../text/console/overview.js';
import { usersTexts } from '../../text/console/users.js';
import { html, type SafeHtml } from '../../text/html.js';
import { getUser, type User } from '../../users/users.js';
import { formatTime } from './format.js';
import type { ConsoleKit, Operator } from './kit.js';
import { temporarySection } from './temporary-access.js';
import { sourceOf } from './user-list.js';
import { enrollmentActions, tokenActions, userActions } from './user-page-actions.js';

/** Enrollments shown at once; older ones are a page further. */
const ENROLLMENTS_SHOWN = 20;
/** The issue's "last 50 audit events"; the audit section shows the rest. */
const EVENTS_SHOWN = 50;
/** More tokens than one person carries; a page of the core's list. */
const TOKENS_SHOWN = 100;

export function userPageRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    app.get<{ Params: { username: string }; Querystring: Record<string, unknown> }>(
      '/users/:username',
      { schema: { hide: true } },
      async (request, reply) => {
        const operator = await kit.operator(request, reply, 'users.read');
        if (!operator) return reply;
        const user = await getUser(kit.core, request.params.username);
        const older = request.query.enrollments;
        const enrollmentCursor = typeof older === 'string' ? older : undefined;
        // A cursor that is not this list's is a 400 page before anything is read.
        readCursor(enrollmentCursor, ['number', 'string'] as const);
        const [tokens, enrollments, events] = await Promise.all([
          listTokens(kit.core, { username: user.username, limit: TOKENS_SHOWN }),
          listEnrollments(kit.core, {
            username: user.username,
            limit: ENROLLMENTS_SHOWN,
            ...(enrollmentCursor ? { cursor: enrollmentCursor } : {}),
          }),
          listAudit(kit.core, { username: user.username, limit: EVENTS_SHOWN }),
        ]);
        const done = request.query.done;
        const body = html`<h1>${user.name} (${user.username})</h1>
          ${
            typeof done === 'string' && (DONE as readonly string[]).includes(done)
              ? html`<p class="notice" role="status">
                  ${userActionsTexts[operator.lang].done[done as Done]}
                </p>`
              : ''
          }
          ${profile(operator, user)} ${tokenSection(operator, user, tokens.items)}
          ${await temporarySection(kit, operator, user)}
          ${enrollmentSection(operator, user, enrollments.items, enrollments.next)}
          ${eventSection(operator, user, events.items)}`;
        return kit.page(reply, operator, 200, { title: user.username, section: 'users', body });
      },
    );
  };
}

function profile(operator: Operator, user: User): SafeHtml {
  const t = usersTexts[operator.lang];
  const row = (term: string, value: string | SafeHtml) =>
    html`<dt>${term}</dt>
      <dd>${value}</dd>`;
  return html`<section aria-labelledby="profile">
    <h2 id="profile">${t.profile}</h2>
    <dl class="details">
      ${row(t.columns.username, user.username)} ${row(t.columns.name, user.name)}
      ${row(t.columns.email, user.email)} ${row(t.language, t.languages[user.lang])}
      ${row(t.columns.source, sourceOf(t, user))}
      ${row(t.columns.role, t.roles[user.role ?? 'none'])}
      ${row(t.columns.state, t.states[user.disabled ? 'disabled' : 'enabled'])}
      ${row(t.columns.lastSignIn, formatTime(operator.lang, user.lastSignInAt))}
      ${row(t.createdAt, formatTime(operator.lang, user.createdAt))}
    </dl>
    ${userActions(operator, user)}
  </section>`;
}

function tokenSection(operator: Operator, user: User, tokens: Token[]): SafeHtml {
  const t = usersTexts[operator.lang];
  const c = t.tokenColumns;
  const lang = operator.lang;
  const states = stateTexts[lang];
  return html`<section aria-labelledby="tokens">
    <h2 id="tokens">${t.tokens}</h2>
    ${
      tokens.length === 0
        ? html`<p>${t.noTokens}</p>`
        : html`<div class="table-wrap" tabindex="0">
            <table class="list">
              <thead>
                <tr>
                  ${[c.serial, c.description, c.type, c.state, c.enrolled, c.lastUsed]
                    .concat([c.failures, c.lockedUntil, c.actions])
                    .map((name) => html`<th scope="col">${name}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${tokens.map(
                  (token) =>
                    html`<tr>
                      <td>${token.serial}</td>
                      <td>${token.description || chromeTexts[lang].none}</td>
                      <td>${token.type.toUpperCase()}</td>
                      <td>
                        <span class="state state-${token.state}"
                          >${states.tokenStates[token.state]}</span
                        >
                      </td>
                      <td>${formatTime(lang, token.createdAt)}</td>
                      <td>${formatTime(lang, token.lastUsedAt)}</td>
                      <td>${token.failCount}</td>
                      <td>
                        ${
                          token.state !== 'locked'
                            ? chromeTexts[lang].none
                            : token.lockedUntil
                              ? formatTime(lang, token.lockedUntil)
                              : t.untilUnlocked
                        }
                      </td>
                      <td class="actions">${tokenActions(operator, user, token)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

function enrollmentSection(
  operator: Operator,
  user: User,
  enrollments: Enrollment[],
  next: string | undefined,
): SafeHtml {
  const t = usersTexts[operator.lang];
  const c = t.enrollmentColumns;
  const lang = operator.lang;
  const states = stateTexts[lang];
  const base = `/admin/users/${encodeURIComponent(user.username)}`;
  return html`<section aria-labelledby="enrollments">
    <h2 id="enrollments">${t.enrollments}</h2>
    ${enrollmentActions(operator, user, undefined)}
    ${
      enrollments.length === 0
        ? html`<p>${t.noEnrollments}</p>`
        : html`<div class="table-wrap" tabindex="0">
            <table class="list">
              <thead>
                <tr>
                  ${[c.id, c.state, c.started, c.expires, c.mail, c.token, c.actions].map(
                    (name) => html`<th scope="col">${name}</th>`,
                  )}
                </tr>
              </thead>
              <tbody>
                ${enrollments.map(
                  (e) =>
                    html`<tr>
                      <td>${e.id}</td>
                      <td>
                        <span class="state state-${e.state}"
                          >${states.enrollmentStates[e.state]}</span
                        >
                      </td>
                      <td>${formatTime(lang, e.createdAt)}</td>
                      <td>${formatTime(lang, e.expiresAt)}</td>
                      <td>
                        ${
                          e.mail
                            ? html`<span class="state state-${e.mail.state}"
                                  >${t.mailStates[e.mail.state]}</span
                                >${e.mail.lastError ? html` <span class="muted">${e.mail.lastError}</span>` : ''}`
                            : t.noMail
                        }
                      </td>
                      <td>${e.tokenSerial ?? chromeTexts[lang].none}</td>
                      <td class="actions">${enrollmentActions(operator, user, e)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
    ${
      next
        ? html`<p>
            <a href="${base}?enrollments=${encodeURIComponent(next)}#enrollments"
              >${t.moreEnrollments}</a
            >
          </p>`
        : ''
    }
  </section>`;
}

function eventSection(operator: Operator, user: User, events: AuditEvent[]): SafeHtml {
  const t = usersTexts[operator.lang];
  const c = t.eventColumns;
  const lang = operator.lang;
  return html`<section aria-labelledby="events">
    <h2 id="events">${t.events}</h2>
    ${
      events.length === 0
        ? html`<p>${t.noEvents}</p>`
        : html`<div class="table-wrap" tabindex="0">
            <table class="list">
              <thead>
                <tr>
                  ${[c.at, c.action, c.outcome, c.actor, c.face, c.address, c.serial].map(
                    (name) => html`<th scope="col">${name}</th>`,
                  )}
                </tr>
              </thead>
              <tbody>
                ${events.map(
                  (e) =>
                    html`<tr>
                      <td>${formatTime(lang, e.at)}</td>
                      <td>
                        ${e.action}${e.reason ? html` <span class="muted">(${e.reason})</span>` : ''}
                      </td>
                      <td><span class="state state-${e.outcome}">${e.outcome}</span></td>
                      <td>${e.actor}</td>
                      <td>${e.face}</td>
                      <td>${e.address}</td>
                      <td>${e.serial || chromeTexts[lang].none}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
    ${
      operator.may('audit.read')
        ? html`<p>
            <a href="/admin/audit?user=${encodeURIComponent(user.username)}">${t.allEvents}</a>
          </p>`
        : ''
    }
  </section>`;
}
