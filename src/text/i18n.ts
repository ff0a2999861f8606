/**
 * The languages of the pages and the e-mail: which one to use, and every text in German and
 * English. Each language is one object of type `Messages`, so a missing translation is a
 * type error. Texts are plain text; the templates escape them and add the markup.
 */

export type Lang = 'de' | 'en';

export const LANGUAGES: readonly Lang[] = ['de', 'en'];

const DEFAULT_LANG: Lang = 'de';

/** The primary subtag of a language tag when it is one of ours: `de-AT` → `de`. */
function languageOf(tag: string): Lang | undefined {
  const primary = tag.trim().toLowerCase().split('-')[0];
  return LANGUAGES.find((lang) => lang === primary);
}

/**
 * Picks the page language: the user's stored language when it is one of ours, else the best
 * of German and English by the Accept-Language header's q-values (RFC 9110 §12.5.4; `*`
 * stands for any language not named), else German. Ties go to the language named first.
 */
export function chooseLanguage(acceptLanguage: string | undefined, preferred?: string): Lang {
  const stored = preferred === undefined ? undefined : languageOf(preferred);
  if (stored) return stored;
  if (!acceptLanguage) return DEFAULT_LANG;

  const quality = new Map<Lang, number>();
  const order: Lang[] = [];
  let wildcard: number | undefined;
  for (const entry of acceptLanguage.split(',')) {
    const [range = '', ...params] = entry.split(';').map((part) => part.trim());
    const q = qualityOf(params);
    if (q === undefined || range === '') continue;
    if (range === '*') {
      wildcard = Math.max(wildcard ?? 0, q);
      continue;
    }
    const lang = languageOf(range);
    if (!lang) continue;
    if (!quality.has(lang)) order.push(lang);
    quality.set(lang, Math.max(quality.get(lang) ?? 0, q));
  }
  if (wildcard !== undefined) {
    for (const lang of [DEFAULT_LANG, ...LANGUAGES]) {
      if (!quality.has(lang)) {
        quality.set(lang, wildcard);
        order.push(lang);
      }
    }
  }

  let best: Lang = DEFAULT_LANG;
  let bestQ = 0;
  for (const lang of order) {
    const q = quality.get(lang)!;
    if (q > bestQ) [best, bestQ] = [lang, q];
  }
  // Nothing acceptable: the default, unless the header refused exactly that.
  if (bestQ === 0) return LANGUAGES.find((lang) => quality.get(lang) !== 0) ?? DEFAULT_LANG;
  return best;
}

/** The `q` parameter as a number in [0, 1]; 1 when absent; undefined when malformed. */
function qualityOf(params: string[]): number | undefined {
  const q = params.find((p) => /^q\s*=/i.test(p));
  if (q === undefined) return 1;
  const value = q.replace(/^q\s*=\s*/i, '');
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return undefined;
  return Number(value);
}

/** "Freitag, 6. Dezember 2024 um 14:30 MEZ" — the time in Europe/Berlin, with its zone. */
export function formatDateTime(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Berlin',
    timeZoneName: 'short',
  }).format(date);
}

export interface Messages {
  /** Shared by several pages. */
  common: {
    itDepartment: string;
    askFor: (who: string) => string;
    copy: string;
    copied: string;
    enrollmentStringLabel: string;
  };
  enrollment: {
    title: string;
    greeting: (name: string) => string;
    intro: (organisation: string) => string;
    expires: (when: string) => string;
    installHeading: string;
    installText: string;
    installLink: string;
    androidHelp: string;
    importHeading: string;
    importButton: string;
    importText: string;
    copyHeading: string;
    copyText: string;
    iphoneIntro: string;
    iphoneWhy: string;
    iphoneInstallHeading: string;
    iphoneInstallText: string;
    iphoneInstallLink: string;
    iphoneHelp: string;
    iphoneCopyHeading: string;
    iphoneCopyText: string;
    iphonePasteHeading: string;
    iphonePasteText: string;
    iphoneImportHeading: string;
    iphoneImportText: string;
    computerHeading: string;
    computerText: string;
    computerString: string;
    qrLabel: string;
    standardHeading: string;
    standardText: string;
    standardButton: string;
  };
  invalid: {
    title: string;
    text: string;
    action: (who: string) => string;
    newerMail: string;
  };
  standardApp: {
    title: string;
    intro: string;
    scanHeading: string;
    scanText: string;
    qrLabel: string;
    openHere: string;
    manualHeading: string;
    manualText: string;
    secretLabel: string;
    settingsLabel: string;
    settingType: string;
    settingTypeValue: string;
    settingAlgorithm: string;
    settingDigits: string;
    settingPeriod: string;
    settingPeriodValue: string;
    confirmHeading: string;
    confirmText: string;
    otpLabel: string;
    otpHint: string;
    activate: string;
    wrongCode: string;
  };
  done: {
    title: string;
    text: string;
    signIn: string;
  };
  mail: {
    subject: (organisation: string) => string;
    greeting: (name: string) => string;
    intro: (organisation: string) => string;
    stepsHeading: string;
    stepOpen: string;
    stepFollow: string;
    stepApp: string;
    button: string;
    linkFallback: string;
    expires: (when: string) => string;
    personal: string;
    neverAsk: (organisation: string) => string;
    questions: (who: string) => string;
  };
}

const de: Messages = {
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
    action: (who) => `Bitte fordern Sie bei ${who} eine neue Token-Einrichtung an.`,
    newerMail:
      'Haben Sie inzwischen eine neuere E-Mail erhalten, verwenden Sie bitte den Link darin.',
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

const en: Messages = {
  common: {
    itDepartment: 'your IT department',
    askFor: (who) => `Questions? Please ask ${who}.`,
    copy: 'Copy',
    copied: 'Copied',
    enrollmentStringLabel: 'Enrollment string',
  },
  enrollment: {
    title: 'Set up your sign-in token',
    greeting: (name) => `Hello ${name},`,
    intro: (organisation) =>
      `this page sets up your token for signing in to ${organisation}. It takes about two minutes.`,
    expires: (when) => `This link can be used until ${when}.`,
    installHeading: 'Install the authenticator',
    installText:
      "Install the Pforte Authenticator: open it and choose 'Add to Home screen' or 'Install app' in the browser menu. Then come back to this page.",
    installLink: 'Open the Pforte Authenticator',
    androidHelp: 'Instructions for Android',
    importHeading: 'Import the token',
    importButton: 'Import the token',
    importText:
      'The authenticator opens and asks for a name for the token and a PIN. Then it shows your first passcode.',
    copyHeading: 'Or: copy the enrollment string',
    copyText:
      'If the app does not open: copy the enrollment string and paste it in the authenticator.',
    iphoneIntro:
      'On iPhone, add the authenticator to your Home Screen first, then transfer the token with the enrollment string.',
    iphoneWhy:
      'A link from Mail always opens Safari, and Safari cannot hand the token over to the app on your Home Screen.',
    iphoneInstallHeading: 'Add the app to your Home Screen',
    iphoneInstallText:
      "Open the Pforte Authenticator in Safari, tap 'Share' (the square with the arrow pointing up), then 'Add to Home Screen'. Then come back to this page.",
    iphoneInstallLink: 'Open the Pforte Authenticator in Safari',
    iphoneHelp: 'Instructions for iPhone and iPad',
    iphoneCopyHeading: 'Copy the enrollment string',
    iphoneCopyText: 'Copy this enrollment string:',
    iphonePasteHeading: 'Open the app and paste the string',
    iphonePasteText:
      'Open the Pforte Authenticator from the new icon on your Home Screen and paste the enrollment string you copied (or type it). The app then asks for a name for the token and a PIN, and shows your first passcode.',
    iphoneImportHeading: 'Is the app already installed?',
    iphoneImportText:
      'Then you can also try this link. If it opens Safari instead of the app, please paste the enrollment string as described above.',
    computerHeading: 'Please open this link on your smartphone',
    computerText:
      "The token is set up on your smartphone. Scan this QR code with your smartphone's camera, or open the e-mail there.",
    computerString:
      'For reference, your enrollment string (you can also type it in the authenticator):',
    qrLabel: 'QR code with the link to this page',
    standardHeading: 'Prefer another authenticator app?',
    standardText: 'For apps such as Google Authenticator or FreeOTP, this shows a QR code to scan.',
    standardButton: 'Use another authenticator app',
  },
  invalid: {
    title: 'This link cannot be used',
    text: 'It may have been used already, have expired, or been replaced by a newer one.',
    action: (who) => `Please ask ${who} to start a new token set-up for you.`,
    newerMail: 'If you have received a newer e-mail in the meantime, please use the link in it.',
  },
  standardApp: {
    title: 'Set up the token in another app',
    intro:
      'How to set up the token in an authenticator app such as Google Authenticator or FreeOTP.',
    scanHeading: 'Scan the QR code',
    scanText: 'In your authenticator app, add an account and scan this QR code.',
    qrLabel: 'QR code for your authenticator app',
    openHere: 'On your smartphone? Open the token in the app directly',
    manualHeading: 'Or: enter the key by hand',
    manualText: 'If you cannot scan, enter this key in the app:',
    secretLabel: 'Key',
    settingsLabel: 'Settings',
    settingType: 'Type',
    settingTypeValue: 'time-based (TOTP)',
    settingAlgorithm: 'Algorithm',
    settingDigits: 'Digits',
    settingPeriod: 'Interval',
    settingPeriodValue: '30 seconds',
    confirmHeading: 'Confirm the code',
    confirmText: 'Enter the code the app shows now. Only then is the token active.',
    otpLabel: 'Code shown in the app',
    otpHint: '6 digits',
    activate: 'Activate',
    wrongCode:
      'That code was not right. Please wait until the app shows the next code, and enter that one.',
  },
  done: {
    title: 'Your token is active',
    text: 'The set-up is complete.',
    signIn:
      'You can now sign in with your username, the token code (the passcode from the app) and your password.',
  },
  mail: {
    subject: (organisation) => `${organisation}: set up your sign-in token`,
    greeting: (name) => `Hello ${name},`,
    intro: (organisation) =>
      `${organisation} is setting up sign-in with one-time passcodes. For this you get a personal token on your smartphone.`,
    stepsHeading: 'What to do:',
    stepOpen: 'Open the link below on your smartphone, not on a computer. This is required.',
    stepFollow:
      'Follow the steps on the page: you install the Pforte Authenticator and import your token.',
    stepApp: 'The app asks for a name for the token and a PIN. Then it shows your first passcode.',
    button: 'Set up your token',
    linkFallback: 'If the button does not work, open this link:',
    expires: (when) => `The link can be used until ${when}.`,
    personal: 'The link is personal. Please do not forward this e-mail.',
    neverAsk: (organisation) =>
      `The IT department of ${organisation} will never ask you for your PIN or your passcodes.`,
    questions: (who) => `Questions? Please ask ${who}.`,
  },
};

const MESSAGES: Readonly<Record<Lang, Messages>> = { de, en };

/** All texts in one language. */
export function messagesFor(lang: Lang): Messages {
  return MESSAGES[lang];
}
