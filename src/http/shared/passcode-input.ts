/**
 * The field a passcode is typed into, on every page that asks for one: digits on a
 * phone's keypad (`inputmode`), offered by browsers as a one-time code (`autocomplete`),
 * named `otp` as the forms post it.
 */
import { html, type SafeHtml } from '../../text/html.js';

export function passcodeInput(options: {
  /** 6 where only the default tokens can answer; 8 where any token may. */
  maxDigits: number;
  /** More attributes: described-by, invalid, autofocus. */
  attributes?: SafeHtml | '';
}): SafeHtml {
  const pattern = options.maxDigits === 6 ? '[0-9]{6}' : '[0-9]*';
  return html`<input
    id="otp"
    name="otp"
    type="text"
    inputmode="numeric"
    autocomplete="one-time-code"
    pattern="${pattern}"
    maxlength="${String(options.maxDigits)}"
    required
    ${options.attributes ?? ''}
  />`;
}
