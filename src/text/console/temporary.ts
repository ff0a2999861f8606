/** Temporary access on a user's page in the console, in German and English. */
import { waitText } from '../durations.js';
import type { Lang } from '../i18n.js';

export interface TemporaryTexts {
  title: string;
  explain: string;
  hours: string;
  uses: string;
  issue: string;
  live: (usesLeft: number, until: string, by: string) => string;
  none: string;
  ended: (reason: string) => string;
  endReasons: Record<string, string>;
  end: string;
  off: string;
  issuedTitle: string;
  readOut: (username: string) => string;
  validFor: (uses: number, hours: number, until: string) => string;
  endsWhenNewToken: string;
  copy: string;
  copied: string;
  back: string;
}

export const temporaryTexts: Record<Lang, TemporaryTexts> = {
  de: {
    title: 'Vorübergehender Zugang',
    explain:
      'Für ein verlorenes oder defektes Telefon: ein Code, den die Person mit ihrem Kennwort ins Feld „Token Code“ eingibt. Er wird nur einmal angezeigt und endet, sobald ein neues Token aktiv ist.',
    hours: 'Stunden',
    uses: 'Anmeldungen',
    issue: 'Vorübergehenden Zugang erteilen',
    live: (usesLeft, until, by) =>
      `Ein vorübergehender Code gilt: noch ${usesLeft === 1 ? 'eine Anmeldung' : `${usesLeft} Anmeldungen`}, bis ${until} (erteilt von ${by}).`,
    none: 'Kein vorübergehender Code gilt.',
    ended: (reason) => `Der letzte vorübergehende Code gilt nicht mehr (${reason}).`,
    endReasons: {
      token_active: 'ein neues Token ist aktiv',
      replaced: 'durch einen neueren ersetzt',
      ended_by_operator: 'beendet',
      used: 'aufgebraucht oder abgelaufen',
    },
    end: 'Beenden',
    off: 'Vorübergehender Zugang ist durch die Richtlinie abgeschaltet.',
    issuedTitle: 'Vorübergehender Code',
    readOut: (username) =>
      `Lesen Sie ${username} diesen Code vor. Er wird nicht noch einmal angezeigt.`,
    validFor: (uses, hours, until) =>
      `Er gilt mit dem Kennwort für ${uses === 1 ? 'eine Anmeldung' : `${uses} Anmeldungen`} in den nächsten ${waitText('de', hours * 3600)}, bis ${until}.`,
    endsWhenNewToken: 'Sobald ein neues Token aktiv ist, endet er.',
    copy: 'Kopieren',
    copied: 'Kopiert',
    back: 'Zurück zum Benutzer',
  },
  en: {
    title: 'Temporary access',
    explain:
      'For a lost or broken phone: a code the person types into the Token Code field with their password. It is shown only once and ends as soon as a new token is active.',
    hours: 'Hours',
    uses: 'Sign-ins',
    issue: 'Issue temporary access',
    live: (usesLeft, until, by) =>
      `A temporary code works: ${usesLeft === 1 ? 'one more sign-in' : `${usesLeft} more sign-ins`}, until ${until} (issued by ${by}).`,
    none: 'No temporary code works.',
    ended: (reason) => `The last temporary code no longer works (${reason}).`,
    endReasons: {
      token_active: 'a new token is active',
      replaced: 'replaced by a newer one',
      ended_by_operator: 'ended',
      used: 'used up or expired',
    },
    end: 'End it',
    off: 'Temporary access is turned off by policy.',
    issuedTitle: 'Temporary code',
    readOut: (username) => `Read this code out to ${username}. It is not shown again.`,
    validFor: (uses, hours, until) =>
      `With the password it works for ${uses === 1 ? 'one sign-in' : `${uses} sign-ins`} in the next ${waitText('en', hours * 3600)}, until ${until}.`,
    endsWhenNewToken: 'It ends as soon as a new token is active.',
    copy: 'Copy',
    copied: 'Copied',
    back: 'Back to the user',
  },
};
