/**
 * Name the token and activate it (DESIGN.md section 4): the imported enrollment string
 * is shown with "Activate". A failure says what to do next and keeps the name and the
 * string, so "Activate" can simply be tapped again.
 */
import { activateToken, type ActivatedToken } from '../../../src/authenticator/activate.js';
import { normalizeTokenName } from '../../../src/authenticator/keychain.js';
import { groupActivationCode } from '../../../src/enrollment/code.js';
import { organisation } from '../context.js';
import { alertBox, field, h } from '../dom.js';
import { t } from '../i18n.js';
import { show, type Screen } from '../ui.js';
import { addScreen } from './add.js';
import { pinScreen } from './pin.js';

export interface Draft {
  code: string;
  name?: string;
}

export function activateScreen(draft: Draft): Screen {
  const text = t();
  const alert = alertBox();
  const { wrapper, input } = field(
    text.tokenName,
    {
      type: 'text',
      value: draft.name ?? organisation,
      autocomplete: 'off',
      maxlength: 64,
      oninput: () => (draft.name = input.value),
    },
    text.tokenNameHint,
  );
  const button = h('button', { type: 'submit', class: 'primary' }, text.activate);
  const form = h(
    'form',
    {
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        void activate();
      },
    },
    wrapper,
    h(
      'div',
      { class: 'field' },
      h('p', { class: 'label' }, text.importedString),
      h('p', { class: 'code' }, groupActivationCode(draft.code)),
    ),
    alert.element,
    button,
  );

  const activate = async () => {
    const name = normalizeTokenName(input.value);
    if (!name) {
      alert.say(text.nameMissing);
      input.focus();
      return;
    }
    draft.name = name;
    alert.say(undefined);
    button.disabled = true;
    button.textContent = text.activating;
    const result = await activateToken(location.origin, draft.code);
    if (result.ok) {
      void show(() => activatedScreen(result.token, name));
      return;
    }
    button.disabled = false;
    button.textContent = text.activate;
    alert.say(text.failures[result.reason]);
  };

  return {
    title: text.nameTitle,
    body: [
      form,
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () => void show(() => addScreen(groupActivationCode(draft.code))),
        },
        text.back,
      ),
    ],
    focus: input,
  };
}

function activatedScreen(token: ActivatedToken, name: string): Screen {
  const text = t();
  return {
    title: text.activatedTitle,
    body: [
      h('p', {}, text.activatedIntro),
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: () => void show(() => pinScreen(token, name)),
        },
        text.continue,
      ),
    ],
  };
}
