/**
 * What a VPN or Wi-Fi device shows from Pforte's RADIUS answers (Reply-Message): the
 * prompt of `challenge` mode, and the same one line for every refusal, in the language
 * configured for the client (RADIUS carries no user language, and the user's own would
 * tell a stranger which usernames exist).
 */
import type { Lang } from './messages.js';

export interface RadiusTexts {
  enterTokenCode: string;
  refused: string;
}

export const radiusTexts: Record<Lang, RadiusTexts> = {
  de: {
    enterTokenCode: 'Bitte geben Sie den Token Code aus Ihrer App ein.',
    refused: 'Anmeldung fehlgeschlagen.',
  },
  en: {
    enterTokenCode: 'Please enter the token code from your app.',
    refused: 'Sign-in failed.',
  },
};
