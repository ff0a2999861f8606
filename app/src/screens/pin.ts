/**
 * Set the PIN, twice (DESIGN.md section 5). The server's policy gives the length; PINs
 * anyone would try first are refused with the reason. Then the seed is locked under the
 * PIN, kept, and the first passcode shown.
 */
import type { ActivatedToken } from '../../../src/authenticator/activate.js';
import { addToken } from '../../../src/authenticator/keychain.js';
import { checkPin } from '../../../src/authenticator/pin-policy.js';
import { storage } from '../context.js';
import { alertBox, field, h } from '../dom.js';
import { t } from '../i18n.js';
import { show, type Screen } from '../ui.js';
import { passcodeScreen } from './passcode.js';

/** The attributes of every PIN field: digits on the phone's keyboard, never remembered. */
export function pinField(label: string, policy: { maxLength: number }, hint?: string) {
  return field(
    label,
    {
      type: 'password',
      inputmode: 'numeric',
      pattern: '[0-9]*',
      autocomplete: 'off',
      maxlength: policy.maxLength,
      required: true,
    },
    hint,
  );
}

export function pinScreen(token: ActivatedToken, name: string): Screen {
  const text = t();
  const alert = alertBox();
  const pin = pinField(
    text.pin,
    token.pin,
    text.pinIntro(token.pin.minLength, token.pin.maxLength),
  );
  const confirm = pinField(text.confirmPin, token.pin);
  const button = h('button', { type: 'submit', class: 'primary' }, text.setPin);

  const save = async () => {
    const problem = checkPin(pin.input.value, token.pin);
    if (problem) {
      alert.say(text.pinProblems[problem]);
      pin.input.focus();
      return;
    }
    if (confirm.input.value !== pin.input.value) {
      alert.say(text.pinMismatch);
      confirm.input.value = '';
      confirm.input.focus();
      return;
    }
    alert.say(undefined);
    button.disabled = true;
    button.textContent = text.protecting;
    const stored = await addToken(storage, token, name, pin.input.value);
    void show(() => passcodeScreen(stored, token.seed, { first: true }));
  };

  return {
    title: text.pinTitle,
    body: [
      h(
        'form',
        {
          novalidate: true,
          onsubmit: (event: Event) => {
            event.preventDefault();
            void save();
          },
        },
        pin.wrapper,
        confirm.wrapper,
        alert.element,
        button,
      ),
    ],
    focus: pin.input,
  };
}
