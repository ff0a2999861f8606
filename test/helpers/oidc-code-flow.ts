/**
 * The authorization code flow as a browser walks it, without a browser: `fetch` with a
 * cookie jar, redirects followed by hand, the portal's sign-in form read and posted.
 * Pforte's public address (PFORTE_PUBLIC_URL) is a name no resolver knows; every request
 * for it goes to the server process the test chooses, as a load balancer would send it,
 * and the relying party (openid-client) reaches Pforte the same way.
 */
import * as oidc from 'openid-client';

/** The issuer both processes share (RFC 6761 reserves `.test`). */
export const PUBLIC_URL = 'http://sso.pforte.test';

/** `url` on the public address, sent to `server` (e.g. `http://127.0.0.1:41234`) instead. */
export function routedTo(server: string, url: string | URL): string {
  const target = new URL(url, PUBLIC_URL);
  if (target.origin !== PUBLIC_URL) return target.href;
  return new URL(`${target.pathname}${target.search}`, server).href;
}

export interface ConfidentialClient {
  clientId: string;
  secret: string;
  redirectUri: string;
}

/** One entry of PFORTE_OIDC_CLIENTS: the organisation's own service, no consent asked. */
export function clientSetting(client: ConfidentialClient): Record<string, unknown> {
  return {
    client_id: client.clientId,
    client_secret: client.secret,
    redirect_uris: [client.redirectUri],
    name: client.clientId,
    first_party: true,
  };
}

/** openid-client's view of Pforte, every request of it (discovery, token, userinfo) sent to `server`. */
export function discoverAt(
  server: string,
  client: ConfidentialClient,
): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(PUBLIC_URL),
    client.clientId,
    { client_secret: client.secret },
    oidc.ClientSecretBasic(client.secret),
    {
      execute: [oidc.allowInsecureRequests],
      [oidc.customFetch]: (url, options) => fetch(routedTo(server, url), options),
    },
  );
}

/** What the relying party keeps between sending the browser away and its callback. */
export interface PendingSignIn {
  url: URL;
  verifier: string;
  nonce: string;
  state: string;
}

/** An authorization request as a service sends it: code flow, PKCE S256, nonce and state. */
export async function authorizationRequest(
  config: oidc.Configuration,
  redirectUri: string,
  extra: Record<string, string> = {},
): Promise<PendingSignIn> {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    ...extra,
  });
  return { url, verifier, nonce, state };
}

/** What a person types into the portal's sign-in form. */
export interface SignInFields {
  username: string;
  otp: string;
  password: string;
}

/** A browser's cookies and its way through redirects, on one public address. */
export class CodeFlowBrowser {
  /** By name only: every cookie is Pforte's, and one sign-in runs at a time. */
  readonly cookies = new Map<string, string>();

  /**
   * Goes from the authorization request to the service's callback, at `server`: the
   * portal's sign-in form filled in with `fields` when it is shown, none when the
   * browser is already signed in (single sign-on). Returns the callback URL with the
   * code, or throws with the page the flow stopped at.
   */
  async authorize(
    server: string,
    pending: PendingSignIn,
    redirectUri: string,
    fields?: SignInFields,
  ): Promise<URL> {
    let response = await this.send(server, pending.url);
    let formPosted = false;
    for (let step = 0; step < 10; step++) {
      const location = response.headers.get('location');
      if (location) {
        const next = new URL(location, PUBLIC_URL);
        if (next.href.startsWith(`${redirectUri}?`)) return next;
        response = await this.send(server, next);
        continue;
      }
      const page = await response.text();
      const action = /<form[^>]*action="(\/oidc\/interaction\/[^"]+\/login)"/.exec(page)?.[1];
      if (!action || !fields || formPosted) {
        throw new Error(`the flow stopped at ${response.status}: ${page.slice(0, 500)}`);
      }
      formPosted = true;
      response = await this.send(server, action, { ...fields, _csrf: hiddenCsrf(page) });
    }
    throw new Error('more than 10 redirects');
  }

  /** One request to `server` for a URL on the public address, cookies kept. */
  async send(server: string, url: string | URL, form?: Record<string, string>): Promise<Response> {
    const response = await fetch(routedTo(server, url), {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form) } : {}),
    });
    for (const set of response.headers.getSetCookie()) {
      const [name, value] = set.split(';')[0]!.split(/=(.*)/s) as [string, string];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(set)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

function hiddenCsrf(page: string): string {
  const token = /<input type="hidden" name="_csrf" value="([^"]*)"/.exec(page)?.[1];
  if (!token) throw new Error('the sign-in page has no _csrf field');
  return token;
}
