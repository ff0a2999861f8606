/** The help pages in English (help.ts says what each text is for). */
import type { HelpTexts } from './help.js';

export const en: HelpTexts = {
  screenshotAlt: {
    'enrollment-page': 'Screenshot: the enrollment page on the phone',
    'iphone-install':
      'Screenshot: the authenticator in Safari asks to be added to the Home Screen first',
    'name-activate': 'Screenshot: token name, imported enrollment string and "Activate"',
    activated: 'Screenshot: token activated, with "Continue"',
    'set-pin': 'Screenshot: PIN and Confirm PIN',
    'first-passcode': 'Screenshot: the first passcode with its countdown',
    unlock: 'Screenshot: a stored token asks for its PIN',
  },
  pages: {
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
