/**
 * The forms on a user's page, only those the operator's role may use: each posts to its
 * action (user-actions.ts) with the page's CSRF token; the dangerous ones (revoke, remove,
 * a role) lead to their confirmation page first.
 */
import type { Enrollment } from '../../enrollment/enrollments.js';
import type { Token } from '../../tokens/view.js';
import { userActionsTexts } from '../../text/console/user-actions.js';
import { usersTexts } from '../../text/console/users.js';
import { html, type SafeHtml } from '../../text/html.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../users/fields.js';
import { ROLES } from '../../users/roles.js';
import type { User } from '../../users/users.js';
import type { Operator } from './kit.js';

/** The address of a user's page, and of what hangs below it. */
export function userPath(username: string, ...below: string[]): string {
  return ['/admin/users', encodeURIComponent(username), ...below.map(encodeURIComponent)].join('/');
}

/** A form of one button that posts to `action`. */
export function postButton(
  operator: Operator,
  action: string,
  label: string,
  danger = false,
): SafeHtml {
  return html`<form method="post" action="${action}" class="inline">
    <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
    <button type="submit" class="button button-small ${danger ? 'button-danger' : ''}">
      ${label}
    </button>
  </form>`;
}

export function userActions(operator: Operator, user: User): SafeHtml {
  const a = userActionsTexts[operator.lang];
  const t = usersTexts[operator.lang];
  const forms: SafeHtml[] = [];
  if (operator.may('users.write')) {
    forms.push(
      user.disabled
        ? postButton(operator, userPath(user.username, 'enable'), a.enable)
        : postButton(operator, userPath(user.username, 'disable'), a.disable),
    );
  }
  if (operator.may('roles.write')) {
    forms.push(
      html`<form method="get" action="${userPath(user.username, 'role')}" class="inline">
        <div>
          <label for="new-role">${a.newRole}</label>
          <select id="new-role" name="role">
            ${[...ROLES, 'none' as const].map(
              (role) =>
                html`<option
                  value="${role}"
                  ${(user.role ?? 'none') === role ? html`selected` : ''}
                >
                  ${t.roles[role]}
                </option>`,
            )}
          </select>
        </div>
        <button type="submit" class="button button-small">${a.changeRole}</button>
      </form>`,
    );
  }
  if (operator.may('users.remove')) {
    forms.push(
      html`<a class="button button-small button-danger" href="${userPath(user.username, 'remove')}"
        >${a.remove}</a
      >`,
    );
  }
  const password =
    operator.may('users.write') && user.directory === null
      ? html`<form method="post" action="${userPath(user.username, 'password')}" class="inline">
          <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
          ${(['password', 'repeat'] as const).map(
            (name) =>
              html`<div>
                <label for="new-${name}"
                  >${name === 'password' ? a.password : a.passwordRepeat}</label
                >
                <input
                  type="password"
                  id="new-${name}"
                  name="${name}"
                  minlength="${PASSWORD_MIN}"
                  maxlength="${PASSWORD_MAX}"
                  autocomplete="new-password"
                  required
                />
              </div>`,
          )}
          <button type="submit" class="button button-small">${a.setPassword}</button>
        </form>`
      : '';
  return forms.length === 0 && !password
    ? html``
    : html`<div class="actions-bar">${forms}</div>
        ${password}`;
}

export function tokenActions(operator: Operator, user: User, token: Token): SafeHtml {
  const a = userActionsTexts[operator.lang];
  const at = (action: string) => userPath(user.username, 'tokens', token.serial, action);
  const forms: SafeHtml[] = [];
  if (token.state === 'locked' && operator.may('tokens.unlock')) {
    forms.push(postButton(operator, at('unlock'), a.unlock));
  }
  if (token.state !== 'revoked' && token.state !== 'pending' && operator.may('tokens.resync')) {
    const code = (name: string, label: string) =>
      html`<div>
        <label for="${name}-${token.serial}">${label}</label>
        <input
          type="text"
          id="${name}-${token.serial}"
          name="${name}"
          inputmode="numeric"
          pattern="[0-9]{${token.digits}}"
          maxlength="${token.digits}"
          size="${token.digits + 1}"
          autocomplete="off"
          required
        />
      </div>`;
    forms.push(
      html`<form method="post" action="${at('resync')}" class="inline" title="${a.resyncHint}">
        <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
        ${code('code1', a.resyncFirst)} ${code('code2', a.resyncSecond)}
        <button type="submit" class="button button-small">${a.resync}</button>
      </form>`,
    );
  }
  if (token.state !== 'revoked' && operator.may('tokens.revoke')) {
    forms.push(
      html`<a class="button button-small button-danger" href="${at('revoke')}">${a.revoke}</a>`,
    );
  }
  return html`${forms}`;
}

/** Without an enrollment: starting one; with one: what its state allows. */
export function enrollmentActions(
  operator: Operator,
  user: User,
  enrollment: Enrollment | undefined,
): SafeHtml {
  const a = userActionsTexts[operator.lang];
  if (!enrollment) {
    return operator.may('enrollments.start') && !user.disabled
      ? html`<div class="actions-bar">
          ${postButton(operator, userPath(user.username, 'enrollments'), a.startEnrollment)}
        </div>`
      : html``;
  }
  if (enrollment.state !== 'open') return html``;
  const at = (action: string) => userPath(user.username, 'enrollments', enrollment.id, action);
  return html`${
    operator.may('enrollments.resend') ? postButton(operator, at('resend'), a.resend) : ''
  }
  ${operator.may('enrollments.cancel') ? postButton(operator, at('cancel'), a.cancel) : ''}`;
}
