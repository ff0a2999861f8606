/**
 * The console's frame, in German and English: navigation, the operator line, the pages
 * that refuse (no role, not allowed), confirmations and the messages every page shares.
 * Each area of the console keeps its own texts beside this file (overview.ts, users.ts, …);
 * each is typed once per language, so a missing translation is a type error.
 */
import { waitText } from '../durations.js';
import type { Lang } from '../i18n.js';

export interface ChromeTexts {
  consoleName: string;
  skipToContent: string;
  nav: {
    label: string;
    overview: string;
    users: string;
    enrollments: string;
    bulk: string;
    audit: string;
    apikeys: string;
    oidc: string;
    mail: string;
    settings: string;
  };
  roleNames: { admin: string; helpdesk: string; none: string };
  signedInAs: (name: string, role: string) => string;
  signOut: string;
  otherLanguage: string;
  noRoleTitle: string;
  noRole: (username: string) => string;
  toPortal: string;
  forbiddenTitle: string;
  forbidden: string;
  notFoundTitle: string;
  notFound: string;
  errorTitle: string;
  badForm: string;
  unavailable: string;
  tryLater: (seconds: number) => string;
  confirmTitle: string;
  confirm: string;
  cancel: string;
  back: string;
  next: string;
  previous: string;
  first: string;
  search: string;
  filter: string;
  reset: string;
  exportCsv: string;
  none: string;
  yes: string;
  no: string;
  never: string;
  results: (shown: number) => string;
}

export const chromeTexts: Record<Lang, ChromeTexts> = {
  de: {
    consoleName: 'Verwaltung',
    skipToContent: 'Zum Inhalt springen',
    nav: {
      label: 'Bereiche',
      overview: 'Übersicht',
      users: 'Benutzer',
      enrollments: 'Einrichtungen',
      bulk: 'Masseneinrichtung',
      audit: 'Protokoll',
      apikeys: 'API-Schlüssel',
      oidc: 'OpenID Connect',
      mail: 'E-Mail',
      settings: 'Einstellungen',
    },
    roleNames: { admin: 'Administrator', helpdesk: 'Helpdesk', none: 'keine' },
    signedInAs: (name, role) => `Angemeldet als ${name} (${role})`,
    signOut: 'Abmelden',
    otherLanguage: 'English',
    noRoleTitle: 'Kein Zugang zur Verwaltung',
    noRole: (username) =>
      `Sie sind als ${username} angemeldet, haben aber keine Rolle in der Verwaltung. Wenn Sie Zugang brauchen, wenden Sie sich an Ihre Administratorin oder Ihren Administrator.`,
    toPortal: 'Zum Portal',
    forbiddenTitle: 'Nicht erlaubt',
    forbidden: 'Diese Seite oder Aktion ist Ihrer Rolle nicht erlaubt. Es wurde nichts geändert.',
    notFoundTitle: 'Nicht gefunden',
    notFound: 'Diese Seite gibt es nicht.',
    errorTitle: 'Nicht ausgeführt',
    badForm:
      'Das Formular ist abgelaufen oder konnte nicht gelesen werden. Es wurde nichts geändert. Bitte laden Sie die Seite neu.',
    unavailable:
      'Die Datenbank antwortet gerade nicht. Es wurde nichts geändert. Bitte versuchen Sie es in Kürze erneut.',
    tryLater: (seconds) => `Zu viele Anfragen. Bitte warten Sie ${waitText('de', seconds)}.`,
    confirmTitle: 'Bitte bestätigen',
    confirm: 'Bestätigen',
    cancel: 'Abbrechen',
    back: 'Zurück',
    next: 'Weiter',
    previous: 'Zurück',
    first: 'Zum Anfang',
    search: 'Suchen',
    filter: 'Filtern',
    reset: 'Zurücksetzen',
    exportCsv: 'Als CSV exportieren',
    none: '—',
    yes: 'ja',
    no: 'nein',
    never: 'nie',
    results: (shown) => (shown === 1 ? '1 Eintrag' : `${shown} Einträge`),
  },
  en: {
    consoleName: 'Console',
    skipToContent: 'Skip to content',
    nav: {
      label: 'Sections',
      overview: 'Overview',
      users: 'Users',
      enrollments: 'Enrollments',
      bulk: 'Bulk enrollment',
      audit: 'Audit log',
      apikeys: 'API keys',
      oidc: 'OpenID Connect',
      mail: 'Mail',
      settings: 'Settings',
    },
    roleNames: { admin: 'administrator', helpdesk: 'help desk', none: 'none' },
    signedInAs: (name, role) => `Signed in as ${name} (${role})`,
    signOut: 'Sign out',
    otherLanguage: 'Deutsch',
    noRoleTitle: 'No access to the console',
    noRole: (username) =>
      `You are signed in as ${username}, but you have no role in the console. If you need access, ask your administrator.`,
    toPortal: 'To the portal',
    forbiddenTitle: 'Not allowed',
    forbidden: 'Your role may not open this page or do this. Nothing was changed.',
    notFoundTitle: 'Not found',
    notFound: 'There is no such page.',
    errorTitle: 'Not done',
    badForm:
      'The form has expired or could not be read. Nothing was changed. Please reload the page.',
    unavailable:
      'The database does not answer right now. Nothing was changed. Please try again shortly.',
    tryLater: (seconds) => `Too many requests. Please wait ${waitText('en', seconds)}.`,
    confirmTitle: 'Please confirm',
    confirm: 'Confirm',
    cancel: 'Cancel',
    back: 'Back',
    next: 'Next',
    previous: 'Previous',
    first: 'First page',
    search: 'Search',
    filter: 'Filter',
    reset: 'Reset',
    exportCsv: 'Export as CSV',
    none: '—',
    yes: 'yes',
    no: 'no',
    never: 'never',
    results: (shown) => (shown === 1 ? '1 entry' : `${shown} entries`),
  },
};
