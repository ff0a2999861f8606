/**
 * Temporary access on a user's page: what works now, a form to issue a code (hours,
 * sign-ins), the answer page that shows the code this once (to read out on the phone),
 * and ending it early. The core (temporary/temporary-access.ts) decides and audits.
 */
import type { FastifyInstance } from 'fastify';
import {
  endTemporaryAccessNow,
  issueTemporaryAccess,
  latestTemporaryAccess,
} from '../../temporary/temporary-access.js';
import { temporaryTexts } from '../../text/console/temporary.js';
import { html, type SafeHtml } from '../../text/html.js';
import { getUser, getUserRow, type User } from '../../users/users.js';
import { formatTime, shownOnce } from './format.js';
import type { ConsoleKit, Operator } from './kit.js';
import { postButton, userPath } from './user-page-actions.js';

/** The section of a user's page; empty for a role that may not issue codes. */
export async function temporarySection(
  kit: ConsoleKit,
  operator: Operator,
  user: User,
): Promise<SafeHtml | ''> {
  if (!operator.may('tokens.temporary')) return '';
  const t = temporaryTexts[operator.lang];
  const policy = kit.core.config.temporaryAccess;
  const latest = await latestTemporaryAccess(
    kit.core,
    (await getUserRow(kit.core, user.username)).id,
  );
  const state = !latest
    ? t.none
    : latest.live
      ? t.live(latest.usesLeft, formatTime(operator.lang, latest.expiresAt), latest.createdBy)
      : t.ended(t.endReasons[latest.endReason ?? 'used'] ?? t.endReasons.used!);
  const form = !policy.enabled
    ? html`<p>${t.off}</p>`
    : user.disabled
      ? ''
      : html`<form method="post" action="${userPath(user.username, 'temporary')}" class="inline">
          <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
          <div>
            <label for="temporary-hours">${t.hours}</label>
            <input
              type="number"
              id="temporary-hours"
              name="hours"
              min="1"
              max="${policy.maxHours}"
              value="${policy.defaultHours}"
              required
            />
          </div>
          <div>
            <label for="temporary-uses">${t.uses}</label>
            <input
              type="number"
              id="temporary-uses"
              name="uses"
              min="1"
              max="1000"
              value="${policy.defaultUses}"
              required
            />
          </div>
          <button type="submit" class="button button-small">${t.issue}</button>
        </form>`;
  return html`<section aria-labelledby="temporary">
    <h2 id="temporary">${t.title}</h2>
    <p class="muted">${t.explain}</p>
    <p>${state}</p>
    <div class="actions-bar">
      ${form}
      ${latest?.live ? postButton(operator, userPath(user.username, 'temporary', 'end'), t.end) : ''}
    </div>
  </section>`;
}

/** A whole number from a form field, or NaN (the core says what is allowed). */
function count(field: string): number {
  return /^\d{1,4}$/.test(field) ? Number(field) : Number.NaN;
}

export function temporaryRoutes(kit: ConsoleKit) {
  return (app: FastifyInstance) => {
    app.post<{ Params: { username: string } }>(
      '/users/:username/temporary',
      { schema: { hide: true } },
      async (request, reply) => {
        const operator = await kit.operator(request, reply, 'tokens.temporary');
        if (!operator) return reply;
        const form = kit.form(request, reply, { hours: 4, uses: 4 });
        if (!form) return reply;
        const user = await getUser(kit.core, request.params.username);
        const hours = count(form.hours);
        const issued = await issueTemporaryAccess(kit.core, operator.caller, user.username, {
          hours,
          uses: count(form.uses),
        });
        const t = temporaryTexts[operator.lang];
        const body = html`<h1>${t.issuedTitle}</h1>
          <p>${t.readOut(`${user.name} (${user.username})`)}</p>
          ${shownOnce('temporary-code', issued.code, t)}
          <p>
            ${t.validFor(issued.uses, hours, formatTime(operator.lang, issued.expiresAt))}
            ${t.endsWhenNewToken}
          </p>
          <p><a class="button" href="${userPath(user.username)}">${t.back}</a></p>`;
        return kit.page(reply, operator, 201, { title: t.issuedTitle, section: 'users', body });
      },
    );
    app.post<{ Params: { username: string } }>(
      '/users/:username/temporary/end',
      { schema: { hide: true } },
      async (request, reply) => {
        const operator = await kit.operator(request, reply, 'tokens.temporary');
        if (!operator) return reply;
        if (!kit.form(request, reply, {})) return reply;
        const user = await getUser(kit.core, request.params.username);
        await endTemporaryAccessNow(kit.core, operator.caller, user.username);
        return reply.redirect(`${userPath(user.username)}?done=temporary-ended`, 303);
      },
    );
  };
}
