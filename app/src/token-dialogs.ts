/**
 * The app's modal dialogs, and the one that deletes a token after asking: from the
 * PIN screen, and from the passcode screen once the server said the token is replaced.
 */
import type { StoredToken } from '../../src/authenticator/keychain.js';
import { storage } from './context.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { go } from './navigate.js';

/** A modal dialog: focus stays inside, Escape cancels, and it removes itself when closed. */
export function dialog(title: string, ...content: Node[]): HTMLDialogElement {
  const heading = h('h2', { id: 'dialog-title' }, title);
  const element = h('dialog', { 'aria-labelledby': 'dialog-title' }, heading, ...content);
  element.addEventListener('close', () => element.remove());
  document.body.append(element);
  element.showModal();
  return element;
}

/** Asks before deleting `token` from this phone; the token list follows. */
export function deleteDialog(token: StoredToken): void {
  const text = t();
  const element = dialog(
    text.deleteTitle,
    h('p', {}, text.deleteQuestion(token.name)),
    h(
      'button',
      {
        type: 'button',
        class: 'danger',
        onclick: async () => {
          await storage.delete(token.id);
          element.close();
          void go('tokens');
        },
      },
      text.delete,
    ),
    h('button', { type: 'button', class: 'link', onclick: () => element.close() }, text.cancel),
  );
}
