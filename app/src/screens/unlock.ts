/**
 * Opening a token: its PIN every time (DESIGN.md section 5). A wrong PIN says how many
 * attempts are left; the last one wipes the token and says how to get a new one.
 * "Forgot PIN?" explains how to set the token up again (forgot-pin.ts). Renaming and
 * deleting (after a confirmation) are here too.
 */
import {
  normalizeTokenName,
  openToken,
  renameToken,
  type StoredToken,
} from '../../../src/authenticator/keychain.js';
import { storage } from '../context.js';
import { alertBox, field, form, h } from '../dom.js';
import { t } from '../i18n.js';
import { go, screen } from '../navigate.js';
import { pinField } from '../pin-field.js';
import { deleteDialog, dialog } from '../token-dialogs.js';
import { show, whileBusy, type Screen } from '../ui.js';

export async function unlockScreen(id: string): Promise<Screen> {
  const text = t();
  const token = await storage.get(id);
  if (!token) return screen('tokens');
  const alert = alertBox();
  const pin = pinField(text.pin, { maxLength: 64 }, text.unlockIntro);
  const button = h('button', { type: 'submit', class: 'primary' }, text.open);

  const open = async () => {
    const entered = pin.input.value;
    if (entered === '') return pin.input.focus();
    pin.input.value = '';
    pin.input.readOnly = true;
    button.disabled = true;
    button.textContent = text.opening;
    const result = await whileBusy(() => openToken(storage, id, entered));
    pin.input.readOnly = false;
    switch (result.outcome) {
      case 'open':
        return void go('passcode', result.token, result.seed);
      case 'wiped':
        return void show(() => wipedScreen(result.name, token.maxAttempts));
      case 'missing':
        return void go('tokens');
      case 'wrong_pin':
        button.disabled = false;
        button.textContent = text.open;
        alert.say(text.wrongPin(result.attemptsLeft));
        pin.input.focus();
    }
  };

  return {
    title: token.name,
    body: [
      h('p', { class: 'token-serial' }, text.serial(token.serial)),
      form(open, pin.wrapper, alert.element, button),
      h(
        'button',
        { type: 'button', class: 'link', onclick: () => void go('forgotPin', token.id) },
        text.forgotPin,
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => renameDialog(token) },
          text.rename,
        ),
        h(
          'button',
          { type: 'button', class: 'danger', onclick: () => deleteDialog(token) },
          text.delete,
        ),
      ),
      h(
        'button',
        { type: 'button', class: 'link', onclick: () => void go('tokens') },
        text.backToTokens,
      ),
    ],
    focus: pin.input,
  };
}

function wipedScreen(name: string, attempts: number): Screen {
  const text = t();
  return {
    title: text.wipedTitle,
    body: [
      h('p', { role: 'alert' }, text.wiped(name, attempts)),
      h(
        'button',
        { type: 'button', class: 'primary', onclick: () => void go('tokens') },
        text.backToTokens,
      ),
    ],
  };
}

function renameDialog(token: StoredToken): void {
  const text = t();
  const alert = alertBox();
  const name = field(text.tokenName, {
    type: 'text',
    value: token.name,
    autocomplete: 'off',
    maxlength: 64,
  });
  const element = dialog(
    text.renameTitle,
    form(
      async () => {
        const normalized = normalizeTokenName(name.input.value);
        if (!normalized) return alert.say(text.nameMissing);
        await renameToken(storage, token.id, normalized);
        element.close();
        void go('unlock', token.id);
      },
      name.wrapper,
      alert.element,
      h('button', { type: 'submit', class: 'primary' }, text.save),
      h('button', { type: 'button', class: 'link', onclick: () => element.close() }, text.cancel),
    ),
  );
  name.input.select();
}
