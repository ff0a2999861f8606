/**
 * Every text of the app, in English and German. The accessible names tests and screen
 * readers find controls by ("Token name", "Add token", "Activate", "Continue", "PIN",
 * "Confirm PIN", "Passcode") are here too, so both languages name the same controls.
 */
import type { ActivationFailure } from '../../src/authenticator/activate.js';
import type { PinProblem } from '../../src/authenticator/pin-policy.js';

export type Lang = 'en' | 'de';
export const LANGS: readonly Lang[] = ['en', 'de'];

const en = {
  otherLanguage: 'Deutsch',
  tokensTitle: 'Your tokens',
  noTokens: 'No token yet. Add the token from your enrollment e-mail to get passcodes.',
  addToken: 'Add token',
  serial: (serial: string) => `Serial ${serial}`,
  addTitle: 'Add token',
  addIntro:
    'Paste or type the enrollment string from the enrollment page, or scan its QR code. Spaces, hyphens and case do not matter.',
  enrollmentString: 'Enrollment string',
  continue: 'Continue',
  scan: 'Scan QR code',
  cancel: 'Cancel',
  back: 'Back',
  inputEmpty: 'Enter the enrollment string from the enrollment page.',
  inputMalformed:
    'This is not a complete enrollment string. It has 25 letters and digits in five groups, e.g. ABCDE-FGHJK-…; check for a missing or mistyped character.',
  inputOtherServer: (host: string) =>
    `This enrollment belongs to another server (${host}). Open the link from your enrollment e-mail instead.`,
  scanTitle: 'Scan QR code',
  scanIntro: 'Point the camera at the QR code on the enrollment page.',
  scanNoCamera:
    'The camera is not available. Allow camera access, or paste or type the enrollment string instead.',
  scanFound: 'QR code read.',
  nameTitle: 'Name and activate your token',
  tokenName: 'Token name',
  tokenNameHint: 'Any name that tells you which token this is.',
  nameMissing: 'Enter a name for the token (1 to 64 characters).',
  importedString: 'Imported enrollment string',
  activate: 'Activate',
  activating: 'Activating…',
  failures: {
    code_malformed:
      'This is not a complete enrollment string. Go back and check it against the enrollment page.',
    code_invalid:
      'This enrollment string is not valid (any more): it may be mistyped, already used or expired. Check it, or ask your IT department for a new enrollment e-mail.',
    completed_elsewhere:
      'This token has already been activated on another device. If that was not you, tell your IT department; otherwise use the other device or ask for a new enrollment.',
    activation_failed:
      'The activation did not complete. Tap "Activate" to try again; if it fails again, ask your IT department for a new enrollment e-mail.',
    rate_limited:
      'Too many attempts from this network. Wait a few minutes, then tap "Activate" again.',
    network:
      'No connection to the server. Check that you are online (Wi-Fi or mobile data), then tap "Activate" again. Nothing you entered is lost.',
  } satisfies Record<ActivationFailure, string>,
  unexpected:
    'Something went wrong on this phone. Tap the button again; if it happens again, ask your IT department for help.',
  activatedTitle: 'Token activated',
  activatedIntro:
    'Now protect it with a PIN. The app asks for the PIN every time you open the token.',
  pinTitle: 'Set a PIN',
  pinIntro: (min: number, max: number) =>
    `Choose ${min} to ${max} digits that others cannot guess. Your IT department will never ask for it.`,
  pin: 'PIN',
  confirmPin: 'Confirm PIN',
  setPin: 'Set PIN',
  protecting: 'Protecting your token…',
  pinProblems: {
    not_digits: 'The PIN may contain digits only.',
    too_short: 'The PIN is too short.',
    too_long: 'The PIN is too long.',
    one_digit: 'The PIN must not be one digit repeated (like 111111).',
    run: 'The PIN must not be a run of digits (like 123456 or 654321).',
    pattern: 'The PIN must not repeat a short pattern (like 121212).',
  } satisfies Record<PinProblem, string>,
  pinMismatch: 'The two PINs differ. Enter the same PIN in both fields.',
  unlockIntro: 'Enter the PIN to show the passcode.',
  open: 'Open',
  opening: 'Checking the PIN…',
  wrongPin: (left: number) =>
    left === 1
      ? 'Wrong PIN. One attempt left: after one more wrong PIN the token is deleted.'
      : `Wrong PIN. ${left} attempts left before the token is deleted.`,
  wipedTitle: 'Token deleted',
  wiped: (name: string, attempts: number) =>
    `The token "${name}" was deleted after ${attempts} wrong PINs, so nobody can try more. To sign in with a passcode again, ask your IT department for a new enrollment e-mail and add the new token here.`,
  backToTokens: 'Back to tokens',
  rename: 'Rename',
  save: 'Save',
  renameTitle: 'Rename token',
  delete: 'Delete',
  deleteTitle: 'Delete token?',
  deleteQuestion: (name: string) =>
    `Delete "${name}" from this phone? You can no longer sign in with its passcodes; only a new enrollment brings it back.`,
  passcode: 'Passcode',
  nextIn: (seconds: number) => `New passcode in ${seconds} s`,
  nextPasscode: 'Next passcode',
  hotpHint: 'Each passcode works once. Tap "Next passcode" for a new one.',
  pinNotSet: 'PIN not set yet: tap to set it',
  storageFailed:
    'This browser does not let the app keep tokens (private mode, or website data blocked). Open the app in a normal browser window, or allow website data for this site.',
  copy: 'Copy',
  copied: 'Copied',
  lock: 'Lock',
  firstPasscodeHint:
    'Sign in with your username, this passcode and your usual password. The app asks for your PIN each time you open the token.',
  iosTitle: 'Add the app to your Home Screen first',
  iosIntro:
    'On iPhone and iPad, tokens are kept inside the Home Screen app, not in Safari. Install the app first, then add the token there:',
  iosSteps: (app: string) => [
    'Tap Share (the square with the arrow) in Safari.',
    'Tap "Add to Home Screen", then "Add".',
    'Copy the enrollment string on the enrollment page.',
    `Open "${app}" from the Home Screen, tap "Add token" and paste the string.`,
  ],
  iosHelp: 'Help with the installation',
  updateReady: 'A new version of the app is available.',
  reload: 'Update now',
  storageNote:
    'Tokens live only on this device. Deleting the app or its website data deletes them.',
  firstPasscodeLocks: 'The app locks when you leave it.',
  toPortal: 'Open the portal',
  forgotPin: 'Forgot PIN?',
  forgotTitle: 'Forgot your PIN?',
  forgotIntro:
    'Nobody can look up or reset the PIN: it exists only in your head, and the token on this phone is locked with it. To sign in with passcodes again, the token must be set up again.',
  forgotPortal:
    'On the portal, open "My access" and choose "Set up a new phone": you get a new enrollment e-mail. Once the new token works, delete this one.',
  forgotToPortal: 'Set up a new phone on the portal',
  forgotHelpDesk: (contact: string) =>
    contact
      ? `Cannot sign in to the portal? Ask the help desk for a new enrollment: ${contact}.`
      : 'Cannot sign in to the portal? Ask your IT department for a new enrollment.',
  replacedOn: (date: string) =>
    `Replaced on ${date}: a new token replaced this one, and its passcodes no longer work.`,
  revokedOn: (date: string) =>
    `Revoked on ${date}: this token's passcodes no longer work. Ask your IT department if you need a new one.`,
  lockedNotice:
    'Locked after too many wrong passcodes. It unlocks by itself after a while, or ask your IT department.',
  disabledNotice: 'Disabled by your IT department: its passcodes are not accepted for now.',
  deleteFromPhone: 'Delete from this phone',
  clockOff: (amount: string) =>
    `This phone's clock is ${amount} off, so its passcodes are refused. Set the date and time to automatic in the phone's settings.`,
  minutes: (n: number) => (n === 1 ? '1 minute' : `${n} minutes`),
  seconds: (n: number) => `${n} seconds`,
};

export type Texts = typeof en;

const de: Texts = {
  otherLanguage: 'English',
  tokensTitle: 'Ihre Token',
  noTokens:
    'Noch kein Token. Fügen Sie den Token aus Ihrer Einrichtungs-E-Mail hinzu, um Passcodes zu erhalten.',
  addToken: 'Token hinzufügen',
  serial: (serial) => `Seriennummer ${serial}`,
  addTitle: 'Token hinzufügen',
  addIntro:
    'Fügen Sie den Aktivierungscode von der Einrichtungsseite ein, tippen Sie ihn ab oder scannen Sie den QR-Code. Leerzeichen, Bindestriche und Groß-/Kleinschreibung spielen keine Rolle.',
  enrollmentString: 'Aktivierungscode',
  continue: 'Weiter',
  scan: 'QR-Code scannen',
  cancel: 'Abbrechen',
  back: 'Zurück',
  inputEmpty: 'Geben Sie den Aktivierungscode von der Einrichtungsseite ein.',
  inputMalformed:
    'Das ist kein vollständiger Aktivierungscode. Er hat 25 Buchstaben und Ziffern in fünf Gruppen, z. B. ABCDE-FGHJK-…; prüfen Sie, ob ein Zeichen fehlt oder falsch ist.',
  inputOtherServer: (host) =>
    `Diese Einrichtung gehört zu einem anderen Server (${host}). Öffnen Sie stattdessen den Link aus Ihrer Einrichtungs-E-Mail.`,
  scanTitle: 'QR-Code scannen',
  scanIntro: 'Richten Sie die Kamera auf den QR-Code auf der Einrichtungsseite.',
  scanNoCamera:
    'Die Kamera ist nicht verfügbar. Erlauben Sie den Kamerazugriff oder fügen Sie den Aktivierungscode ein.',
  scanFound: 'QR-Code gelesen.',
  nameTitle: 'Token benennen und aktivieren',
  tokenName: 'Tokenname',
  tokenNameHint: 'Ein beliebiger Name, an dem Sie den Token erkennen.',
  nameMissing: 'Geben Sie einen Namen für den Token ein (1 bis 64 Zeichen).',
  importedString: 'Importierter Aktivierungscode',
  activate: 'Aktivieren',
  activating: 'Wird aktiviert …',
  failures: {
    code_malformed:
      'Das ist kein vollständiger Aktivierungscode. Gehen Sie zurück und vergleichen Sie ihn mit der Einrichtungsseite.',
    code_invalid:
      'Dieser Aktivierungscode ist nicht (mehr) gültig: Er ist vielleicht vertippt, schon benutzt oder abgelaufen. Prüfen Sie ihn oder bitten Sie Ihre IT um eine neue Einrichtungs-E-Mail.',
    completed_elsewhere:
      'Dieser Token wurde bereits auf einem anderen Gerät aktiviert. Waren Sie das nicht, melden Sie es Ihrer IT; sonst nutzen Sie das andere Gerät oder bitten um eine neue Einrichtung.',
    activation_failed:
      'Die Aktivierung wurde nicht abgeschlossen. Tippen Sie erneut auf „Aktivieren“; scheitert es wieder, bitten Sie Ihre IT um eine neue Einrichtungs-E-Mail.',
    rate_limited:
      'Zu viele Versuche aus diesem Netz. Warten Sie einige Minuten und tippen Sie dann erneut auf „Aktivieren“.',
    network:
      'Keine Verbindung zum Server. Prüfen Sie, ob Sie online sind (WLAN oder mobile Daten), und tippen Sie dann erneut auf „Aktivieren“. Ihre Eingaben bleiben erhalten.',
  },
  unexpected:
    'Auf diesem Smartphone ist etwas schiefgegangen. Tippen Sie erneut auf die Schaltfläche; passiert es wieder, bitten Sie Ihre IT um Hilfe.',
  activatedTitle: 'Token aktiviert',
  activatedIntro:
    'Schützen Sie ihn jetzt mit einer PIN. Die App fragt die PIN bei jedem Öffnen des Tokens ab.',
  pinTitle: 'PIN festlegen',
  pinIntro: (min, max) =>
    `Wählen Sie ${min} bis ${max} Ziffern, die andere nicht erraten. Ihre IT fragt Sie nie danach.`,
  pin: 'PIN',
  confirmPin: 'PIN bestätigen',
  setPin: 'PIN festlegen',
  protecting: 'Ihr Token wird geschützt …',
  pinProblems: {
    not_digits: 'Die PIN darf nur Ziffern enthalten.',
    too_short: 'Die PIN ist zu kurz.',
    too_long: 'Die PIN ist zu lang.',
    one_digit: 'Die PIN darf nicht aus einer wiederholten Ziffer bestehen (wie 111111).',
    run: 'Die PIN darf keine Ziffernfolge sein (wie 123456 oder 654321).',
    pattern: 'Die PIN darf kein kurzes Muster wiederholen (wie 121212).',
  },
  pinMismatch: 'Die beiden PINs stimmen nicht überein. Geben Sie in beide Felder dieselbe PIN ein.',
  unlockIntro: 'Geben Sie die PIN ein, um den Passcode anzuzeigen.',
  open: 'Öffnen',
  opening: 'PIN wird geprüft …',
  wrongPin: (left) =>
    left === 1
      ? 'Falsche PIN. Noch ein Versuch: Nach einer weiteren falschen PIN wird der Token gelöscht.'
      : `Falsche PIN. Noch ${left} Versuche, bevor der Token gelöscht wird.`,
  wipedTitle: 'Token gelöscht',
  wiped: (name, attempts) =>
    `Der Token „${name}“ wurde nach ${attempts} falschen PINs gelöscht, damit niemand weiter raten kann. Um sich wieder mit Passcode anzumelden, bitten Sie Ihre IT um eine neue Einrichtungs-E-Mail und fügen den neuen Token hier hinzu.`,
  backToTokens: 'Zurück zu den Token',
  rename: 'Umbenennen',
  save: 'Speichern',
  renameTitle: 'Token umbenennen',
  delete: 'Löschen',
  deleteTitle: 'Token löschen?',
  deleteQuestion: (name) =>
    `„${name}“ von diesem Smartphone löschen? Sie können sich dann nicht mehr mit seinen Passcodes anmelden; nur eine neue Einrichtung bringt ihn zurück.`,
  passcode: 'Passcode',
  nextIn: (seconds) => `Neuer Passcode in ${seconds} s`,
  nextPasscode: 'Nächster Passcode',
  hotpHint: 'Jeder Passcode gilt einmal. Tippen Sie auf „Nächster Passcode“ für einen neuen.',
  pinNotSet: 'PIN noch nicht festgelegt: zum Festlegen tippen',
  storageFailed:
    'Dieser Browser lässt die App keine Token speichern (privater Modus oder blockierte Website-Daten). Öffnen Sie die App in einem normalen Browserfenster oder erlauben Sie Website-Daten für diese Seite.',
  copy: 'Kopieren',
  copied: 'Kopiert',
  lock: 'Sperren',
  firstPasscodeHint:
    'Melden Sie sich mit Ihrem Benutzernamen, diesem Passcode und Ihrem üblichen Kennwort an. Die App fragt bei jedem Öffnen des Tokens nach Ihrer PIN.',
  iosTitle: 'Zuerst die App zum Home-Bildschirm hinzufügen',
  iosIntro:
    'Auf iPhone und iPad liegen Token in der App auf dem Home-Bildschirm, nicht in Safari. Installieren Sie zuerst die App und fügen Sie den Token dort hinzu:',
  iosSteps: (app) => [
    'Tippen Sie in Safari auf „Teilen“ (das Quadrat mit dem Pfeil).',
    'Tippen Sie auf „Zum Home-Bildschirm“ und dann auf „Hinzufügen“.',
    'Kopieren Sie den Aktivierungscode auf der Einrichtungsseite.',
    `Öffnen Sie „${app}“ auf dem Home-Bildschirm, tippen Sie auf „Token hinzufügen“ und fügen Sie den Code ein.`,
  ],
  iosHelp: 'Hilfe zur Installation',
  updateReady: 'Eine neue Version der App ist verfügbar.',
  reload: 'Jetzt aktualisieren',
  storageNote:
    'Token liegen nur auf diesem Gerät. Wer die App oder ihre Website-Daten löscht, löscht auch sie.',
  firstPasscodeLocks: 'Die App sperrt sich, wenn Sie sie verlassen.',
  toPortal: 'Zum Portal',
  forgotPin: 'PIN vergessen?',
  forgotTitle: 'PIN vergessen?',
  forgotIntro:
    'Niemand kann die PIN nachsehen oder zurücksetzen: Sie kennen sie allein, und der Token auf diesem Smartphone ist mit ihr verschlossen. Um sich wieder mit Passcodes anzumelden, muss der Token neu eingerichtet werden.',
  forgotPortal:
    'Öffnen Sie im Portal „Mein Zugang“ und wählen Sie „Neues Telefon einrichten“: Sie erhalten eine neue Einrichtungs-E-Mail. Sobald der neue Token funktioniert, löschen Sie diesen.',
  forgotToPortal: 'Neues Telefon im Portal einrichten',
  forgotHelpDesk: (contact) =>
    contact
      ? `Sie kommen nicht ins Portal? Bitten Sie den Helpdesk um eine neue Einrichtung: ${contact}.`
      : 'Sie kommen nicht ins Portal? Bitten Sie Ihre IT um eine neue Einrichtung.',
  replacedOn: (date) =>
    `Ersetzt am ${date}: Ein neuer Token hat diesen ersetzt, seine Passcodes gelten nicht mehr.`,
  revokedOn: (date) =>
    `Widerrufen am ${date}: Die Passcodes dieses Tokens gelten nicht mehr. Brauchen Sie einen neuen, wenden Sie sich an Ihre IT.`,
  lockedNotice:
    'Gesperrt nach zu vielen falschen Passcodes. Die Sperre endet nach einer Weile von selbst, oder wenden Sie sich an Ihre IT.',
  disabledNotice: 'Von Ihrer IT deaktiviert: Seine Passcodes werden vorerst nicht angenommen.',
  deleteFromPhone: 'Von diesem Telefon löschen',
  clockOff: (amount) =>
    `Die Uhr dieses Telefons weicht um ${amount} ab, deshalb werden seine Passcodes abgelehnt. Stellen Sie Datum und Uhrzeit in den Einstellungen auf automatisch.`,
  minutes: (n) => (n === 1 ? '1 Minute' : `${n} Minuten`),
  seconds: (n) => `${n} Sekunden`,
};

export const TEXTS: Record<Lang, Texts> = { en, de };
