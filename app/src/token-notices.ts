/**
 * What the passcode screen learns when the phone is online (issue 13, items 4 and 7):
 * the server's word on the opened token — replaced or revoked on a date, with "Delete
 * from this phone"; locked; disabled — and whether this phone's clock is more than 30
 * seconds off the server's. Offline, or without an answer, nothing is shown: the
 * passcode works as before and there is nothing the user could do.
 */
import type { StoredToken } from '../../src/authenticator/keychain.js';
import { checkTokenStatus, type StatusReport } from '../../src/authenticator/token-status.js';
import { h } from './dom.js';
import { language, t } from './i18n.js';
import { deleteDialog } from './token-dialogs.js';

/** More than this between the phone and the server, and TOTP passcodes start to fail. */
const CLOCK_TOLERANCE_MS = 30_000;

export interface TokenNotices {
  /** A live region: what arrives later is read out. */
  element: HTMLElement;
  relabel(): void;
  /** The screen is left: an answer that comes later changes nothing. */
  stop(): void;
}

export function tokenNotices(token: StoredToken, seed: Uint8Array): TokenNotices {
  const element = h('div', { role: 'status' });
  let report: StatusReport = {};
  let left = false;
  const render = () => element.replaceChildren(...noticesOf(token, report));
  if (navigator.onLine !== false) {
    void checkTokenStatus(location.origin, token.serial, seed).then((answer) => {
      if (left) return;
      report = answer;
      render();
    });
  }
  return {
    element,
    relabel: render,
    stop: () => {
      left = true;
    },
  };
}

function noticesOf(token: StoredToken, report: StatusReport): HTMLElement[] {
  const text = t();
  const notices: HTMLElement[] = [];
  const status = report.status;
  if (status?.state === 'revoked') {
    const date = status.changedAt ? formatDate(status.changedAt) : '';
    notices.push(
      h(
        'div',
        { class: 'notice' },
        h('p', {}, status.replaced ? text.replacedOn(date) : text.revokedOn(date)),
        h(
          'button',
          { type: 'button', class: 'danger', onclick: () => deleteDialog(token) },
          text.deleteFromPhone,
        ),
      ),
    );
  } else if (status?.state === 'locked' || status?.state === 'disabled') {
    const said = status.state === 'locked' ? text.lockedNotice : text.disabledNotice;
    notices.push(h('div', { class: 'notice' }, h('p', {}, said)));
  }
  // An HOTP passcode does not depend on the clock.
  const offset = report.clockOffsetMs;
  if (token.type === 'totp' && offset !== undefined && Math.abs(offset) > CLOCK_TOLERANCE_MS) {
    notices.push(h('div', { class: 'notice' }, h('p', {}, text.clockOff(readable(offset)))));
  }
  return notices;
}

/** "5 minutes", "45 seconds": minutes from a minute and a half on. */
function readable(offsetMs: number): string {
  const text = t();
  const ms = Math.abs(offsetMs);
  return ms < 90_000 ? text.seconds(Math.round(ms / 1000)) : text.minutes(Math.round(ms / 60_000));
}

function formatDate(iso: string): string {
  const locale = language() === 'de' ? 'de-DE' : 'en-GB';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(iso));
}
