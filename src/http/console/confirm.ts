/**
 * The page that asks before an action a section cannot take back (creating a key,
 * revoking one, removing a service): the question, the form that does it with the page's
 * CSRF token and the fields it carries, and the way back.
 */
import { chromeTexts } from '../../text/console/chrome.js';
import { html, type SafeHtml } from '../../text/html.js';
import type { Operator } from './kit.js';

export interface Confirmation {
  title: string;
  question: string;
  note?: string;
  /** Where the confirmed form posts. */
  action: string;
  button: string;
  danger?: boolean;
  fields?: Record<string, string>;
  /** Where "Cancel" leads: the section's list. */
  cancel: string;
}

export function confirmPage(operator: Operator, confirm: Confirmation): SafeHtml {
  const c = chromeTexts[operator.lang];
  return html`<h1>${confirm.title}</h1>
    <p>${confirm.question}</p>
    ${confirm.note ? html`<p class="muted">${confirm.note}</p>` : ''}
    <form class="actions-bar" method="post" action="${confirm.action}">
      <input type="hidden" name="_csrf" value="${operator.csrfToken}" />
      ${Object.entries(confirm.fields ?? {}).map(
        ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
      )}
      <button type="submit" class="button ${confirm.danger ? 'button-danger' : ''}">
        ${confirm.button}
      </button>
      <a class="button" href="${confirm.cancel}">${c.cancel}</a>
    </form>`;
}
