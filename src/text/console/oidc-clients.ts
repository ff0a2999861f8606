/**
 * The console's OpenID Connect services: the list, adding one (its secret shown once)
 * and removing one, in German and English.
 */
import type { Lang } from '../i18n.js';

export interface OidcClientsTexts {
  title: string;
  intro: string;
  discovery: string;
  columns: {
    name: string;
    clientId: string;
    source: string;
    kind: string;
    firstParty: string;
    redirectUris: string;
  };
  sources: { configuration: string; database: string };
  kinds: { public: string; confidential: string };
  inConfiguration: string;
  empty: string;
  addTitle: string;
  add: string;
  clientIdHint: string;
  nameHint: string;
  postLogoutUris: string;
  urisHint: string;
  firstPartyHint: string;
  publicClient: string;
  publicClientHint: string;
  refreshTokens: string;
  refreshTokensHint: string;
  badClientId: string;
  badName: string;
  noRedirectUris: string;
  tooManyUris: (most: number) => string;
  badUri: (uri: string) => string;
  configured: (clientId: string) => string;
  exists: (clientId: string) => string;
  addedTitle: string;
  added: (clientId: string) => string;
  secret: string;
  shownOnce: string;
  noSecret: string;
  copy: string;
  copied: string;
  toList: string;
  remove: string;
  removeTitle: string;
  confirmRemove: (clientId: string, name: string) => string;
  removedTitle: string;
  removed: (clientId: string) => string;
  notFound: (clientId: string) => string;
  changeInConfiguration: (clientId: string) => string;
}

export const oidcClientsTexts: Record<Lang, OidcClientsTexts> = {
  de: {
    title: 'OpenID Connect',
    intro:
      'Dienste wie Nextcloud, GitLab oder Grafana melden ihre Benutzer über OpenID Connect bei Pforte an: einmal anmelden, alle Dienste erreichen. Hier stehen die Dienste, die das dürfen – aus der Konfiguration (PFORTE_OIDC_CLIENTS) und aus der Datenbank (hier oder mit „pforte oidc client add“ hinzugefügt). Geheimnisse werden nie angezeigt.',
    discovery: 'Discovery-Adresse, die die Dienste brauchen',
    columns: {
      name: 'Name',
      clientId: 'Client-ID',
      source: 'Quelle',
      kind: 'Art',
      firstParty: 'Eigener Dienst',
      redirectUris: 'Weiterleitungsadressen',
    },
    sources: { configuration: 'Konfiguration', database: 'Datenbank' },
    kinds: { public: 'öffentlich (PKCE)', confidential: 'vertraulich (Geheimnis)' },
    inConfiguration: 'in der Konfiguration zu ändern',
    empty: 'Es ist noch kein Dienst eingetragen.',
    addTitle: 'Dienst hinzufügen',
    add: 'Dienst hinzufügen',
    clientIdHint:
      '1 bis 100 Buchstaben, Ziffern, Punkte, Binde- oder Unterstriche, am Anfang ein Buchstabe oder eine Ziffer; so wird sie im Dienst eingetragen.',
    nameHint: 'Wird den Benutzern bei der Anmeldung gezeigt; leer: die Client-ID.',
    postLogoutUris: 'Adressen nach dem Abmelden',
    urisHint:
      'Eine Adresse je Zeile, vollständig mit https:// (http:// nur auf localhost, 127.0.0.1 oder [::1]), ohne #.',
    firstPartyHint:
      'Ein Dienst der eigenen Organisation: Die Benutzer werden nicht um Zustimmung gefragt.',
    publicClient: 'Öffentlicher Client',
    publicClientHint:
      'Eine Single-Page- oder native App, die kein Geheimnis bewahren kann: Sie bekommt keines und muss PKCE (S256) verwenden.',
    refreshTokens: 'Refresh Tokens',
    refreshTokensHint: 'Der Dienst darf Tokens erneuern, ohne dass sich der Benutzer neu anmeldet.',
    badClientId:
      'Die Client-ID ist ungültig: 1 bis 100 Buchstaben, Ziffern, Punkte, Binde- oder Unterstriche, am Anfang ein Buchstabe oder eine Ziffer. Es wurde nichts gespeichert.',
    badName:
      'Der Name ist ungültig: bis zu 100 Zeichen ohne Steuerzeichen. Es wurde nichts gespeichert.',
    noRedirectUris:
      'Es fehlt eine Weiterleitungsadresse: Der Dienst braucht mindestens eine. Es wurde nichts gespeichert.',
    tooManyUris: (most) =>
      `Es sind höchstens ${most} Adressen je Feld möglich. Es wurde nichts gespeichert.`,
    badUri: (uri) =>
      `„${uri}“ ist keine gültige Adresse: vollständig mit https:// (http:// nur auf localhost, 127.0.0.1 oder [::1]), ohne #, ohne Leerzeichen und Zugangsdaten, höchstens 2000 Zeichen. Es wurde nichts gespeichert.`,
    configured: (clientId) =>
      `Den Dienst „${clientId}“ gibt es bereits in der Konfiguration (PFORTE_OIDC_CLIENTS). Es wurde nichts gespeichert.`,
    exists: (clientId) =>
      `Einen Dienst „${clientId}“ gibt es bereits. Es wurde nichts gespeichert.`,
    addedTitle: 'Dienst hinzugefügt',
    added: (clientId) =>
      `Der Dienst „${clientId}“ ist eingetragen. Tragen Sie im Dienst die Discovery-Adresse, die Client-ID und das Geheimnis ein.`,
    secret: 'Client-Geheimnis',
    shownOnce:
      'Kopieren Sie das Geheimnis jetzt: Es wird nur dieses eine Mal angezeigt und kann nicht wiederhergestellt werden. Geht es verloren, entfernen Sie den Dienst und fügen ihn neu hinzu.',
    noSecret: 'Ein öffentlicher Client hat kein Geheimnis: Er meldet sich mit PKCE (S256) an.',
    copy: 'Kopieren',
    copied: 'Kopiert',
    toList: 'Zu den Diensten',
    remove: 'Entfernen',
    removeTitle: 'Dienst entfernen',
    confirmRemove: (clientId, name) =>
      `Den Dienst „${name}“ (${clientId}) entfernen? Niemand kann sich dort danach über Pforte anmelden, und seine Tokens gelten ab sofort nicht mehr. Das lässt sich nicht rückgängig machen.`,
    removedTitle: 'Dienst entfernt',
    removed: (clientId) => `Der Dienst „${clientId}“ ist entfernt.`,
    notFound: (clientId) => `Einen Dienst „${clientId}“ gibt es nicht (mehr).`,
    changeInConfiguration: (clientId) =>
      `Der Dienst „${clientId}“ steht in der Konfiguration (PFORTE_OIDC_CLIENTS): Er wird dort geändert oder entfernt, mit einem Neustart. Es wurde nichts geändert.`,
  },
  en: {
    title: 'OpenID Connect',
    intro:
      'Services such as Nextcloud, GitLab or Grafana sign their users in with Pforte through OpenID Connect: sign in once, reach every service. These are the services allowed to — from the configuration (PFORTE_OIDC_CLIENTS) and from the database (added here or with “pforte oidc client add”). Secrets are never shown.',
    discovery: 'Discovery address the services need',
    columns: {
      name: 'Name',
      clientId: 'Client ID',
      source: 'Source',
      kind: 'Kind',
      firstParty: 'Own service',
      redirectUris: 'Redirect URIs',
    },
    sources: { configuration: 'configuration', database: 'database' },
    kinds: { public: 'public (PKCE)', confidential: 'confidential (secret)' },
    inConfiguration: 'changed in the configuration',
    empty: 'There are no services yet.',
    addTitle: 'Add service',
    add: 'Add service',
    clientIdHint:
      '1 to 100 letters, digits, dots, dashes or underscores, starting with a letter or digit; the service is set up with it.',
    nameHint: 'Shown to users when they sign in; empty: the client ID.',
    postLogoutUris: 'Post-logout redirect URIs',
    urisHint:
      'One address a line, complete with https:// (http:// only on localhost, 127.0.0.1 or [::1]), without #.',
    firstPartyHint: 'A service of the organisation itself: users are not asked for consent.',
    publicClient: 'Public client',
    publicClientHint:
      'A single-page or native app that cannot keep a secret: it gets none and must use PKCE (S256).',
    refreshTokens: 'Refresh tokens',
    refreshTokensHint: 'The service may renew its tokens without the user signing in again.',
    badClientId:
      'The client ID is not valid: 1 to 100 letters, digits, dots, dashes or underscores, starting with a letter or digit. Nothing was stored.',
    badName:
      'The name is not valid: up to 100 characters without control characters. Nothing was stored.',
    noRedirectUris:
      'A redirect URI is missing: the service needs at least one. Nothing was stored.',
    tooManyUris: (most) => `At most ${most} addresses a field. Nothing was stored.`,
    badUri: (uri) =>
      `“${uri}” is not a valid address: complete with https:// (http:// only on localhost, 127.0.0.1 or [::1]), without #, spaces or credentials, at most 2000 characters. Nothing was stored.`,
    configured: (clientId) =>
      `A service “${clientId}” is in the configuration already (PFORTE_OIDC_CLIENTS). Nothing was stored.`,
    exists: (clientId) => `A service “${clientId}” exists already. Nothing was stored.`,
    addedTitle: 'Service added',
    added: (clientId) =>
      `The service “${clientId}” is added. Set up the service with the discovery address, the client ID and the secret.`,
    secret: 'Client secret',
    shownOnce:
      'Copy the secret now: it is shown this once only and cannot be recovered. If it is lost, remove the service and add it again.',
    noSecret: 'A public client has no secret: it signs in with PKCE (S256).',
    copy: 'Copy',
    copied: 'Copied',
    toList: 'To the services',
    remove: 'Remove',
    removeTitle: 'Remove service',
    confirmRemove: (clientId, name) =>
      `Remove the service “${name}” (${clientId})? Nobody can sign in there through Pforte afterwards, and its tokens stop working at once. This cannot be undone.`,
    removedTitle: 'Service removed',
    removed: (clientId) => `The service “${clientId}” is removed.`,
    notFound: (clientId) => `There is no service “${clientId}” (any more).`,
    changeInConfiguration: (clientId) =>
      `The service “${clientId}” is in the configuration (PFORTE_OIDC_CLIENTS): it is changed or removed there, with a restart. Nothing was changed.`,
  },
};
