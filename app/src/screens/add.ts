/** Import: paste or type the enrollment string, or scan the enrollment page's QR code. */
import { alertBox, field, form, h } from '../dom.js';
import { t } from '../i18n.js';
import { importFrom } from '../import-enrollment.js';
import { go } from '../navigate.js';
import type { Screen } from '../ui.js';

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
        { type: 'button', class: 'secondary', onclick: () => void go('scan') },
        text.scan,
      ),
      h('button', { type: 'button', class: 'link', onclick: () => void go('tokens') }, text.cancel),
    ],
    focus: input,
  };
}
