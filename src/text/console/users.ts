/**
 * The console's Users section in German and English: the list with its filters, and a
 * user's page (profile, tokens, enrollments, events). The actions' texts are in
 * user-actions.ts; the names of token and enrollment states are the overview's.
 */
import type { MailState } from '../../store/tables.js';
import type { Lang } from '../i18n.js';

export interface UsersTexts {
  title: string;
  filters: string;
  search: string;
  searchHint: string;
  any: string;
  source: string;
  sources: { pforte: string; directory: string };
  role: string;
  roles: { admin: string; helpdesk: string; none: string };
  state: string;
  states: { enabled: string; disabled: string };
  token: string;
  tokenFilters: {
    active: string;
    locked: string;
    disabled: string;
    revoked: string;
    pending: string;
    none: string;
  };
  sort: string;
  sorts: { username: string; name: string; lastSignIn: string };
  columns: {
    username: string;
    name: string;
    email: string;
    source: string;
    role: string;
    state: string;
    lastSignIn: string;
  };
  empty: string;
  fromDirectory: (name: string) => string;
  profile: string;
  language: string;
  languages: { de: string; en: string };
  createdAt: string;
  tokens: string;
  noTokens: string;
  tokenColumns: {
    serial: string;
    description: string;
    type: string;
    state: string;
    enrolled: string;
    lastUsed: string;
    failures: string;
    lockedUntil: string;
    actions: string;
  };
  untilUnlocked: string;
  enrollments: string;
  noEnrollments: string;
  enrollmentColumns: {
    id: string;
    state: string;
    started: string;
    expires: string;
    mail: string;
    token: string;
    actions: string;
  };
  mailStates: Record<MailState, string>;
  noMail: string;
  moreEnrollments: string;
  events: string;
  noEvents: string;
  eventColumns: {
    at: string;
    action: string;
    outcome: string;
    actor: string;
    face: string;
    address: string;
    serial: string;
  };
  allEvents: string;
}

export const usersTexts: Record<Lang, UsersTexts> = {
  de: {
    title: 'Benutzer',
    filters: 'Benutzer suchen und filtern',
    search: 'Suche',
    searchHint: 'Anfang von Benutzername, Name oder E-Mail',
    any: 'alle',
    source: 'Herkunft',
    sources: { pforte: 'Pforte', directory: 'Verzeichnis' },
    role: 'Rolle',
    roles: { admin: 'Administrator', helpdesk: 'Helpdesk', none: 'keine' },
    state: 'Zustand',
    states: { enabled: 'aktiv', disabled: 'gesperrt' },
    token: 'Token',
    tokenFilters: {
      active: 'mit aktivem Token',
      locked: 'mit gesperrtem Token',
      disabled: 'mit deaktiviertem Token',
      revoked: 'mit widerrufenem Token',
      pending: 'mit Token in Einrichtung',
      none: 'ohne aktives Token',
    },
    sort: 'Sortierung',
    sorts: { username: 'Benutzername', name: 'Name', lastSignIn: 'letzte Anmeldung' },
    columns: {
      username: 'Benutzername',
      name: 'Name',
      email: 'E-Mail',
      source: 'Herkunft',
      role: 'Rolle',
      state: 'Zustand',
      lastSignIn: 'Letzte Anmeldung',
    },
    empty: 'Keine Benutzer gefunden.',
    fromDirectory: (name) => `Verzeichnis ${name}`,
    profile: 'Profil',
    language: 'Sprache',
    languages: { de: 'Deutsch', en: 'Englisch' },
    createdAt: 'Angelegt',
    tokens: 'Token',
    noTokens: 'Keine Token.',
    tokenColumns: {
      serial: 'Seriennummer',
      description: 'Bezeichnung',
      type: 'Art',
      state: 'Zustand',
      enrolled: 'Eingerichtet',
      lastUsed: 'Zuletzt benutzt',
      failures: 'Fehlversuche',
      lockedUntil: 'Gesperrt bis',
      actions: 'Aktionen',
    },
    untilUnlocked: 'bis zur Entsperrung',
    enrollments: 'Einrichtungen',
    noEnrollments: 'Keine Einrichtungen.',
    enrollmentColumns: {
      id: 'Kennung',
      state: 'Zustand',
      started: 'Gestartet',
      expires: 'Gültig bis',
      mail: 'E-Mail',
      token: 'Token',
      actions: 'Aktionen',
    },
    mailStates: {
      queued: 'wartet auf Versand',
      sending: 'wird gesendet',
      sent: 'gesendet',
      failed: 'nicht zugestellt',
      stored: 'abgelegt (kein Mailserver)',
      cancelled: 'nicht gesendet',
    },
    noMail: 'keine',
    moreEnrollments: 'Ältere Einrichtungen',
    events: 'Letzte Ereignisse',
    noEvents: 'Keine Ereignisse.',
    eventColumns: {
      at: 'Zeit',
      action: 'Aktion',
      outcome: 'Ergebnis',
      actor: 'Ausgeführt von',
      face: 'Schnittstelle',
      address: 'Adresse',
      serial: 'Token',
    },
    allEvents: 'Alle Ereignisse im Protokoll',
  },
  en: {
    title: 'Users',
    filters: 'Search and filter users',
    search: 'Search',
    searchHint: 'Start of username, name or e-mail',
    any: 'any',
    source: 'Source',
    sources: { pforte: 'Pforte', directory: 'Directory' },
    role: 'Role',
    roles: { admin: 'administrator', helpdesk: 'help desk', none: 'none' },
    state: 'State',
    states: { enabled: 'enabled', disabled: 'disabled' },
    token: 'Token',
    tokenFilters: {
      active: 'with an active token',
      locked: 'with a locked token',
      disabled: 'with a disabled token',
      revoked: 'with a revoked token',
      pending: 'with a token being set up',
      none: 'without an active token',
    },
    sort: 'Order',
    sorts: { username: 'username', name: 'name', lastSignIn: 'last sign-in' },
    columns: {
      username: 'Username',
      name: 'Name',
      email: 'E-mail',
      source: 'Source',
      role: 'Role',
      state: 'State',
      lastSignIn: 'Last sign-in',
    },
    empty: 'No users found.',
    fromDirectory: (name) => `directory ${name}`,
    profile: 'Profile',
    language: 'Language',
    languages: { de: 'German', en: 'English' },
    createdAt: 'Created',
    tokens: 'Tokens',
    noTokens: 'No tokens.',
    tokenColumns: {
      serial: 'Serial',
      description: 'Name',
      type: 'Type',
      state: 'State',
      enrolled: 'Enrolled',
      lastUsed: 'Last used',
      failures: 'Failures',
      lockedUntil: 'Locked until',
      actions: 'Actions',
    },
    untilUnlocked: 'until unlocked',
    enrollments: 'Enrollments',
    noEnrollments: 'No enrollments.',
    enrollmentColumns: {
      id: 'ID',
      state: 'State',
      started: 'Started',
      expires: 'Expires',
      mail: 'Mail',
      token: 'Token',
      actions: 'Actions',
    },
    mailStates: {
      queued: 'queued',
      sending: 'sending',
      sent: 'sent',
      failed: 'failed',
      stored: 'stored (no mail server)',
      cancelled: 'not sent',
    },
    noMail: 'none',
    moreEnrollments: 'Older enrollments',
    events: 'Latest events',
    noEvents: 'No events.',
    eventColumns: {
      at: 'Time',
      action: 'Action',
      outcome: 'Outcome',
      actor: 'Done by',
      face: 'Face',
      address: 'Address',
      serial: 'Token',
    },
    allEvents: 'All events in the audit log',
  },
};
