/**
 * The help pages the enrollment page and e-mail point to: installing the
 * authenticator on Android and on iPhone, and self-enrollment step by step — our own
 * words for the steps of the help-desk article Pforte replaces. (Screenshots of the
 * real app come with the app itself.)
 */
import { html, layout } from '../../text/html.js';
import type { Lang } from '../../text/i18n.js';

export type HelpTopic = 'android' | 'iphone' | 'enrollment';

interface HelpText {
  title: string;
  intro: string;
  steps: string[];
  note?: string;
}

const HELP: Record<Lang, Record<HelpTopic, HelpText>> = {
  de: {
    android: {
      title: 'Authenticator auf Android installieren',
      intro:
        'Der Pforte Authenticator ist eine Web-App: Sie installieren ihn aus dem Browser, ohne App-Store.',
      steps: [
        'Öffnen Sie den Link aus der Einrichtungs-E-Mail auf Ihrem Smartphone in Chrome.',
        'Tippen Sie auf der Einrichtungsseite auf „Token importieren“. Der Authenticator öffnet sich.',
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
        'Öffnen Sie den Pforte Authenticator über den Link auf der Einrichtungsseite.',
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
        'Folgen Sie der Einrichtungsseite: Installieren Sie den Authenticator und importieren Sie den Token.',
        'Der Authenticator fragt nach einem Namen für den Token. Sie können einen beliebigen Namen wählen.',
        'Er zeigt den importierten Aktivierungscode; bestätigen Sie mit „Aktivieren“.',
        'Legen Sie eine persönliche PIN fest und geben Sie sie zur Bestätigung ein zweites Mal ein. Die PIN wird bei jedem Öffnen des Tokens abgefragt.',
        'Nun wird Ihr erster Passcode (6 Ziffern) angezeigt.',
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
        'On the enrollment page, tap "Import the token". The authenticator opens.',
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
        'Open the Pforte Authenticator with the link on the enrollment page.',
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
        'Follow the enrollment page: install the authenticator and import the token.',
        'The authenticator asks for a name for the token. Any name will do.',
        'It shows the imported enrollment string; confirm with "Activate".',
        'Choose a personal PIN and enter it a second time to confirm. The PIN is asked every time you open the token.',
        'Your first passcode (6 digits) is shown.',
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
      ${text.steps.map((step) => html`<li>${step}</li>`)}
    </ol>
    ${text.note ? html`<p class="note">${text.note}</p>` : ''}`;
  return layout({ lang: v.lang, title: text.title, organisation: v.organisation, body }).toString();
}
