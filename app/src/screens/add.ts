/** Import: paste or type the enrollment string, or scan the enrollment page's QR code. */
import { readEnrollmentInput } from '../../../src/authenticator/enrollment-input.js';
import { alertBox, field, form, h } from '../dom.js';
import { t } from '../i18n.js';
import { show, type Screen } from '../ui.js';
import { activateScreen } from './activate.js';
import { scanScreen } from './scan.js';
import { tokensScreen } from './tokens.js';

/** Says why `input` is not an enrollment, or goes on to naming and activating it. */
export function importFrom(input: string, problem: (text: string) => void): void {
  const text = t();
  const read = readEnrollmentInput(input, location.origin);
  if (read.ok) {
    // One draft for every rendering of the screen: a language switch keeps what was typed.
    const draft = { code: read.code };
    void show(() => activateScreen(draft));
    return;
  }
  problem(
    read.problem === 'empty'
      ? text.inputEmpty
      : read.problem === 'other_server'
        ? text.inputOtherServer(read.host)
        : text.inputMalformed,
  );
}

/** `problem`: what was wrong with an enrollment link the app was opened with. */
export function addScreen(typed = '', problem?: string): Screen {
  const text = t();
  const alert = alertBox();
  alert.say(problem);
  const { wrapper, input } = field(text.enrollmentString, {
    type: 'text',
    value: typed,
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    enterkeyhint: 'next',
  });
  const importForm = form(
    () =>
      importFrom(input.value, (problem) => {
        alert.say(problem);
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }),
    wrapper,
    alert.element,
    h('button', { type: 'submit', class: 'primary' }, text.continue),
  );
  return {
    title: text.addTitle,
    body: [
      h('p', {}, text.addIntro),
      importForm,
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: () => void show(() => scanScreen()) },
        text.scan,
      ),
      h(
        'button',
        { type: 'button', class: 'link', onclick: () => void show(tokensScreen) },
        text.cancel,
      ),
    ],
    focus: input,
  };
}
