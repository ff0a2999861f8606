/**
 * What an operator does on a user's page, in German and English: the buttons and
 * forms, the confirmations of the dangerous actions, and the message after each.
 */
import type { Lang } from '../i18n.js';

/** What the page says after an action, named by the `done` of its address. */
export const DONE = [
  'enrollment-started',
  'enrollment-resent',
  'enrollment-cancelled',
  'token-unlocked',
  'token-resynced',
  'token-revoked',
  'user-disabled',
  'user-enabled',
  'password-set',
  'role-set',
  'temporary-ended',
] as const;
export type Done = (typeof DONE)[number];

export interface UserActionsTexts {
  startEnrollment: string;
  resend: string;
  cancel: string;
  unlock: string;
  resync: string;
  resyncFirst: string;
  resyncSecond: string;
  resyncHint: string;
  revoke: string;
  disable: string;
  enable: string;
  setPassword: string;
  password: string;
  passwordRepeat: string;
  passwordsDiffer: string;
  remove: string;
  notYourself: string;
  changeRole: string;
  newRole: string;
  done: Record<Done, string>;
  removed: (username: string) => string;
  confirmRevoke: (serial: string, username: string) => string;
  confirmRemove: (username: string) => string;
  confirmRole: (username: string, from: string, to: string) => string;
  roleUnchanged: string;
}

export const userActionsTexts: Record<Lang, UserActionsTexts> = {
  de: {
    startEnrollment: 'Einrichtung starten',
    resend: 'Erneut senden',
    cancel: 'Abbrechen',
    unlock: 'Entsperren',
    resync: 'Neu synchronisieren',
    resyncFirst: 'Erster Code',
    resyncSecond: 'Nächster Code',
    resyncHint: 'Zwei aufeinanderfolgende Codes aus der App oder vom Token',
    revoke: 'Widerrufen',
    disable: 'Benutzer sperren',
    enable: 'Benutzer entsperren',
    setPassword: 'Passwort setzen',
    password: 'Neues Passwort',
    passwordRepeat: 'Passwort wiederholen',
    passwordsDiffer: 'Die beiden Passwörter stimmen nicht überein. Es wurde nichts geändert.',
    remove: 'Benutzer entfernen',
    changeRole: 'Rolle ändern',
    newRole: 'Neue Rolle',
    done: {
      'enrollment-started': 'Die Einrichtung ist gestartet; die E-Mail mit dem Link ist unterwegs.',
      'enrollment-resent': 'Die Einrichtung ist erneut gesendet und wieder voll gültig.',
      'enrollment-cancelled': 'Die Einrichtung ist abgebrochen.',
      'token-unlocked': 'Das Token ist entsperrt; die Wartezeit nach Fehlversuchen ist aufgehoben.',
      'token-resynced': 'Das Token ist neu synchronisiert.',
      'token-revoked': 'Das Token ist widerrufen.',
      'user-disabled': 'Der Benutzer ist gesperrt.',
      'user-enabled': 'Der Benutzer ist entsperrt.',
      'password-set': 'Das Passwort ist gesetzt.',
      'role-set': 'Die Rolle ist geändert.',
      'temporary-ended': 'Der vorübergehende Zugang ist beendet.',
    },
    removed: (username) => `Der Benutzer ${username} ist entfernt.`,
    notYourself:
      'Sie können sich nicht selbst entfernen oder Ihre eigene Rolle ändern. Das kann eine andere Administratorin oder ein anderer Administrator tun.',
    confirmRevoke: (serial, username) =>
      `Das Token ${serial} von ${username} wird widerrufen: Es kann sich damit niemand mehr anmelden, und das lässt sich nicht rückgängig machen.`,
    confirmRemove: (username) =>
      `Der Benutzer ${username} wird mit allen Token und Einrichtungen entfernt. Das Protokoll behält seine Ereignisse. Das lässt sich nicht rückgängig machen.`,
    confirmRole: (username, from, to) =>
      `Die Rolle von ${username} in der Verwaltung wird von „${from}“ zu „${to}“ geändert.`,
    roleUnchanged: 'Der Benutzer hat diese Rolle schon. Es wurde nichts geändert.',
  },
  en: {
    startEnrollment: 'Start enrollment',
    resend: 'Resend',
    cancel: 'Cancel',
    unlock: 'Unlock',
    resync: 'Resync',
    resyncFirst: 'First code',
    resyncSecond: 'Next code',
    resyncHint: 'Two consecutive codes from the app or the token',
    revoke: 'Revoke',
    disable: 'Disable user',
    enable: 'Enable user',
    setPassword: 'Set password',
    password: 'New password',
    passwordRepeat: 'Repeat password',
    passwordsDiffer: 'The two passwords differ. Nothing was changed.',
    remove: 'Remove user',
    changeRole: 'Change role',
    newRole: 'New role',
    done: {
      'enrollment-started': 'The enrollment is started; the mail with its link is on its way.',
      'enrollment-resent': 'The enrollment is sent again and valid for its full time.',
      'enrollment-cancelled': 'The enrollment is cancelled.',
      'token-unlocked': 'The token is unlocked; the wait after failed sign-ins is lifted.',
      'token-resynced': 'The token is resynchronised.',
      'token-revoked': 'The token is revoked.',
      'user-disabled': 'The user is disabled.',
      'user-enabled': 'The user is enabled.',
      'password-set': 'The password is set.',
      'role-set': 'The role is changed.',
      'temporary-ended': 'The temporary access has ended.',
    },
    removed: (username) => `The user ${username} is removed.`,
    notYourself: 'You cannot remove yourself or change your own role. Another administrator can.',
    confirmRevoke: (serial, username) =>
      `Token ${serial} of ${username} will be revoked: no one can sign in with it any more, and this cannot be undone.`,
    confirmRemove: (username) =>
      `The user ${username} will be removed with all their tokens and enrollments. The audit log keeps their events. This cannot be undone.`,
    confirmRole: (username, from, to) =>
      `The console role of ${username} will change from “${from}” to “${to}”.`,
    roleUnchanged: 'The user has this role already. Nothing was changed.',
  },
};
