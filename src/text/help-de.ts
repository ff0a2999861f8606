/** The help pages in German (help.ts says what each text is for). */
import type { HelpTexts } from './help.js';

export const de: HelpTexts = {
  screenshotAlt: {
    'enrollment-page': 'Bildschirmfoto: die Einrichtungsseite auf dem Smartphone',
    'iphone-install':
      'Bildschirmfoto: der Authenticator in Safari bittet, ihn zuerst zum Home-Bildschirm hinzuzufügen',
    'name-activate': 'Bildschirmfoto: Tokenname, importierter Aktivierungscode und „Aktivieren“',
    activated: 'Bildschirmfoto: Token aktiviert, mit „Weiter“',
    'set-pin': 'Bildschirmfoto: PIN und PIN bestätigen',
    'first-passcode': 'Bildschirmfoto: der erste Passcode mit Countdown',
    unlock: 'Bildschirmfoto: ein gespeicherter Token fragt nach der PIN',
  },
  pages: {
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
};
