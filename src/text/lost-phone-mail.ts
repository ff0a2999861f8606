/** The notice mailed after "Telefon verloren" (Lost phone), in German and English. */
import type { Lang } from './messages.js';

export interface LostPhoneMailTexts {
  subject: (organisation: string) => string;
  greeting: (name: string) => string;
  revoked: (when: string) => string;
  /** How to sign in meanwhile, when the help desk may issue temporary codes. */
  temporary: (who: string) => string;
  /** The same when it may not. */
  noTemporary: (who: string) => string;
  newPhoneSteps: string;
  toPortal: string;
  /** When employees may not set up a phone themselves. */
  newPhoneByIT: (who: string) => string;
  notYou: (who: string) => string;
}

export const lostPhoneMailTexts: Record<Lang, LostPhoneMailTexts> = {
  de: {
    subject: (organisation) => `${organisation}: Ihr Token wurde widerrufen`,
    greeting: (name) => `Hallo ${name},`,
    revoked: (when) =>
      `Sie haben im Portal gemeldet, dass Ihr Telefon verloren ist. Ihr Token wurde deshalb am ${when} widerrufen: Mit dem verlorenen Telefon kann sich niemand mehr anmelden.`,
    temporary: (who) =>
      `Bis Sie ein neues Telefon haben: Wenden Sie sich an ${who} und bitten Sie um einen vorübergehenden Code. Sie geben ihn bei der Anmeldung mit Ihrem Kennwort in das Feld „Token Code“ ein.`,
    noTemporary: (who) => `Um sich wieder anmelden zu können, wenden Sie sich bitte an ${who}.`,
    newPhoneSteps:
      'Danach richten Sie Ihr neues Telefon ein: Melden Sie sich im Portal an, öffnen Sie „Mein Zugang“ und wählen Sie „Neues Telefon einrichten“.',
    toPortal: 'Zum Portal',
    newPhoneByIT: (who) => `Für ein neues Telefon wenden Sie sich bitte an ${who}.`,
    notYou: (who) => `Sie haben das nicht gemeldet? Dann wenden Sie sich bitte sofort an ${who}.`,
  },
  en: {
    subject: (organisation) => `${organisation}: your token was revoked`,
    greeting: (name) => `Hello ${name},`,
    revoked: (when) =>
      `You reported in the portal that your phone is lost. Your token was therefore revoked on ${when}: nobody can sign in with the lost phone any more.`,
    temporary: (who) =>
      `Until you have a new phone, contact ${who} and ask for a temporary code. When you sign in, type it into the “Token code” field, with your password.`,
    noTemporary: (who) => `To sign in again, please contact ${who}.`,
    newPhoneSteps:
      'Then set up your new phone: sign in to the portal, open “My access” and choose “Set up a new phone”.',
    toPortal: 'To the portal',
    newPhoneByIT: (who) => `For a new phone, please contact ${who}.`,
    notYou: (who) => `You did not report this? Then please contact ${who} at once.`,
  },
};
