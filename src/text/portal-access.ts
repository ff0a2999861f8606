/**
 * The portal's "Mein Zugang" (My access) page, its two actions — "Neues Telefon
 * einrichten" and "Telefon verloren" — and the offer on the services page, in German
 * (the portal's first language) and English.
 */
import { waitText } from './durations.js';
import type { Lang } from './messages.js';

export interface PortalAccessTexts {
  title: string;
  /** The services page's link. */
  link: string;
  intro: string;
  tokensHeading: string;
  noTokens: string;
  unnamed: (serial: string) => string;
  serial: string;
  type: string;
  types: { totp: string; hotp: string };
  state: string;
  states: { active: string; locked: string; disabled: string; pending: string; revoked: string };
  enrolledOn: string;
  lastUsed: string;
  never: string;
  enrollmentOpen: (mailedOn: string, until: string) => string;
  temporaryLive: (usesLeft: number, until: string) => string;
  newPhoneHeading: string;
  newPhoneText: string;
  newPhoneButton: string;
  lostPhoneHeading: string;
  lostPhoneText: string;
  lostPhoneButton: string;
  confirmTitle: string;
  confirmText: string;
  confirmMeanwhile: (who: string) => string;
  confirmButton: string;
  cancel: string;
  nothingToRevoke: string;
  revokedTitle: string;
  revoked: string;
  howToSignIn: (who: string) => string;
  noTemporary: (who: string) => string;
  thenNewPhone: string;
  noticeMailed: string;
  sentTitle: string;
  sent: (address: string, until: string) => string;
  oldPhoneKeepsWorking: string;
  noAddress: (who: string) => string;
  selfServiceOff: (who: string) => string;
  tooMany: (seconds: number) => string;
  back: string;
  badForm: string;
  /** The services page's offer to a user without a working token. */
  offerTitle: string;
  offerText: string;
}

const ANMELDUNGEN = (n: number) => (n === 1 ? 'eine Anmeldung' : `${n} Anmeldungen`);
const SIGN_INS = (n: number) => (n === 1 ? 'one sign-in' : `${n} sign-ins`);

export const portalAccessTexts: Record<Lang, PortalAccessTexts> = {
  de: {
    title: 'Mein Zugang',
    link: 'Mein Zugang',
    intro:
      'Hier sehen Sie, womit Sie sich anmelden, richten ein neues Telefon ein oder sperren ein verlorenes.',
    tokensHeading: 'Ihre Tokens',
    noTokens: 'Sie haben kein Token, mit dem Sie sich anmelden können.',
    unnamed: (serial) => `Token ${serial}`,
    serial: 'Seriennummer',
    type: 'Art',
    types: { totp: 'zeitbasiert (TOTP)', hotp: 'zählerbasiert (HOTP)' },
    state: 'Zustand',
    states: {
      active: 'aktiv',
      locked: 'nach zu vielen Fehlversuchen vorübergehend gesperrt',
      disabled: 'von der IT abgeschaltet',
      pending: 'wird eingerichtet',
      revoked: 'widerrufen',
    },
    enrolledOn: 'Eingerichtet am',
    lastUsed: 'Zuletzt benutzt',
    never: 'noch nie',
    enrollmentOpen: (mailedOn, until) =>
      `Ein Link zum Einrichten wurde am ${mailedOn} an Ihre E-Mail-Adresse geschickt. Er gilt bis ${until}.`,
    temporaryLive: (usesLeft, until) =>
      `Ihr vorübergehender Code gilt noch für ${ANMELDUNGEN(usesLeft)}, längstens bis ${until}. Er endet, sobald Ihr neues Telefon eingerichtet ist.`,
    newPhoneHeading: 'Neues Telefon einrichten',
    newPhoneText:
      'Sie bekommen einen Link an Ihre hinterlegte E-Mail-Adresse. Ihr jetziges Telefon funktioniert weiter, bis das neue eingerichtet ist.',
    newPhoneButton: 'Neues Telefon einrichten',
    lostPhoneHeading: 'Telefon verloren',
    lostPhoneText:
      'Ihr Token wird sofort widerrufen, damit niemand mit dem verlorenen Telefon Codes erzeugen kann.',
    lostPhoneButton: 'Telefon verloren',
    confirmTitle: 'Telefon verloren?',
    confirmText:
      'Ihr Token wird sofort widerrufen. Mit dem verlorenen Telefon kann sich danach niemand mehr anmelden – auch Sie nicht.',
    confirmMeanwhile: (who) =>
      `Bis Sie ein neues Telefon haben, können Sie sich an ${who} wenden und um einen vorübergehenden Code bitten. Hier bleiben Sie angemeldet.`,
    confirmButton: 'Token jetzt widerrufen',
    cancel: 'Abbrechen',
    nothingToRevoke: 'Sie haben kein Token, das widerrufen werden kann.',
    revokedTitle: 'Token widerrufen',
    revoked:
      'Ihr Token ist widerrufen. Mit dem verlorenen Telefon kann sich niemand mehr anmelden.',
    howToSignIn: (who) =>
      `Um sich anzumelden, bis Sie ein neues Telefon haben, wenden Sie sich an ${who} und bitten Sie um einen vorübergehenden Code. Sie geben ihn mit Ihrem Kennwort in das Feld „Token Code“ ein.`,
    noTemporary: (who) => `Um sich wieder anmelden zu können, wenden Sie sich an ${who}.`,
    thenNewPhone: 'Sobald Sie ein neues Telefon haben, richten Sie es hier ein.',
    noticeMailed: 'Eine Bestätigung ist an Ihre E-Mail-Adresse unterwegs.',
    sentTitle: 'Link verschickt',
    sent: (address, until) =>
      `Wir haben einen Link an ${address} geschickt. Öffnen Sie ihn auf dem neuen Telefon; er gilt bis ${until}.`,
    oldPhoneKeepsWorking:
      'Ihr jetziges Telefon funktioniert weiter, bis das neue eingerichtet ist.',
    noAddress: (who) =>
      `Für Sie ist keine E-Mail-Adresse hinterlegt, an die wir einen Link schicken könnten. Bitte wenden Sie sich an ${who}.`,
    selfServiceOff: (who) =>
      `Ein neues Telefon richtet bei Ihnen die IT ein. Bitte wenden Sie sich an ${who}.`,
    tooMany: (seconds) =>
      `Sie haben heute schon mehrere Links angefordert. Bitte warten Sie ${waitText('de', seconds)} und versuchen Sie es dann erneut.`,
    back: 'Zurück zu Mein Zugang',
    badForm:
      'Das Formular konnte nicht gelesen werden. Es wurde nichts geändert. Bitte laden Sie die Seite neu und versuchen Sie es erneut.',
    offerTitle: 'Richten Sie Ihr neues Telefon ein',
    offerText:
      'Sie haben gerade kein Token, mit dem Sie sich anmelden können – etwa weil Sie sich mit einem vorübergehenden Code angemeldet haben.',
  },
  en: {
    title: 'My access',
    link: 'My access',
    intro: 'What you sign in with; set up a new phone or block a lost one.',
    tokensHeading: 'Your tokens',
    noTokens: 'You have no token to sign in with.',
    unnamed: (serial) => `Token ${serial}`,
    serial: 'Serial number',
    type: 'Type',
    types: { totp: 'time-based (TOTP)', hotp: 'counter-based (HOTP)' },
    state: 'State',
    states: {
      active: 'active',
      locked: 'locked for a while after too many failed attempts',
      disabled: 'turned off by IT',
      pending: 'being set up',
      revoked: 'revoked',
    },
    enrolledOn: 'Set up on',
    lastUsed: 'Last used',
    never: 'never',
    enrollmentOpen: (mailedOn, until) =>
      `A set-up link was mailed to your e-mail address on ${mailedOn}. It is valid until ${until}.`,
    temporaryLive: (usesLeft, until) =>
      `Your temporary code is good for ${SIGN_INS(usesLeft)} more, until ${until} at the latest. It ends as soon as your new phone is set up.`,
    newPhoneHeading: 'Set up a new phone',
    newPhoneText:
      'You get a link at your registered e-mail address. Your current phone keeps working until the new one is set up.',
    newPhoneButton: 'Set up a new phone',
    lostPhoneHeading: 'Lost phone',
    lostPhoneText:
      'Your token is revoked at once, so that nobody can make codes with the lost phone.',
    lostPhoneButton: 'Lost phone',
    confirmTitle: 'Lost your phone?',
    confirmText:
      'Your token is revoked at once. Nobody can sign in with the lost phone afterwards — you neither.',
    confirmMeanwhile: (who) =>
      `Until you have a new phone, you can ask ${who} for a temporary code. You stay signed in here.`,
    confirmButton: 'Revoke my token now',
    cancel: 'Cancel',
    nothingToRevoke: 'You have no token that could be revoked.',
    revokedTitle: 'Token revoked',
    revoked: 'Your token is revoked. Nobody can sign in with the lost phone any more.',
    howToSignIn: (who) =>
      `To sign in until you have a new phone, contact ${who} and ask for a temporary code. Type it into the “Token code” field, with your password.`,
    noTemporary: (who) => `To sign in again, please contact ${who}.`,
    thenNewPhone: 'As soon as you have a new phone, set it up here.',
    noticeMailed: 'A confirmation is on its way to your e-mail address.',
    sentTitle: 'Link sent',
    sent: (address, until) =>
      `We sent a link to ${address}. Open it on the new phone; it is valid until ${until}.`,
    oldPhoneKeepsWorking: 'Your current phone keeps working until the new one is set up.',
    noAddress: (who) =>
      `There is no e-mail address on record for you that we could send a link to. Please contact ${who}.`,
    selfServiceOff: (who) => `IT sets up new phones for you. Please contact ${who}.`,
    tooMany: (seconds) =>
      `You have asked for several links today already. Please wait ${waitText('en', seconds)} and try again.`,
    back: 'Back to My access',
    badForm:
      'The form could not be read. Nothing was changed. Please reload the page and try again.',
    offerTitle: 'Set up your new phone',
    offerText:
      'You have no token to sign in with at the moment — for example because you signed in with a temporary code.',
  },
};
