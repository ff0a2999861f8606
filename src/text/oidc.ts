/**
 * What the OpenID Connect pages say: which service a sign-in is for, the consent a
 * service that is not the organisation's own asks for, signing out of a service, and
 * the error page (the standard's error code stays visible: it is what a service's
 * administrator searches for).
 */
import type { Lang } from './messages.js';

export interface OidcTexts {
  signInFor(service: string): string;
  consentTitle: string;
  consentAsks(service: string): string;
  scopeNames: Record<string, string>;
  allow: string;
  deny: string;
  signOutTitle: string;
  signOutAsk(service: string): string;
  signOutEverywhere: string;
  signOutOnly(service: string): string;
  signedOutTitle: string;
  signedOut(service: string): string;
  toPortal: string;
  errorTitle: string;
  errorText: string;
  errorCode: string;
}

export const oidcTexts: Record<Lang, OidcTexts> = {
  de: {
    signInFor: (service) => `Anmeldung für ${service}`,
    consentTitle: 'Zugriff erlauben?',
    consentAsks: (service) => `${service} möchte Folgendes von Ihrem Zugang wissen:`,
    scopeNames: {
      openid: 'dass Sie es sind (eine feste Kennung)',
      profile: 'Ihren Namen und Benutzernamen',
      email: 'Ihre E-Mail-Adresse',
      groups: 'Ihre Gruppen',
      offline_access: 'angemeldet bleiben, auch wenn Sie nicht da sind',
    },
    allow: 'Erlauben',
    deny: 'Ablehnen',
    signOutTitle: 'Abmelden?',
    signOutAsk: (service) =>
      `Sie melden sich bei ${service} ab. Möchten Sie sich auch am Portal und damit bei allen anderen Diensten abmelden?`,
    signOutEverywhere: 'Überall abmelden',
    signOutOnly: (service) => `Nur bei ${service} abmelden`,
    signedOutTitle: 'Abgemeldet',
    signedOut: (service) => `Sie haben sich bei ${service} abgemeldet.`,
    toPortal: 'Zum Portal',
    errorTitle: 'Die Anmeldung ging nicht',
    errorText:
      'Der Dienst hat eine Anmeldung verlangt, die Pforte nicht annehmen kann. Versuchen Sie es beim Dienst noch einmal; wenn es wieder nicht geht, nennen Sie Ihrer IT-Abteilung diesen Fehler:',
    errorCode: 'Fehler',
  },
  en: {
    signInFor: (service) => `Signing in to ${service}`,
    consentTitle: 'Allow access?',
    consentAsks: (service) => `${service} would like to know this of your account:`,
    scopeNames: {
      openid: 'that it is you (a fixed identifier)',
      profile: 'your name and username',
      email: 'your e-mail address',
      groups: 'your groups',
      offline_access: 'to stay signed in while you are away',
    },
    allow: 'Allow',
    deny: 'Deny',
    signOutTitle: 'Sign out?',
    signOutAsk: (service) =>
      `You are signing out of ${service}. Do you want to sign out of the portal, and so of every other service, too?`,
    signOutEverywhere: 'Sign out everywhere',
    signOutOnly: (service) => `Only sign out of ${service}`,
    signedOutTitle: 'Signed out',
    signedOut: (service) => `You have signed out of ${service}.`,
    toPortal: 'To the portal',
    errorTitle: 'The sign-in did not work',
    errorText:
      'The service asked for a sign-in that Pforte cannot accept. Try again from the service; if it fails again, tell your IT department this error:',
    errorCode: 'Error',
  },
};
