/**
 * Name the token and activate it (DESIGN.md section 4): the imported enrollment string
 * is shown with "Activate". The seed is derived, then kept on the phone (held under a
 * device key) *before* the server is told the activation is complete, so a reload or a
 * closed app afterwards loses nothing. A failure says what to do next and keeps the name
 * and the string; after a lost connection "Activate" only repeats the confirmation.
 */
import {
  beginActivation,
  confirmActivation,
  type ActivationFailure,
} from '../../../src/authenticator/activate.js';
import {
  holdToken,
  markConfirmed,
  normalizeTokenName,
  renameToken,
  type StoredToken,
} from '../../../src/authenticator/keychain.js';
import { groupActivationCode } from '../../../src/protocol/code.js';
import { organisation, storage } from '../context.js';
import { alertBox, field, form, h } from '../dom.js';
import { t } from '../i18n.js';
import type { Draft } from '../draft.js';
import { go } from '../navigate.js';
import { show, whileBusy, type Screen } from '../ui.js';

type Outcome = { ok: true; held: StoredToken } | { ok: false; reason: ActivationFailure | 'error' };

async function activate(draft: Draft, name: string): Promise<Outcome> {
  if (!draft.pending) {
    const begun = await beginActivation(location.origin, draft.code);
    if (!begun.ok) return begun;
    const held = await holdToken(storage, begun.started.token, name);
    draft.pending = { started: begun.started, held };
  }
  const { started, held } = draft.pending;
  const confirmed = await confirmActivation(started);
  if (!confirmed.ok) {
    if (confirmed.reason !== 'network') {
      // The server will not take this activation: the held seed is of no use.
      await storage.delete(held.id);
      draft.pending = undefined;
    }
    return confirmed;
  }
  draft.pending = undefined;
  // The name may have been changed while the connection was gone.
  await renameToken(storage, held.id, name);
  return { ok: true, held: (await markConfirmed(storage, held.id)) ?? held };
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

  const submit = async () => {
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
    const outcome = await whileBusy(() =>
      activate(draft, name).catch((): Outcome => ({
        ok: false,
        reason: 'error',
      })),
    );
    if (outcome.ok) {
      void show(() => activatedScreen(outcome.held));
      return;
    }
    button.disabled = false;
    button.textContent = text.activate;
    alert.say(outcome.reason === 'error' ? text.unexpected : text.failures[outcome.reason]);
  };

  return {
    title: text.nameTitle,
    body: [
      form(
        submit,
        wrapper,
        h(
          'div',
          { class: 'field' },
          h('p', { class: 'label' }, text.importedString),
          h('p', { class: 'code' }, groupActivationCode(draft.code)),
        ),
        alert.element,
        button,
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () => void go('add', groupActivationCode(draft.code)),
        },
        text.back,
      ),
    ],
    focus: input,
  };
}

function activatedScreen(held: StoredToken): Screen {
  const text = t();
  return {
    title: text.activatedTitle,
    body: [
      h('p', {}, text.activatedIntro),
      h(
        'button',
        { type: 'button', class: 'primary', onclick: () => void go('pin', held) },
        text.continue,
      ),
    ],
  };
}
