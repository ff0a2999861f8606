/**
 * The Pforte Authenticator (DESIGN.md section 5): a Progressive Web App that imports a
 * token by the self-enrollment protocol, keeps its seed under the user's PIN, and shows
 * passcodes, offline too. It talks to the server to activate a token, and, when online,
 * to learn whether an opened token is still in use (screens/token-notices.ts).
 *
 * Start: the enrollment code is taken from `#enroll=` first of all (take-enrollment.ts,
 * imported first), then the token list or the next step is shown. A link opened while
 * the app is already open arrives as a new fragment and is taken the same way.
 */
import { enrollmentAtStart, takeEnrollmentFromAddress } from './take-enrollment.js';
import type { EnrollmentInput } from '../../src/authenticator/enrollment-input.js';
import { removeUnconfirmed } from '../../src/authenticator/keychain.js';
import { applyBrandColours } from './brand.js';
import { storage } from './context.js';
import { language, switchLanguage, t } from './i18n.js';
import { needsHomeScreenInstall } from './platform.js';
import { go, installScreens } from './navigate.js';
import { SCREENS } from './screens/index.js';
import { refresh } from './ui.js';
import { registerUpdates } from './update.js';

function labelLanguageButton(): void {
  const button = document.getElementById('language')!;
  const other = language() === 'en' ? 'de' : 'en';
  button.textContent = t().otherLanguage;
  button.setAttribute('lang', other);
  document.documentElement.lang = language();
}

function start(enrollment: EnrollmentInput | undefined): void {
  if (enrollment === undefined || needsHomeScreenInstall()) {
    void go('tokens');
  } else if (enrollment.ok) {
    void go('activate', { code: enrollment.code });
  } else {
    void go('add', '', t().inputMalformed);
  }
}

installScreens(SCREENS);
applyBrandColours();
labelLanguageButton();
document.getElementById('language')!.addEventListener('click', () => {
  switchLanguage();
  labelLanguageButton();
  refresh();
});
registerUpdates();
// Activations the server never confirmed (the app was closed in between) are of no use.
await removeUnconfirmed(storage);
start(enrollmentAtStart);
window.addEventListener('hashchange', () => {
  const enrollment = takeEnrollmentFromAddress();
  if (enrollment) start(enrollment);
});
