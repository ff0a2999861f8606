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
    'my-access':
      'Screenshot: "My access" on the portal with the token and the buttons "Set up a new phone" and "Lost phone"',
    'lost-phone': 'Screenshot: the question before the token is revoked',
    'expired-link': 'Screenshot: an expired link with "Send me a new link"',
    'clock-drift': "Screenshot: the portal says that the phone's clock is off",
    'token-locked': 'Screenshot: the portal says the token is locked, until when, and whom to call',
    'forgot-pin': 'Screenshot: "Forgot PIN?" in the authenticator',
    'token-replaced':
      'Screenshot: the old phone shows "Replaced on …" and offers to delete the token',
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
    problems: {
      title: 'When something goes wrong',
      intro:
        'The usual cases and what you can do yourself. Your IT department will never ask for your PIN, your password or a passcode.',
      steps: [],
      sections: [
        {
          id: 'new-phone',
          heading: 'A new phone',
          steps: [
            'Sign in to the portal with your old phone and open "My access".',
            {
              text: 'Tap "Set up a new phone". You receive an e-mail at your registered address; open its link on the new phone.',
              shot: 'my-access',
            },
            'Your old phone keeps working until the token on the new one is active. Then the old token is revoked, and the app on the old phone shows it.',
          ],
        },
        {
          id: 'lost-phone',
          heading: 'A lost or broken phone',
          steps: [
            {
              text: 'If you are still signed in or can sign in: open "My access", tap "Lost phone" and confirm. The token is revoked at once, and you receive an e-mail about it.',
              shot: 'lost-phone',
            },
            'Call the service desk. They can give you a temporary code: you enter it in the "Token code" field, with your password, for the hours and sign-ins they tell you.',
            'After signing in, the portal offers to set up your new phone. As soon as the new token is active, the temporary code no longer works.',
          ],
        },
        {
          id: 'expired-link',
          heading: 'The link has expired or was used',
          steps: [
            {
              text: 'An expired link says so and offers "Send me a new link". The new link goes only to your registered e-mail address, a few times a day.',
              shot: 'expired-link',
            },
            'A link that was used says "You are already set up": sign in to the portal. A link from an older e-mail no longer works; use the newest.',
          ],
        },
        {
          id: 'clock',
          heading: "The phone's clock is off",
          steps: [
            {
              text: "Passcodes depend on the time. If your phone's clock is off, the portal tells you so after your password and a code.",
              shot: 'clock-drift',
            },
            'In the phone\'s settings, turn on "Set time automatically", then enter the next code. Two codes in a row with the same offset are enough too: Pforte remembers the offset.',
            "The app warns by itself when its clock differs from the server's by more than 30 seconds.",
          ],
        },
        {
          id: 'locked',
          heading: 'The token is locked',
          steps: [
            {
              text: 'After too many wrong codes the token is locked. With the right password and a valid code, the portal tells you until when, and whom to call.',
              shot: 'token-locked',
            },
            'Wait until then, or have the service desk unlock the token.',
          ],
        },
        {
          id: 'forgot-pin',
          heading: 'A forgotten PIN',
          steps: [
            {
              text: 'In the app, tap "Forgot PIN?". A PIN cannot be reset: it protects the token on this phone only, and nobody else knows it.',
              shot: 'forgot-pin',
            },
            'Set the token up again: on the portal under "My access" with "Set up a new phone", or through the service desk.',
          ],
        },
        {
          id: 'old-phone',
          heading: 'The old phone',
          steps: [
            {
              text: 'When a token was replaced or revoked, the app on the old phone shows it with the date the next time it is opened online, and offers to delete it.',
              shot: 'token-replaced',
            },
          ],
        },
      ],
    },
  },
};
