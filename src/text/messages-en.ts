/** The English texts. */
import { waitText } from './durations.js';
import type { Messages } from './messages.js';

export const en: Messages = {
  portal: {
    title: 'Sign in',
    welcome: 'Welcome',
    pleaseSignIn: 'Please sign in.',
    username: 'Username',
    tokenCode: 'Token code',
    password: 'Password',
    signIn: 'Sign in',
    failed:
      'Sign-in failed. Check your username, the token code from your app and your password, and try again.',
    clockDrift:
      "Your phone's clock seems to be off — check the time settings, then enter the next code.",
    tokenLocked: (until, who) =>
      `${until ? `Your token is locked until ${until.at} (${waitText('en', until.seconds)} from now).` : 'Your token is locked until your IT department unlocks it.'} Please contact ${who}.`,
    tryLater: (seconds) =>
      `Too many attempts. Please wait ${waitText('en', seconds)} before you try again.`,
    expired: 'Your session has ended. Please sign in again.',
    signedOut: 'You have signed out.',
    setUpToken: 'Set up a token?',
    servicesTitle: 'Your services',
    signedInAs: (name) => `Signed in as ${name}`,
    noServices: 'No services are set up yet.',
    toConsole: 'To the admin console',
    signOut: 'Sign out',
    otherLanguage: 'Deutsch',
    badRequest: 'The form could not be read. Please reload the page and sign in again.',
    unavailable:
      'Signing in is not possible right now: the user directory does not answer. Please try again in a few minutes.',
    serviceUnavailable: 'The service is unavailable for a moment. Please try again shortly.',
  },
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
  link: {
    expiredTitle: 'This link has expired',
    expiredText: (when) => `It could be used until ${when}.`,
    renewText:
      'We can send you a new link, to the e-mail address your organisation has registered for you.',
    renewButton: 'Send me a new link',
    askForNew: (who) => `For a new link, please ask ${who}.`,
    sentTitle: 'New link sent',
    sentText: (maskedAddress) => `We have sent a new link to ${maskedAddress}.`,
    sentOldLink:
      'The link you just opened no longer works. Please open the link in the new e-mail on your smartphone.',
    sentNoMail: (who) => `No e-mail? Please look in your spam folder too, or ask ${who}.`,
    limitTitle: 'Several new links have been sent already',
    limitText: (seconds) =>
      `Another one is possible later: please wait ${waitText('en', seconds)}. Meanwhile, check whether one of the last links has arrived, in the spam folder too.`,
    limitAsk: (who) => `In a hurry? Please ask ${who}.`,
    usedTitle: 'You are already set up — sign in',
    usedText:
      'This link has been used: your token is set up. Sign in with your username, the token code from the app and your password.',
    signIn: 'Go to sign-in',
    spentTitle: 'This link has been used up',
    spentText:
      'If your authenticator app already shows a passcode for this token, you are set up and can sign in.',
    spentAsk: (who) => `Otherwise, please ask ${who} for a new link.`,
    replacedTitle: 'There is a newer link',
    replacedText: 'A new token set-up has been started for you since; this link no longer works.',
    unreadableTitle: 'This request could not be read',
    unreadableText: 'Please open the link in the e-mail again.',
  },
  tooManyRequests: {
    title: 'Please wait a moment',
    text: (seconds) =>
      `There have just been too many requests from your network. Please wait ${waitText('en', seconds)}.`,
    again: 'Then open the link in the e-mail again, or reload this page.',
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
