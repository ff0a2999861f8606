/** The console's API keys: list, create (shown once) and revoke, in German and English. */
import type { Lang } from '../i18n.js';

export interface ApiKeysTexts {
  title: string;
  intro: string;
  name: string;
  nameHint: string;
  scope: string;
  scopes: { validate: string; admin: string };
  created: string;
  lastUsed: string;
  state: string;
  active: string;
  revokedAt: (when: string) => string;
  empty: string;
  createTitle: string;
  create: string;
  confirmCreate: (name: string, scope: string) => string;
  confirmCreateNote: string;
  createdTitle: string;
  shownOnce: string;
  copy: string;
  copied: string;
  toList: string;
  revoke: string;
  revokeTitle: string;
  confirmRevoke: (name: string) => string;
  revokedTitle: string;
  revoked: (name: string) => string;
  alreadyRevoked: (name: string) => string;
  badName: string;
  badScope: string;
  exists: (name: string) => string;
}

export const apiKeysTexts: Record<Lang, ApiKeysTexts> = {
  de: {
    title: 'API-Schlüssel',
    intro:
      'Dienste und Skripte melden sich an der REST-Schnittstelle mit einem Schlüssel an: „validate“ prüft nur Anmeldungen, „admin“ darf alles, was die Verwaltung darf.',
    name: 'Name',
    nameHint: 'bis zu 64 Buchstaben, Ziffern, Leerzeichen, Punkte, Binde- oder Unterstriche',
    scope: 'Umfang',
    scopes: {
      validate: 'validate – nur Anmeldungen prüfen',
      admin: 'admin – alles verwalten',
    },
    created: 'Erstellt',
    lastUsed: 'Zuletzt benutzt',
    state: 'Zustand',
    active: 'gültig',
    revokedAt: (when) => `widerrufen am ${when}`,
    empty: 'Es gibt noch keine API-Schlüssel.',
    createTitle: 'Neuer API-Schlüssel',
    create: 'Schlüssel erstellen',
    confirmCreate: (name, scope) =>
      `Einen API-Schlüssel „${name}“ mit dem Umfang „${scope}“ erstellen?`,
    confirmCreateNote:
      'Der Schlüssel wird danach genau einmal angezeigt. Wer ihn hat, kann die REST-Schnittstelle in diesem Umfang benutzen.',
    createdTitle: 'API-Schlüssel erstellt',
    shownOnce:
      'Kopieren Sie den Schlüssel jetzt und bewahren Sie ihn sicher auf: Er wird nur dieses eine Mal angezeigt und kann nicht wiederhergestellt werden.',
    copy: 'Kopieren',
    copied: 'Kopiert',
    toList: 'Zu den API-Schlüsseln',
    revoke: 'Widerrufen',
    revokeTitle: 'API-Schlüssel widerrufen',
    confirmRevoke: (name) =>
      `Den API-Schlüssel „${name}“ widerrufen? Dienste und Skripte, die ihn benutzen, werden ab sofort abgewiesen. Das lässt sich nicht rückgängig machen.`,
    revokedTitle: 'API-Schlüssel widerrufen',
    revoked: (name) => `Der API-Schlüssel „${name}“ ist widerrufen.`,
    alreadyRevoked: (name) => `Der API-Schlüssel „${name}“ ist bereits widerrufen.`,
    badName:
      'Der Name ist ungültig: 1 bis 64 Buchstaben, Ziffern, Leerzeichen, Punkte, Binde- oder Unterstriche, am Anfang ein Buchstabe oder eine Ziffer. Es wurde nichts erstellt.',
    badScope: 'Der Umfang muss „validate“ oder „admin“ sein. Es wurde nichts erstellt.',
    exists: (name) => `Es gibt bereits einen API-Schlüssel „${name}“. Es wurde nichts erstellt.`,
  },
  en: {
    title: 'API keys',
    intro:
      'Services and scripts sign in to the REST interface with a key: “validate” only checks sign-ins, “admin” may do everything the console may.',
    name: 'Name',
    nameHint: 'up to 64 letters, digits, spaces, dots, dashes or underscores',
    scope: 'Scope',
    scopes: { validate: 'validate – check sign-ins only', admin: 'admin – manage everything' },
    created: 'Created',
    lastUsed: 'Last used',
    state: 'State',
    active: 'valid',
    revokedAt: (when) => `revoked on ${when}`,
    empty: 'There are no API keys yet.',
    createTitle: 'New API key',
    create: 'Create key',
    confirmCreate: (name, scope) => `Create an API key “${name}” with the scope “${scope}”?`,
    confirmCreateNote:
      'The key is then shown exactly once. Whoever holds it can use the REST interface within this scope.',
    createdTitle: 'API key created',
    shownOnce:
      'Copy the key now and keep it safe: it is shown this once only and cannot be recovered.',
    copy: 'Copy',
    copied: 'Copied',
    toList: 'To the API keys',
    revoke: 'Revoke',
    revokeTitle: 'Revoke API key',
    confirmRevoke: (name) =>
      `Revoke the API key “${name}”? Services and scripts that use it are refused from now on. This cannot be undone.`,
    revokedTitle: 'API key revoked',
    revoked: (name) => `The API key “${name}” is revoked.`,
    alreadyRevoked: (name) => `The API key “${name}” is revoked already.`,
    badName:
      'The name is not valid: 1 to 64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit. Nothing was created.',
    badScope: 'The scope must be “validate” or “admin”. Nothing was created.',
    exists: (name) => `An API key “${name}” exists already. Nothing was created.`,
  },
};
