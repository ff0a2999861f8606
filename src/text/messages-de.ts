/** The German texts (the default: the seed's portal is German). */
import { waitText } from './durations.js';
import type { Messages } from './messages.js';

export const de: Messages = {
  portal: {
    title: 'Anmelden',
    welcome: 'Willkommen',
    pleaseSignIn: 'Bitte melden Sie sich an.',
    username: 'Benutzername',
    tokenCode: 'Token Code',
    password: 'Kennwort',
    signIn: 'Anmelden',
    failed:
      'Anmeldung fehlgeschlagen. Prüfen Sie Benutzername, Token Code aus Ihrer App und Kennwort und versuchen Sie es erneut.',
    clockDrift:
      'Die Uhr Ihres Telefons scheint falsch zu gehen — prüfen Sie die Zeiteinstellungen und geben Sie dann den nächsten Code ein.',
    tokenLocked: (until, who) =>
      `${until ? `Ihr Token ist gesperrt bis ${until.at} (noch ${waitText('de', until.seconds)}).` : 'Ihr Token ist gesperrt, bis die IT-Abteilung ihn entsperrt.'} Bitte wenden Sie sich an ${who}.`,
    tryLater: (seconds) =>
      `Zu viele Versuche. Bitte warten Sie ${waitText('de', seconds)}, bevor Sie es erneut versuchen.`,
    expired: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
    signedOut: 'Sie haben sich abgemeldet.',
    setUpToken: 'Token einrichten?',
    servicesTitle: 'Ihre Dienste',
    signedInAs: (name) => `Angemeldet als ${name}`,
    noServices: 'Es sind noch keine Dienste eingerichtet.',
    toConsole: 'Zur Verwaltung',
    signOut: 'Abmelden',
    otherLanguage: 'English',
    badRequest:
      'Das Formular konnte nicht gelesen werden. Bitte laden Sie die Seite neu und melden Sie sich erneut an.',
    unavailable:
      'Die Anmeldung ist gerade nicht möglich: Das Benutzerverzeichnis antwortet nicht. Bitte versuchen Sie es in einigen Minuten erneut.',
    serviceUnavailable:
      'Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in Kürze erneut.',
  },
  common: {
    itDepartment: 'Ihre IT-Abteilung',
    askFor: (who) => `Fragen? Wenden Sie sich an ${who}.`,
    copy: 'Kopieren',
    copied: 'Kopiert',
    enrollmentStringLabel: 'Aktivierungscode',
  },
  enrollment: {
    title: 'Token einrichten',
    greeting: (name) => `Hallo ${name},`,
    intro: (organisation) =>
      `hier richten Sie Ihren Token für die Anmeldung bei ${organisation} ein. Das dauert etwa zwei Minuten.`,
    expires: (when) => `Dieser Link ist gültig bis ${when}.`,
    installHeading: 'Authenticator installieren',
    installText:
      'Öffnen Sie den Pforte Authenticator und wählen Sie im Menü des Browsers „Zum Startbildschirm hinzufügen“ oder „App installieren“. Kehren Sie danach zu dieser Seite zurück.',
    installLink: 'Pforte Authenticator öffnen',
    androidHelp: 'Anleitung für Android',
    importHeading: 'Token importieren',
    importButton: 'Token importieren',
    importText:
      'Der Authenticator öffnet sich und fragt nach einem Namen für den Token und nach einer PIN. Danach zeigt er Ihren ersten Passcode.',
    copyHeading: 'Oder: Aktivierungscode kopieren',
    copyText:
      'Falls sich die App nicht öffnet: Kopieren Sie den Aktivierungscode und fügen Sie ihn im Authenticator ein.',
    iphoneIntro:
      'Auf dem iPhone fügen Sie den Authenticator zuerst zum Home-Bildschirm hinzu und übertragen den Token dann mit dem Aktivierungscode.',
    iphoneWhy:
      'Ein Link aus der Mail öffnet immer Safari, und Safari kann den Token nicht an die App auf dem Home-Bildschirm übergeben.',
    iphoneInstallHeading: 'App zum Home-Bildschirm hinzufügen',
    iphoneInstallText:
      'Öffnen Sie den Pforte Authenticator in Safari, tippen Sie auf „Teilen“ (das Quadrat mit dem Pfeil nach oben) und dann auf „Zum Home-Bildschirm“. Kehren Sie danach zu dieser Seite zurück.',
    iphoneInstallLink: 'Pforte Authenticator in Safari öffnen',
    iphoneHelp: 'Anleitung für iPhone und iPad',
    iphoneCopyHeading: 'Aktivierungscode kopieren',
    iphoneCopyText: 'Kopieren Sie diesen Aktivierungscode:',
    iphonePasteHeading: 'App öffnen und Code einfügen',
    iphonePasteText:
      'Öffnen Sie den Pforte Authenticator über das neue Symbol auf dem Home-Bildschirm und fügen Sie dort den kopierten Aktivierungscode ein (oder tippen Sie ihn ab). Die App fragt dann nach einem Namen für den Token und nach einer PIN und zeigt Ihren ersten Passcode.',
    iphoneImportHeading: 'Ist die App bereits installiert?',
    iphoneImportText:
      'Dann können Sie auch diesen Link versuchen. Öffnet er Safari statt der App, fügen Sie bitte den Aktivierungscode ein wie oben beschrieben.',
    computerHeading: 'Bitte öffnen Sie diesen Link auf Ihrem Smartphone',
    computerText:
      'Der Token wird auf Ihrem Smartphone eingerichtet. Scannen Sie diesen QR-Code mit der Kamera des Smartphones oder öffnen Sie die E-Mail dort.',
    computerString:
      'Zur Information, Ihr Aktivierungscode (Sie können ihn im Authenticator auch abtippen):',
    qrLabel: 'QR-Code mit dem Link zu dieser Seite',
    standardHeading: 'Lieber eine andere Authenticator-App?',
    standardText:
      'Für Apps wie Google Authenticator oder FreeOTP zeigen wir Ihnen einen QR-Code zum Scannen.',
    standardButton: 'Andere Authenticator-App verwenden',
  },
  invalid: {
    title: 'Dieser Link kann nicht verwendet werden',
    text: 'Vielleicht wurde er schon benutzt, ist abgelaufen oder wurde durch einen neueren ersetzt.',
    action: (who) => `Bitte wenden Sie sich für eine neue Token-Einrichtung an ${who}.`,
    newerMail:
      'Haben Sie inzwischen eine neuere E-Mail erhalten, verwenden Sie bitte den Link darin.',
  },
  link: {
    expiredTitle: 'Dieser Link ist abgelaufen',
    expiredText: (when) => `Er war gültig bis ${when}.`,
    renewText:
      'Wir können Ihnen einen neuen Link an die E-Mail-Adresse schicken, die Ihre Organisation für Sie hinterlegt hat.',
    renewButton: 'Neuen Link senden',
    askForNew: (who) => `Für einen neuen Link wenden Sie sich bitte an ${who}.`,
    sentTitle: 'Neuer Link verschickt',
    sentText: (maskedAddress) => `Wir haben Ihnen einen neuen Link an ${maskedAddress} geschickt.`,
    sentOldLink:
      'Der Link, den Sie gerade geöffnet haben, gilt nicht mehr. Bitte öffnen Sie den Link aus der neuen E-Mail auf Ihrem Smartphone.',
    sentNoMail: (who) =>
      `Keine E-Mail angekommen? Sehen Sie bitte auch im Spam-Ordner nach oder wenden Sie sich an ${who}.`,
    limitTitle: 'Es wurden schon mehrere neue Links verschickt',
    limitText: (seconds) =>
      `Ein weiterer ist erst später möglich: Bitte warten Sie ${waitText('de', seconds)}. Sehen Sie bis dahin nach, ob einer der letzten Links angekommen ist, auch im Spam-Ordner.`,
    limitAsk: (who) => `Eilt es? Dann wenden Sie sich an ${who}.`,
    usedTitle: 'Sie sind bereits eingerichtet — melden Sie sich an',
    usedText:
      'Dieser Link wurde schon verwendet: Ihr Token ist eingerichtet. Melden Sie sich mit Benutzername, Token Code aus der App und Kennwort an.',
    signIn: 'Zur Anmeldung',
    spentTitle: 'Dieser Link wurde bereits verwendet',
    spentText:
      'Zeigt Ihre Authenticator-App schon einen Passcode für diesen Token, sind Sie eingerichtet und können sich anmelden.',
    spentAsk: (who) => `Sonst wenden Sie sich bitte für einen neuen Link an ${who}.`,
    replacedTitle: 'Es gibt einen neueren Link',
    replacedText:
      'Für Sie wurde inzwischen eine neue Token-Einrichtung gestartet; dieser Link gilt nicht mehr.',
    unreadableTitle: 'Diese Anfrage konnte nicht gelesen werden',
    unreadableText: 'Bitte öffnen Sie den Link aus der E-Mail erneut.',
  },
  tooManyRequests: {
    title: 'Bitte warten Sie einen Moment',
    text: (seconds) =>
      `Von Ihrem Netz kamen gerade zu viele Anfragen. Bitte warten Sie ${waitText('de', seconds)}.`,
    again: 'Öffnen Sie dann den Link aus der E-Mail erneut oder laden Sie diese Seite neu.',
  },
  standardApp: {
    title: 'Token in einer anderen App einrichten',
    intro:
      'So richten Sie den Token in einer Authenticator-App wie Google Authenticator oder FreeOTP ein.',
    scanHeading: 'QR-Code scannen',
    scanText:
      'Fügen Sie in Ihrer Authenticator-App ein Konto hinzu und scannen Sie diesen QR-Code.',
    qrLabel: 'QR-Code für Ihre Authenticator-App',
    openHere: 'Sind Sie auf dem Smartphone? Token direkt in der App öffnen',
    manualHeading: 'Oder: Schlüssel von Hand eingeben',
    manualText: 'Wenn Sie nicht scannen können, geben Sie in der App diesen Schlüssel ein:',
    secretLabel: 'Schlüssel',
    settingsLabel: 'Einstellungen',
    settingType: 'Typ',
    settingTypeValue: 'zeitbasiert (TOTP)',
    settingAlgorithm: 'Algorithmus',
    settingDigits: 'Stellen',
    settingPeriod: 'Intervall',
    settingPeriodValue: '30 Sekunden',
    confirmHeading: 'Code bestätigen',
    confirmText:
      'Geben Sie den Code ein, den die App jetzt anzeigt. Erst dann ist der Token aktiv.',
    otpLabel: 'Angezeigter Code',
    otpHint: '6 Ziffern',
    activate: 'Aktivieren',
    wrongCode:
      'Dieser Code war nicht richtig. Bitte warten Sie, bis die App den nächsten Code anzeigt, und geben Sie diesen ein.',
  },
  done: {
    title: 'Ihr Token ist aktiv',
    text: 'Die Einrichtung ist abgeschlossen.',
    signIn:
      'Sie können sich jetzt mit Benutzername, Token Code (dem Passcode aus der App) und Kennwort anmelden.',
  },
  mail: {
    subject: (organisation) => `Ihr Zugang zu ${organisation}: Token einrichten`,
    greeting: (name) => `Hallo ${name},`,
    intro: (organisation) =>
      `${organisation} richtet die Anmeldung mit Einmal-Passcodes ein. Dafür erhalten Sie einen persönlichen Token auf Ihrem Smartphone.`,
    stepsHeading: 'So geht es:',
    stepOpen: 'Öffnen Sie den folgenden Link unbedingt auf Ihrem Smartphone, nicht am Computer.',
    stepFollow:
      'Folgen Sie den Schritten auf der Seite: Sie installieren den Pforte Authenticator und importieren Ihren Token.',
    stepApp:
      'Die App fragt nach einem Namen für den Token und nach einer PIN. Danach zeigt sie Ihren ersten Passcode.',
    button: 'Token einrichten',
    linkFallback: 'Falls der Knopf nicht funktioniert, öffnen Sie diesen Link:',
    expires: (when) => `Der Link ist gültig bis ${when}.`,
    personal: 'Der Link ist persönlich. Bitte leiten Sie diese E-Mail nicht weiter.',
    neverAsk: (organisation) =>
      `Die IT-Abteilung von ${organisation} wird Sie niemals nach Ihrer PIN oder Ihren Passcodes fragen.`,
    questions: (who) => `Fragen? Wenden Sie sich an ${who}.`,
  },
};
