/**
 * The help pages the enrollment page and e-mail point to: installing the
 * authenticator on Android and on iPhone, and self-enrollment step by step — our own
 * words for the steps of the help-desk article Pforte replaces, with screenshots of
 * the real app. `npm run docs:screenshots` takes every screenshot named here, in both
 * languages, into `assets/screenshot-<lang>-<name>.png`.
 */
import { html, layout } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';

export type HelpTopic = 'android' | 'iphone' | 'enrollment';

/** The screens shown in the help, in the order a user meets them. */
export const SCREENSHOTS = [
  'enrollment-page',
  'iphone-install',
  'name-activate',
  'activated',
  'set-pin',
  'first-passcode',
  'unlock',
] as const;
export type Screenshot = (typeof SCREENSHOTS)[number];

export function screenshotFile(lang: Lang, shot: Screenshot): string {
  return `screenshot-${lang}-${shot}.png`;
}

/** The size the screenshots are taken at, in CSS pixels (a phone's viewport). */
export const SCREENSHOT_SIZE = { width: 360, height: 720 } as const;

type Step = string | { text: string; shot: Screenshot };

interface HelpText {
  title: string;
  intro: string;
  steps: Step[];
  note?: string;
}

/** What each screenshot shows: its alternative text (the step beside it says what to do). */
const SCREENSHOT_ALT: Record<Lang, Record<Screenshot, string>> = {
  de: {
    'enrollment-page': 'Bildschirmfoto: die Einrichtungsseite auf dem Smartphone',
    'iphone-install':
      'Bildschirmfoto: der Authenticator in Safari bittet, ihn zuerst zum Home-Bildschirm hinzuzufügen',
    'name-activate': 'Bildschirmfoto: Tokenname, importierter Aktivierungscode und „Aktivieren“',
    activated: 'Bildschirmfoto: Token aktiviert, mit „Weiter“',
    'set-pin': 'Bildschirmfoto: PIN und PIN bestätigen',
    'first-passcode': 'Bildschirmfoto: der erste Passcode mit Countdown',
    unlock: 'Bildschirmfoto: ein gespeicherter Token fragt nach der PIN',
  },
  en: {
    'enrollment-page': 'Screenshot: the enrollment page on the phone',
    'iphone-install':
      'Screenshot: the authenticator in Safari asks to be added to the Home Screen first',
    'name-activate': 'Screenshot: token name, imported enrollment string and "Activate"',
    activated: 'Screenshot: token activated, with "Continue"',
    'set-pin': 'Screenshot: PIN and Confirm PIN',
    'first-passcode': 'Screenshot: the first passcode with its countdown',
    unlock: 'Screenshot: a stored token asks for its PIN',
  },
};

const HELP: Record<Lang, Record<HelpTopic, HelpText>> = {
  de: {
    android: {
      title: 'Authenticator auf Android installieren',
      intro:
        'Der Pforte Authenticator ist eine Web-App: Sie installieren ihn aus dem Browser, ohne App-Store.',
      steps: [
        'Öffnen Sie den Link aus der Einrichtungs-E-Mail auf Ihrem Smartphone in Chrome.',
        {
          text: 'Tippen Sie auf der Einrichtungsseite auf „Token importieren“. Der Authenticator öffnet sich.',
          shot: 'enrollment-page',
        },
        'Tippen Sie im Chrome-Menü (⋮) auf „App installieren“ oder „Zum Startbildschirm hinzufügen“.',
        'Ab jetzt öffnen Sie den Authenticator über sein Symbol auf dem Startbildschirm.',
      ],
    },
    iphone: {
      title: 'Authenticator auf iPhone/iPad installieren',
      intro:
        'Auf dem iPhone muss der Authenticator zuerst auf dem Home-Bildschirm liegen, bevor Sie den Token übertragen: Ein Link aus der Mail öffnet immer Safari, und Safari hat einen eigenen Speicher.',
      steps: [
        'Öffnen Sie den Link aus der Einrichtungs-E-Mail in Safari.',
        {
          text: 'Öffnen Sie den Pforte Authenticator über den Link auf der Einrichtungsseite. Er erklärt, was zu tun ist.',
          shot: 'iphone-install',
        },
        'Tippen Sie auf „Teilen“ (das Quadrat mit dem Pfeil) und dann auf „Zum Home-Bildschirm“.',
        'Kopieren Sie auf der Einrichtungsseite den Aktivierungscode.',
        'Öffnen Sie den Authenticator über das neue Symbol und fügen Sie den Aktivierungscode dort ein.',
      ],
    },
    enrollment: {
      title: 'Token einrichten – Schritt für Schritt',
      intro: 'So richten Sie Ihren Token für die Anmeldung mit Einmal-Passcode ein.',
      steps: [
        'Sie erhalten eine E-Mail, die die Einrichtung startet. Öffnen Sie den Link darin unbedingt auf Ihrem Smartphone.',
        {
          text: 'Folgen Sie der Einrichtungsseite: Installieren Sie den Authenticator und tippen Sie auf „Token importieren“.',
          shot: 'enrollment-page',
        },
        {
          text: 'Der Authenticator fragt nach einem Namen für den Token (ein beliebiger Name) und zeigt den importierten Aktivierungscode. Tippen Sie auf „Aktivieren“.',
          shot: 'name-activate',
        },
        { text: 'Der Token ist aktiviert. Tippen Sie auf „Weiter“.', shot: 'activated' },
        {
          text: 'Legen Sie eine persönliche PIN fest und geben Sie sie zur Bestätigung ein zweites Mal ein. Die PIN wird bei jedem Öffnen des Tokens abgefragt.',
          shot: 'set-pin',
        },
        {
          text: 'Nun wird Ihr erster Passcode (6 Ziffern) angezeigt, mit der Zeit bis zum nächsten.',
          shot: 'first-passcode',
        },
        {
          text: 'Später öffnen Sie die App, tippen auf Ihren Token und geben Ihre PIN ein, um den aktuellen Passcode zu sehen.',
          shot: 'unlock',
        },
        'Zum Anmelden öffnen Sie das Portal Ihrer Organisation und geben ein: Benutzername (Ihr üblicher Benutzername), Token Code (der Passcode aus der App) und Kennwort (Ihr übliches Kennwort).',
      ],
      note: 'Ihre IT fragt Sie nie nach Ihrer PIN oder nach Passcodes.',
    },
  },
  en: {
    android: {
      title: 'Install the authenticator on Android',
      intro:
        'The Pforte Authenticator is a web app: you install it from the browser, without an app store.',
      steps: [
        'Open the link from the enrollment e-mail on your smartphone, in Chrome.',
        {
          text: 'On the enrollment page, tap "Import the token". The authenticator opens.',
          shot: 'enrollment-page',
        },
        'In the Chrome menu (⋮), tap "Install app" or "Add to Home screen".',
        'From now on, open the authenticator from its icon on your home screen.',
      ],
    },
    iphone: {
      title: 'Install the authenticator on iPhone/iPad',
      intro:
        'On iPhone, the authenticator must be on your Home Screen before you transfer the token: a link from Mail always opens Safari, and Safari has storage of its own.',
      steps: [
        'Open the link from the enrollment e-mail in Safari.',
        {
          text: 'Open the Pforte Authenticator with the link on the enrollment page. It explains what to do.',
          shot: 'iphone-install',
        },
        'Tap "Share" (the square with the arrow), then "Add to Home Screen".',
        'On the enrollment page, copy the enrollment string.',
        'Open the authenticator from its new icon and paste the enrollment string there.',
      ],
    },
    enrollment: {
      title: 'Setting up your token, step by step',
      intro: 'How to set up your token for signing in with one-time passcodes.',
      steps: [
        'You receive an e-mail that starts the set-up. Open the link in it on your smartphone.',
        {
          text: 'Follow the enrollment page: install the authenticator and tap "Import the token".',
          shot: 'enrollment-page',
        },
        {
          text: 'The authenticator asks for a name for the token (any name will do) and shows the imported enrollment string. Tap "Activate".',
          shot: 'name-activate',
        },
        { text: 'The token is activated. Tap "Continue".', shot: 'activated' },
        {
          text: 'Choose a personal PIN and enter it a second time to confirm. The PIN is asked every time you open the token.',
          shot: 'set-pin',
        },
        {
          text: 'Your first passcode (6 digits) is shown, with the time until the next one.',
          shot: 'first-passcode',
        },
        {
          text: 'Later, open the app, tap your token and enter your PIN to see the current passcode.',
          shot: 'unlock',
        },
        "To sign in, open your organisation's portal and enter: Username (your usual username), Token code (the passcode from the app) and Password (your usual password).",
      ],
      note: 'Your IT department will never ask for your PIN or for passcodes.',
    },
  },
};

export function renderHelpPage(v: { lang: Lang; organisation: string; topic: HelpTopic }): string {
  const text = HELP[v.lang][v.topic];
  const body = html`<h1>${text.title}</h1>
    <p>${text.intro}</p>
    <ol class="steps">
      ${text.steps.map((step) => renderStep(step, v.lang))}
    </ol>
    ${text.note ? html`<p class="note">${text.note}</p>` : ''}`;
  return layout({ lang: v.lang, title: text.title, organisation: v.organisation, body }).toString();
}

function renderStep(step: Step, lang: Lang) {
  if (typeof step === 'string') return html`<li>${step}</li>`;
  const { width, height } = SCREENSHOT_SIZE;
  return html`<li>
    <p>${step.text}</p>
    <img
      class="screenshot"
      src="/assets/${screenshotFile(lang, step.shot)}"
      alt="${SCREENSHOT_ALT[lang][step.shot]}"
      width="${width}"
      height="${height}"
      loading="lazy"
    />
  </li>`;
}
