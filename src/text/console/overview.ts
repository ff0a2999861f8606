/** The console's overview page, in German and English. */
import type { Lang } from '../i18n.js';

export interface OverviewTexts {
  title: string;
  users: string;
  allUsers: string;
  tokens: string;
  tokenStates: {
    pending: string;
    active: string;
    locked: string;
    disabled: string;
    revoked: string;
  };
  enrollments: string;
  enrollmentStates: { open: string; done: string; expired: string; cancelled: string };
  signIns: string;
  accepted: string;
  refused: string;
  lockedNow: string;
  mailFailed: string;
  asOf: (when: string) => string;
}

export const overviewTexts: Record<Lang, OverviewTexts> = {
  de: {
    title: 'Übersicht',
    users: 'Benutzer',
    allUsers: 'Alle Benutzer',
    tokens: 'Token nach Zustand',
    tokenStates: {
      pending: 'in Einrichtung',
      active: 'aktiv',
      locked: 'gesperrt',
      disabled: 'deaktiviert',
      revoked: 'widerrufen',
    },
    enrollments: 'Einrichtungen',
    enrollmentStates: {
      open: 'offen',
      done: 'abgeschlossen',
      expired: 'abgelaufen',
      cancelled: 'abgebrochen',
    },
    signIns: 'Anmeldungen der letzten 24 Stunden',
    accepted: 'angenommen',
    refused: 'abgelehnt',
    lockedNow: 'Jetzt gesperrte Token',
    mailFailed: 'Nicht zugestellte E-Mails',
    asOf: (when) => `Stand: ${when}`,
  },
  en: {
    title: 'Overview',
    users: 'Users',
    allUsers: 'All users',
    tokens: 'Tokens by state',
    tokenStates: {
      pending: 'being set up',
      active: 'active',
      locked: 'locked',
      disabled: 'disabled',
      revoked: 'revoked',
    },
    enrollments: 'Enrollments',
    enrollmentStates: {
      open: 'open',
      done: 'done',
      expired: 'expired',
      cancelled: 'cancelled',
    },
    signIns: 'Sign-ins in the last 24 hours',
    accepted: 'accepted',
    refused: 'refused',
    lockedNow: 'Tokens locked now',
    mailFailed: 'Mail that failed',
    asOf: (when) => `As of ${when}`,
  },
};
