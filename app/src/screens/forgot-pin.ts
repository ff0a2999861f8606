/**
 * "Forgot PIN?" (issue 13, item 6): a PIN cannot be looked up or reset — it exists only
 * in the user's head and locks the seed on this phone — so the token must be set up
 * again: "Set up a new phone" on the portal's My access page, or through the help desk.
 */
import { brand, portalAccessUrl } from '../brand.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { go } from '../navigate.js';
import type { Screen } from '../ui.js';

export function forgotPinScreen(id: string): Screen {
  const text = t();
  return {
    title: text.forgotTitle,
    body: [
      h('p', {}, text.forgotIntro),
      h('p', {}, text.forgotPortal),
      h('a', { class: 'button-link', href: portalAccessUrl() }, text.forgotToPortal),
      h('p', { class: 'hint' }, text.forgotHelpDesk(brand.contact)),
      h(
        'button',
        { type: 'button', class: 'link', onclick: () => void go('unlock', id) },
        text.back,
      ),
    ],
  };
}
