/**
 * The Pforte Authenticator (DESIGN.md section 5): a Progressive Web App that imports a
 * token by the self-enrollment protocol, keeps its seed under the user's PIN, and shows
 * passcodes, offline too. It talks to the server only to activate a token.
 *
 * Start: take the enrollment code from `#enroll=` and remove it from the address bar at
 * once (it must not stay in the history), then show the token list or the next step.
 */
import { readEnrollmentInput } from '../../src/authenticator/enrollment-input.js';
import { language, switchLanguage, t } from './i18n.js';
import { needsHomeScreenInstall } from './platform.js';
import { activateScreen } from './screens/activate.js';
import { addScreen } from './screens/add.js';
import { tokensScreen } from './screens/tokens.js';
import { refresh, show } from './ui.js';
import { registerUpdates } from './update.js';

function takeEnrollmentFromAddress(): ReturnType<typeof readEnrollmentInput> | undefined {
  if (!location.hash.includes('enroll=')) return undefined;
  const read = readEnrollmentInput(location.href, location.origin);
  history.replaceState(null, '', location.pathname + location.search);
  return read;
}

function labelLanguageButton(): void {
  const button = document.getElementById('language')!;
  const other = language() === 'en' ? 'de' : 'en';
  button.textContent = t().otherLanguage;
  button.setAttribute('lang', other);
  document.documentElement.lang = language();
}

const enrollment = takeEnrollmentFromAddress();
labelLanguageButton();
document.getElementById('language')!.addEventListener('click', () => {
  switchLanguage();
  labelLanguageButton();
  refresh();
});
registerUpdates();

if (enrollment?.ok && !needsHomeScreenInstall()) {
  void show(() => activateScreen({ code: enrollment.code }));
} else if (enrollment && !enrollment.ok && !needsHomeScreenInstall()) {
  void show(() => addScreen('', t().inputMalformed));
} else {
  void show(tokensScreen);
}
