/**
 * The OpenID Provider (oidc-provider, certified by the OpenID Foundation), configured
 * for Pforte: the issuer is `PFORTE_PUBLIC_URL`, the only flow is the authorization
 * code with PKCE (S256, required for public clients), the interaction is the portal's
 * sign-in (src/http/oidc/interaction.ts) and its state lives in Pforte's database
 * (adapter.ts), so any process behind the load balancer answers any request.
 *
 * Deliberate choices beyond the library's defaults:
 * - the provider's own session counts only while the portal's session for the same user
 *   lives (`policyWithPortalSession`): signing out of the portal (Abmelden) signs out of
 *   single sign-on too (and single-sign-out.ts tells the services);
 * - tokens live their own lifetimes, not the browser session's; a service introspects
 *   and revokes only its own tokens;
 * - ID tokens carry the profile, email and groups claims as well (many services read
 *   only the ID token), not only userinfo;
 * - refresh tokens go to clients registered with the refresh_token grant, rotate at each
 *   use, and a reused one revokes its grant (OAuth 2.0 Security BCP, RFC 9700 4.14);
 * - CORS only from the origins of a client's own redirect URIs.
 */
import { createHmac } from 'node:crypto';
import Provider, {
  interactionPolicy,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { Core } from '../context.js';
import { findLiveSession } from '../sessions/sessions.js';
import { accountFinder, SCOPE_CLAIMS } from './accounts.js';
import { databaseAdapter } from './adapter.js';
import { providerMetadata, type OidcClient } from './clients.js';
import {
  ACR,
  INTERACTION_PATH,
  isFirstParty,
  OIDC_ROUTES,
  OIDC_SESSION_COOKIE,
  TEMPORARY_ACR,
} from './names.js';

/** The pages oidc-provider writes itself, in the portal's look (src/http/oidc/pages.ts). */
export interface OidcPages {
  /** RP-initiated logout: asks before signing out; `form` is the provider's hidden form. */
  logout(ctx: KoaContextWithOIDC, form: string): Promise<void>;
  loggedOut(ctx: KoaContextWithOIDC): Promise<void>;
  error(
    ctx: KoaContextWithOIDC,
    out: { error: string; error_description?: string },
    error: Error,
  ): Promise<void>;
}

export interface ProviderParts {
  core: Core;
  /** The private JWKS (signing-keys.ts), the signing generation first. */
  jwks: { keys: object[] };
  /** The configured clients, their secret files read at start (clients.ts). */
  clients: OidcClient[];
  /** The portal's session cookie: the single sign-on session. */
  portalSessionCookie: string;
  pages: OidcPages;
}

export function createProvider(parts: ProviderParts): Provider {
  const { core, pages } = parts;
  const { oidc, session } = core.config;
  const issuer = core.config.publicUrl.replace(/\/+$/, '');
  const configuration: Configuration = {
    adapter: databaseAdapter(core),
    clients: parts.clients.map(providerMetadata),
    findAccount: accountFinder(core),
    jwks: parts.jwks as Configuration['jwks'],
    routes: OIDC_ROUTES,
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
    claims: Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([k, v]) => [k, [...v]])),
    conformIdTokenClaims: false,
    acrValues: [ACR, TEMPORARY_ACR],
    responseTypes: ['code'],
    // One method a confidential client: a service that reads discovery picks the one
    // it is registered with (Nextcloud's user_oidc prefers _post when it is offered).
    clientAuthMethods: ['client_secret_basic', 'none'],
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    features: {
      devInteractions: { enabled: false },
      // A service learns of its own tokens only: one service must not read or end
      // another's (RFC 7662 section 4, RFC 7009 section 2.1).
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: pages.logout,
        postLogoutSuccessSource: pages.loggedOut,
      },
    },
    extraClientMetadata: {
      properties: ['first_party'],
      validator(_ctx, key, value, metadata) {
        if (key === 'first_party') metadata.first_party = value === true;
      },
    },
    cookies: {
      keys: cookieKeys(core),
      names: {
        session: OIDC_SESSION_COOKIE,
        interaction: 'pforte-oidc-interaction',
        resume: 'pforte-oidc-resume',
      },
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    ttl: {
      AccessToken: oidc.tokenMinutes * 60,
      IdToken: oidc.tokenMinutes * 60,
      AuthorizationCode: 60,
      Interaction: 60 * 60,
      Session: session.lifetimeHours * 3600,
      Grant: oidc.refreshDays * 86_400,
      RefreshToken: oidc.refreshDays * 86_400,
    },
    rotateRefreshToken: true,
    // Tokens live their own lifetimes, not the browser's single sign-on session (whose end
    // by Abmelden revokes the grants it signed in: oidc/single-sign-out.ts).
    expiresWithSession: async () => false,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    loadExistingGrant: async (ctx) => loadGrant(ctx),
    interactions: {
      url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}`,
      policy: policyWithPortalSession(core, parts.portalSessionCookie),
    },
    clientBasedCORS: (_ctx, origin, client) =>
      (client.redirectUris ?? []).some((uri) => originOf(uri) === origin),
    renderError: pages.error,
    // The library refuses outgoing requests to private and loopback addresses (against
    // SSRF through dynamically registered clients). Pforte's clients are registered by
    // administrators, and their back-channel logout addresses are internal services
    // (10.0.0.0/8, …): those are the ones asked, within the library's 2.5 s.
    fetch: (url, options) => {
      const unguarded: RequestInit & { dispatcher?: unknown } = { ...options };
      delete unguarded.dispatcher;
      return globalThis.fetch(url, unguarded);
    },
  };
  const provider = new Provider(issuer, configuration);
  // Every URL the provider writes is on the public address (see http/oidc/routes.ts).
  provider.proxy = true;
  return provider;
}

/**
 * Keys for the provider's signed cookies: derived from the master keys, the current one
 * first, so every process has them and a rotation keeps cookies signed before readable.
 */
function cookieKeys(core: Core): string[] {
  const ids = [
    core.keyring.currentId,
    ...[...core.keyring.keys.keys()].filter((id) => id !== core.keyring.currentId),
  ];
  return ids.map((id) =>
    createHmac('sha256', core.keyring.keys.get(id)!)
      .update('pforte/oidc-cookies')
      .digest('base64url'),
  );
}

function originOf(uri: string): string | undefined {
  try {
    return new URL(uri).origin;
  } catch {
    return undefined;
  }
}

/**
 * The grant a sign-in continues with: the one given before, and for a first-party client
 * one that covers whatever it asks for now (no consent page for the organisation's own
 * services).
 */
async function loadGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const client = oidc.client!;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(client.clientId);
  const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (!isFirstParty(client)) return existing;
  const grant =
    existing ??
    new oidc.provider.Grant({ clientId: client.clientId, accountId: oidc.session!.accountId! });
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
  const claims = oidc.requestParamClaims;
  if (claims) grant.addOIDCClaims([...claims]);
  await grant.save();
  return grant;
}

/**
 * The library's policy with one more check before login: the provider's session holds
 * only while the browser's portal session belongs to the same user.
 */
function policyWithPortalSession(core: Core, cookieName: string) {
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  login.checks.add(
    new interactionPolicy.Check(
      'portal_session',
      'the portal session ended',
      async (ctx: KoaContextWithOIDC) => {
        const accountId = ctx.oidc.session?.accountId;
        if (!accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const portal = await findLiveSession(core, ctx.cookies.get(cookieName));
        return portal?.user.id === accountId
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
    0,
  );
  return policy;
}
