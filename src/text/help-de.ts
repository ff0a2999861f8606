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
    'my-access':
      'Bildschirmfoto: „Mein Zugang“ im Portal mit dem Token und den Schaltflächen „Neues Telefon einrichten“ und „Telefon verloren“',
    'lost-phone': 'Bildschirmfoto: die Rückfrage, bevor der Token gesperrt wird',
    'expired-link': 'Bildschirmfoto: ein abgelaufener Link mit „Neuen Link senden“',
    'clock-drift': 'Bildschirmfoto: das Portal meldet, dass die Uhr des Telefons falsch geht',
    'token-locked':
      'Bildschirmfoto: das Portal meldet einen gesperrten Token, bis wann und wen Sie anrufen',
    'forgot-pin': 'Bildschirmfoto: „PIN vergessen?“ im Authenticator',
    'token-replaced':
      'Bildschirmfoto: das alte Telefon zeigt „Ersetzt am …“ und bietet an, den Token zu löschen',
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
    problems: {
      title: 'Wenn etwas nicht klappt',
      intro:
        'Die häufigsten Fälle und was Sie selbst tun können. Ihre IT-Abteilung fragt nie nach Ihrer PIN, Ihrem Kennwort oder einem Passcode.',
      steps: [],
      sections: [
        {
          id: 'new-phone',
          heading: 'Neues Telefon',
          steps: [
            'Melden Sie sich mit Ihrem alten Telefon im Portal an und öffnen Sie „Mein Zugang“.',
            {
              text: 'Tippen Sie auf „Neues Telefon einrichten“. Sie bekommen eine E-Mail an Ihre hinterlegte Adresse; öffnen Sie den Link darin auf dem neuen Telefon.',
              shot: 'my-access',
            },
            'Ihr altes Telefon funktioniert weiter, bis der Token auf dem neuen aktiv ist. Danach ist der alte Token gesperrt, und die App auf dem alten Telefon zeigt das.',
          ],
        },
        {
          id: 'lost-phone',
          heading: 'Telefon verloren oder kaputt',
          steps: [
            {
              text: 'Wenn Sie noch angemeldet sind oder sich anmelden können: Öffnen Sie „Mein Zugang“, tippen Sie auf „Telefon verloren“ und bestätigen Sie. Der Token ist sofort gesperrt, und Sie bekommen eine E-Mail darüber.',
              shot: 'lost-phone',
            },
            'Rufen Sie den Service-Desk an. Er kann Ihnen einen vorübergehenden Code geben: Sie geben ihn im Feld „Token Code“ ein, zusammen mit Ihrem Kennwort, für die Stunden und Anmeldungen, die man Ihnen nennt.',
            'Nach der Anmeldung bietet Ihnen das Portal an, das neue Telefon einzurichten. Sobald der neue Token aktiv ist, gilt der vorübergehende Code nicht mehr.',
          ],
        },
        {
          id: 'expired-link',
          heading: 'Der Link ist abgelaufen oder schon benutzt',
          steps: [
            {
              text: 'Ein abgelaufener Link sagt das und bietet „Neuen Link senden“ an. Der neue Link geht nur an Ihre hinterlegte E-Mail-Adresse, ein paar Mal am Tag.',
              shot: 'expired-link',
            },
            'Ein schon benutzter Link sagt „Sie sind bereits eingerichtet“: Melden Sie sich im Portal an. Ein Link aus einer älteren E-Mail gilt nicht mehr; nehmen Sie die neueste.',
          ],
        },
        {
          id: 'clock',
          heading: 'Die Uhr des Telefons geht falsch',
          steps: [
            {
              text: 'Die Passcodes hängen von der Uhrzeit ab. Geht die Uhr Ihres Telefons falsch, sagt Ihnen das Portal das nach Ihrem Kennwort und einem Code.',
              shot: 'clock-drift',
            },
            'Stellen Sie in den Einstellungen des Telefons „Uhrzeit automatisch einstellen“ ein und geben Sie dann den nächsten Code ein. Auch zwei Codes nacheinander mit derselben Abweichung reichen: Pforte merkt sich die Abweichung.',
            'Die App warnt selbst, wenn ihre Uhr um mehr als 30 Sekunden von der des Servers abweicht.',
          ],
        },
        {
          id: 'locked',
          heading: 'Der Token ist gesperrt',
          steps: [
            {
              text: 'Nach zu vielen falschen Codes wird der Token gesperrt. Mit dem richtigen Kennwort und einem gültigen Code sagt Ihnen das Portal, bis wann und wen Sie anrufen können.',
              shot: 'token-locked',
            },
            'Warten Sie bis zu dieser Zeit, oder lassen Sie den Token vom Service-Desk entsperren.',
          ],
        },
        {
          id: 'forgot-pin',
          heading: 'PIN vergessen',
          steps: [
            {
              text: 'Tippen Sie in der App auf „PIN vergessen?“. Die PIN lässt sich nicht zurücksetzen: Sie schützt den Token nur auf diesem Telefon, niemand sonst kennt sie.',
              shot: 'forgot-pin',
            },
            'Richten Sie den Token neu ein: im Portal unter „Mein Zugang“ mit „Neues Telefon einrichten“, oder über den Service-Desk.',
          ],
        },
        {
          id: 'old-phone',
          heading: 'Das alte Telefon',
          steps: [
            {
              text: 'Ist ein Token ersetzt oder gesperrt, zeigt die App auf dem alten Telefon das beim nächsten Öffnen (mit Internet) mit dem Datum an und bietet an, ihn zu löschen.',
              shot: 'token-replaced',
            },
          ],
        },
      ],
    },
  },
};
