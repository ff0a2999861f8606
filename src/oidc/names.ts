/**
 * The OpenID Provider's names that the rest of Pforte uses (the interaction, sign-out,
 * the jobs) without loading oidc-provider: a process that never answers an OpenID
 * request does not load the library (src/http/oidc/current-provider.ts loads it on the
 * first).
 */
import type { ClientMetadata } from 'oidc-provider';

/** The one authentication context Pforte gives: a password and a one-time passcode. */
export const ACR = 'urn:pforte:acr:password+otp';
/** RFC 8176: a password and a one-time password. */
export const AMR = ['pwd', 'otp'];
/**
 * A password and a temporary code from the help desk (lost phone): no second factor the
 * user holds, so a service that needs one refuses this acr in the ID token.
 */
export const TEMPORARY_ACR = 'urn:pforte:acr:password+temporary-code';
export const TEMPORARY_AMR = ['pwd'];

/** Every endpoint under /oidc/, beside the portal's own pages; discovery stays at the root. */
export const OIDC_ROUTES = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  userinfo: '/oidc/me',
  jwks: '/oidc/jwks',
  end_session: '/oidc/session/end',
  revocation: '/oidc/token/revocation',
  introspection: '/oidc/token/introspection',
} as const;

export const INTERACTION_PATH = '/oidc/interaction';

/** The provider's session cookie: its value is the session's id (signed, beside a `.sig`). */
export const OIDC_SESSION_COOKIE = 'pforte-oidc-session';

/** Whether a client is the organisation's own (no consent asked). */
export function isFirstParty(client: { metadata(): ClientMetadata } | undefined): boolean {
  return client?.metadata().first_party === true;
}
