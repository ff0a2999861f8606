/**
 * The open token: the passcode, large, with the seconds until the next one (TOTP) or a
 * "Next passcode" button (HOTP), and a copy button. The token locks again — the seed is
 * wiped from memory — when the app goes to the background, after a short idle time, or
 * with "Lock". Online, the server's word on the token and the phone's clock appear above
 * the passcode (token-notices.ts). The first passcode after activation says where to sign
 * in (the brand's portal) and that the app locks when left.
 */
import { advanceCounter, type StoredToken } from '../../../src/authenticator/keychain.js';
import { computePasscode } from '../../../src/authenticator/passcode.js';
import { brand } from '../brand.js';
import { IDLE_LOCK_MS, storage } from '../context.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { go } from '../navigate.js';
import { tokenNotices } from '../token-notices.js';
import type { Screen } from '../ui.js';

export function passcodeScreen(
  opened: StoredToken,
  seed: Uint8Array,
  options: { first?: boolean } = {},
): Screen {
  const token = opened;
  // HOTP: the stored counter names the passcode shown. Only "Next passcode" moves it on:
  // opening the token uses up nothing, so the app never runs past the server's look-ahead.
  let shownCounter = opened.counter;
  const code = h('output', { class: 'passcode' });
  const countdown = h('p', { class: 'countdown' });
  const bar = h('div', { class: 'bar-fill' });
  const copy = h('button', { type: 'button', class: 'secondary' });
  const next = h('button', { type: 'button', class: 'secondary' });
  const hint = h('p', { class: 'hint' });
  const lockButton = h('button', { type: 'button', class: 'link' });
  const portal = h('a', { class: 'button-link', href: brand.portalUrl });
  const notices = tokenNotices(token, seed);

  const render = () => {
    const passcode = computePasscode(seed, { ...token, counter: shownCounter }, Date.now());
    // Only when it changes: the element is a live region, read out on every change.
    if (code.textContent !== passcode.code) code.textContent = passcode.code;
    if (passcode.type === 'totp') {
      countdown.textContent = t().nextIn(passcode.secondsLeft);
      bar.style.width = `${(100 * passcode.secondsLeft) / passcode.period}%`;
    }
  };
  // Labels are set apart from building, so switching the language relabels this screen
  // instead of rendering it anew (which would wipe the seed).
  const label = () => {
    const text = t();
    code.setAttribute('aria-label', text.passcode);
    copy.textContent = text.copy;
    next.textContent = text.nextPasscode;
    lockButton.textContent = text.lock;
    hint.textContent = [
      token.type === 'hotp' ? text.hotpHint : '',
      options.first ? `${text.firstPasscodeHint} ${text.firstPasscodeLocks}` : '',
    ]
      .join(' ')
      .trim();
    hint.hidden = hint.textContent === '';
    portal.textContent = text.toPortal;
    notices.relabel();
    render();
  };
  label();

  copy.addEventListener('click', () => {
    void navigator.clipboard?.writeText(code.textContent ?? '').then(() => {
      copy.textContent = t().copied;
      setTimeout(() => (copy.textContent = t().copy), 2000);
    });
  });
  next.addEventListener('click', async () => {
    next.disabled = true;
    shownCounter = (await advanceCounter(storage, token.id))?.counter ?? shownCounter + 1;
    next.disabled = false;
    render();
  });

  const lock = () => void go('tokens');
  lockButton.addEventListener('click', lock);
  let idle = setTimeout(lock, IDLE_LOCK_MS);
  const touched = () => {
    clearTimeout(idle);
    idle = setTimeout(lock, IDLE_LOCK_MS);
  };
  const hidden = () => {
    if (document.visibilityState === 'hidden') lock();
  };
  document.addEventListener('visibilitychange', hidden);
  document.addEventListener('pointerdown', touched);
  document.addEventListener('keydown', touched);
  const ticker = setInterval(render, 1000);
  // The app may have gone to the background while the PIN was being checked.
  if (document.visibilityState === 'hidden') queueMicrotask(lock);

  return {
    title: token.name,
    body: [
      notices.element,
      code,
      token.type === 'totp'
        ? h(
            'div',
            { class: 'countdown-box' },
            countdown,
            h('div', { class: 'progress', 'aria-hidden': 'true' }, bar),
          )
        : next,
      copy,
      hint,
      options.first && portal,
      lockButton,
    ],
    relabel: label,
    leave() {
      notices.stop();
      clearInterval(ticker);
      clearTimeout(idle);
      document.removeEventListener('visibilitychange', hidden);
      document.removeEventListener('pointerdown', touched);
      document.removeEventListener('keydown', touched);
      seed.fill(0);
    },
  };
}
