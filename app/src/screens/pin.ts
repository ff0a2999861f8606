/**
 * Set the PIN, twice (DESIGN.md section 5). The server's policy gives the length; PINs
 * anyone would try first are refused with the reason. Then the held seed is locked
 * under the PIN and the first passcode shown.
 */
import { protectToken, type StoredToken } from '../../../src/authenticator/keychain.js';
import { checkPin } from '../../../src/authenticator/pin-policy.js';
import { storage } from '../context.js';
import { alertBox, form, h } from '../dom.js';
import { t } from '../i18n.js';
import { go } from '../navigate.js';
import { pinField } from '../pin-field.js';
import { whileBusy, type Screen } from '../ui.js';

export function pinScreen(held: StoredToken): Screen {
  const text = t();
  const policy = held.pinPolicy;
  const alert = alertBox();
  const pin = pinField(text.pin, policy, text.pinIntro(policy.minLength, policy.maxLength));
  const confirm = pinField(text.confirmPin, policy);
  const button = h('button', { type: 'submit', class: 'primary' }, text.setPin);

  const save = async () => {
    const problem = checkPin(pin.input.value, policy);
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
    const kept = await whileBusy(() =>
      protectToken(storage, held.id, pin.input.value).catch(() => null),
    );
    if (kept === undefined) return void go('tokens'); // deleted meanwhile
    if (kept === null) {
      button.disabled = false;
      button.textContent = text.setPin;
      alert.say(text.unexpected);
      return;
    }
    void go('passcode', kept.token, kept.seed, { first: true });
  };

  return {
    title: text.pinTitle,
    body: [form(save, pin.wrapper, confirm.wrapper, alert.element, button)],
    focus: pin.input,
  };
}
