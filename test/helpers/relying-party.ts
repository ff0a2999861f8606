/**
 * A web application that signs in with Pforte, as a service behind the portal would:
 * panva's `openid-client` (a certified relying party) in a small HTTP server on a free
 * loopback port. `/login` sends the browser to Pforte (authorization code, PKCE S256,
 * nonce, state), `/callback` redeems the code — the library checks the ID token's
 * signature, nonce, audience and issuer — and asks userinfo; `/logout` signs out at
 * Pforte. What it saw is kept for the test to read, and shown on its pages.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';

export interface SignedIn {
  claims: oidc.IDToken;
  userinfo: oidc.UserInfoResponse;
  tokens: oidc.TokenEndpointResponse;
}

export interface RelyingParty {
  name: string;
  url: string;
  clientId: string;
  secret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** One entry of PFORTE_OIDC_CLIENTS for this application. */
  clientSetting(extra?: Record<string, unknown>): Record<string, unknown>;
  /** Reads Pforte's discovery (after the server has started). */
  discover(issuer: string): Promise<oidc.Configuration>;
  config(): oidc.Configuration;
  /** Every sign-in that completed, the latest last. */
  signedIn: SignedIn[];
  /** The errors the callback saw (`access_denied`, `invalid_grant`, …). */
  errors: string[];
  /** The last callback URL as the browser brought it (to replay its code, or redeem a held one). */
  lastCallback: URL | undefined;
  /** The checks of the last /login: verifier, nonce and state (to redeem a held code, or not quite). */
  lastChecks:
    { pkceCodeVerifier: string; expectedNonce: string; expectedState: string } | undefined;
  /** The payloads of the back-channel logout tokens Pforte posted to `/backchannel`. */
  backchannelLogouts: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Starts the application's listener first: its address goes into Pforte's client list. */
export async function startRelyingParty(
  name: string,
  options: { public?: boolean } = {},
): Promise<RelyingParty> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const secret = options.public ? '' : randomBytes(32).toString('base64url');
  let configuration: oidc.Configuration | undefined;
  // One browser at a time: the test drives one sign-in after the other.
  let pending: { verifier: string; nonce: string; state: string; hold: boolean } | undefined;

  const rp: RelyingParty = {
    name,
    url,
    clientId: name,
    secret,
    redirectUri: `${url}/callback`,
    postLogoutRedirectUri: `${url}/logged-out`,
    clientSetting: (extra = {}) => ({
      client_id: name,
      ...(secret ? { client_secret: secret } : {}),
      redirect_uris: [rp.redirectUri],
      post_logout_redirect_uris: [rp.postLogoutRedirectUri],
      name: name[0]!.toUpperCase() + name.slice(1),
      first_party: true,
      ...extra,
    }),
    async discover(issuer) {
      configuration = await oidc.discovery(
        new URL(issuer),
        rp.clientId,
        secret ? { client_secret: secret } : {},
        secret ? oidc.ClientSecretBasic(secret) : oidc.None(),
        { execute: [oidc.allowInsecureRequests] },
      );
      return configuration;
    },
    config() {
      if (!configuration) throw new Error('discover() first');
      return configuration;
    },
    signedIn: [],
    errors: [],
    lastCallback: undefined,
    lastChecks: undefined,
    backchannelLogouts: [],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const page = (status: number, body: string) => ({ status, body });
  const routes: Record<
    string,
    (request: URL, body: string) => Promise<{ status: number; body?: string; location?: string }>
  > = {
    '/login': async (request) => {
      const verifier = oidc.randomPKCECodeVerifier();
      pending = {
        verifier,
        nonce: oidc.randomNonce(),
        state: oidc.randomState(),
        hold: request.searchParams.has('hold'),
      };
      rp.lastChecks = {
        pkceCodeVerifier: verifier,
        expectedNonce: pending.nonce,
        expectedState: pending.state,
      };
      const location = oidc.buildAuthorizationUrl(rp.config(), {
        redirect_uri: rp.redirectUri,
        scope: request.searchParams.get('scope') ?? 'openid profile email groups',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce: pending.nonce,
        state: pending.state,
        ...(request.searchParams.get('prompt')
          ? { prompt: request.searchParams.get('prompt')! }
          : {}),
      });
      return { status: 302, location: location.href };
    },
    '/callback': async (request) => {
      rp.lastCallback = request;
      if (!pending) return page(400, 'no sign-in pending');
      // `/login?hold=1`: keep the code for the test to redeem (or fail to) itself.
      if (pending.hold) return page(200, `<h1>${name}</h1><p id="held">code held</p>`);
      try {
        const tokens = await oidc.authorizationCodeGrant(rp.config(), request, {
          pkceCodeVerifier: pending.verifier,
          expectedNonce: pending.nonce,
          expectedState: pending.state,
        });
        const claims = tokens.claims()!;
        const userinfo = await oidc.fetchUserInfo(rp.config(), tokens.access_token, claims.sub);
        rp.signedIn.push({ claims, userinfo, tokens });
        return page(
          200,
          `<h1>${name}</h1><p id="who">Signed in as ${String(userinfo.preferred_username)}</p>`,
        );
      } catch (error) {
        const code = (error as { error?: string }).error ?? (error as Error).message;
        rp.errors.push(code);
        return page(400, `<h1>${name}</h1><p id="error">${code}</p>`);
      }
    },
    '/logout': async () => {
      const last = rp.signedIn.at(-1);
      const location = oidc.buildEndSessionUrl(rp.config(), {
        post_logout_redirect_uri: rp.postLogoutRedirectUri,
        ...(last?.tokens.id_token ? { id_token_hint: last.tokens.id_token } : {}),
      });
      return { status: 302, location: location.href };
    },
    '/logged-out': async () => page(200, `<h1>${name}</h1><p id="bye">Signed out</p>`),
    '/backchannel': async (_request, body) => {
      const token = new URLSearchParams(body).get('logout_token') ?? '';
      const payload = token.split('.')[1] ?? '';
      rp.backchannelLogouts.push(JSON.parse(Buffer.from(payload, 'base64url').toString()));
      return page(200, '');
    },
  };

  server.on('request', (request, response) => {
    const here = new URL(request.url ?? '/', url);
    const route = routes[here.pathname];
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      route(here, Buffer.concat(chunks).toString()).then(
        (answer) => {
          response.writeHead(answer.status, {
            'content-type': 'text/html; charset=utf-8',
            ...(answer.location ? { location: answer.location } : {}),
          });
          response.end(answer.body ?? '');
        },
        (error: Error) => response.writeHead(500).end(error.message),
      );
    });
  });
  return rp;
}
