/** The start screen: the tokens on this phone, and "Add token". */
import { brand } from '../brand.js';
import { h } from '../dom.js';
import { storage } from '../context.js';
import { t } from '../i18n.js';
import { needsHomeScreenInstall } from '../platform.js';
import { go } from '../navigate.js';
import type { Screen } from '../ui.js';

export async function tokensScreen(): Promise<Screen> {
  const text = t();
  if (needsHomeScreenInstall()) return installFirstScreen();
  const tokens = await storage.list();
  const list =
    tokens.length === 0
      ? h('p', { class: 'empty' }, text.noTokens)
      : h(
          'ul',
          { class: 'tokens' },
          ...tokens.map((token) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'token',
                  // A token activated but left before its PIN was set: set it now.
                  onclick: () => void (token.held ? go('pin', token) : go('unlock', token.id)),
                },
                h('span', { class: 'token-name' }, token.name),
                h(
                  'span',
                  { class: 'token-serial' },
                  token.held ? text.pinNotSet : text.serial(token.serial),
                ),
              ),
            ),
          ),
        );
  return {
    title: text.tokensTitle,
    body: [
      list,
      h(
        'button',
        { type: 'button', class: 'primary', onclick: () => void go('add') },
        text.addToken,
      ),
      h('p', { class: 'hint' }, text.storageNote),
    ],
  };
}

/** iPhone/iPad in Safari: install first, then add the token inside the installed app. */
function installFirstScreen(): Screen {
  const text = t();
  return {
    title: text.iosTitle,
    body: [
      h('p', {}, text.iosIntro),
      h('ol', { class: 'steps' }, ...text.iosSteps(brand.name).map((step) => h('li', {}, step))),
      h('p', {}, h('a', { href: '/help/iphone' }, text.iosHelp)),
    ],
  };
}
