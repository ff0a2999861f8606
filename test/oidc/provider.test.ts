/**
 * The OpenID Provider as services meet it, without a browser (test/helpers/oidc-code-flow.ts
 * walks the flow with fetch): what discovery promises, what a public client must do,
 * the claims a directory user's and a temporary code's sign-ins give, what a disabled
 * user's tokens do, which tokens a service may introspect, prompt=login, a client whose
 * secret file is missing, and hostile requests — each on SQLite and PostgreSQL.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { buildApp } from '../../src/http/app.js';
import { issueTemporaryAccess } from '../../src/temporary/temporary-access.js';
import { importToken } from '../../src/tokens/tokens.js';
import { updateUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN, DATABASES, makeCore } from '../helpers/core.js';
import {
  authorizationRequest,
  clientSetting,
  CodeFlowBrowser,
  discoverAt,
  PUBLIC_URL,
  type ConfidentialClient,
} from '../helpers/oidc-code-flow.js';
import { directoriesEnv, startSlapd, type TestDirectory } from '../helpers/slapd.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

const WIKI: ConfidentialClient = {
  clientId: 'wiki',
  secret: 'wiki-secret-0123456789-0123456789',
  redirectUri: 'https://wiki.example.org/callback',
};
const CHAT: ConfidentialClient = {
  clientId: 'chat',
  secret: 'chat-secret-0123456789-0123456789',
  redirectUri: 'https://chat.example.org/callback',
};
const SPA = { client_id: 'spa', redirect_uris: ['https://spa.example.org/'], first_party: true };

/** The app on a loopback listener; every request for PUBLIC_URL goes there. */
async function listen(t: TestApp): Promise<{ url: string; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await t.app.ready();
  server.on('request', t.app.routing);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.each(DATABASES)('the OpenID Provider on %s', { timeout: 60_000 }, (database) => {
  let ldap: TestDirectory;
  let t: TestApp;
  let url: string;
  let server: Server;

  beforeAll(async () => {
    ldap = await startSlapd();
    await ldap.setGroup('helpdesk', ['carla']);
  });
  afterAll(async () => ldap.close());
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await t?.close();
  });

  async function start(): Promise<void> {
    t = await makeApp(database, {
      PFORTE_PUBLIC_URL: PUBLIC_URL,
      PFORTE_OIDC_CLIENTS: JSON.stringify([
        { ...clientSetting(WIKI), grant_types: ['authorization_code', 'refresh_token'] },
        clientSetting(CHAT),
        SPA,
      ]),
      PFORTE_DIRECTORIES: directoriesEnv(ldap),
    });
    ({ url, server } = await listen(t));
  }

  /** One sign-in at `client` with `otp` (a TOTP code at the server's clock, or a temporary code). */
  async function signIn(
    client: ConfidentialClient,
    fields: { username: string; otp: string; password: string },
    extra: Record<string, string> = {},
    browser = new CodeFlowBrowser(),
  ) {
    const config = await discoverAt(url, client);
    const pending = await authorizationRequest(config, client.redirectUri, extra);
    const callback = await browser.authorize(url, pending, client.redirectUri, fields);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: pending.verifier,
      expectedNonce: pending.nonce,
      expectedState: pending.state,
    });
    return { config, tokens, claims: tokens.claims()!, browser };
  }
  const userinfoStatus = async (accessToken: string) =>
    (await fetch(`${url}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status;

  it('promises in discovery what it does: code flow, PKCE S256, Basic client authentication', async () => {
    await start();
    const discovery = (await (
      await fetch(`${url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: PUBLIC_URL,
      authorization_endpoint: `${PUBLIC_URL}/oidc/auth`,
      token_endpoint: `${PUBLIC_URL}/oidc/token`,
      userinfo_endpoint: `${PUBLIC_URL}/oidc/me`,
      jwks_uri: `${PUBLIC_URL}/oidc/jwks`,
      end_session_endpoint: `${PUBLIC_URL}/oidc/session/end`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
      acr_values_supported: [
        'urn:pforte:acr:password+otp',
        'urn:pforte:acr:password+temporary-code',
      ],
    });
    expect(discovery.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email', 'groups']),
    );
    expect(discovery.id_token_signing_alg_values_supported).toEqual(
      expect.arrayContaining(['RS256', 'ES256']),
    );
    // A request that claims another host still gets the public address.
    const spoofed = (await (
      await fetch(`${url}/.well-known/openid-configuration`, {
        headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      })
    ).json()) as Record<string, unknown>;
    expect(spoofed.token_endpoint).toBe(`${PUBLIC_URL}/oidc/token`);
  });

  it('sends a public client without PKCE back with invalid_request, before any sign-in', async () => {
    await start();
    const browser = new CodeFlowBrowser();
    const query = new URLSearchParams({
      client_id: 'spa',
      response_type: 'code',
      redirect_uri: 'https://spa.example.org/',
      scope: 'openid',
    });
    const answer = await browser.send(url, `/oidc/auth?${query}`);
    const back = new URL(answer.headers.get('location')!);
    expect(back.origin).toBe('https://spa.example.org');
    expect(back.searchParams.get('error')).toBe('invalid_request');
  });

  it('gives a directory user their groups, and a temporary code its own acr without otp', async () => {
    await start();
    await startEnrollment(t.core, ADMIN, { username: 'carla', sendMail: false });
    const token = await importToken(t.core, ADMIN, {
      username: 'carla',
      secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    });
    expect(token.serial).toBeTruthy();
    const issued = await issueTemporaryAccess(t.core, ADMIN, 'carla', { hours: 1, uses: 2 });
    const { claims } = await signIn(
      WIKI,
      { username: 'carla', otp: issued.code, password: 'carla-secret' },
      { scope: 'openid profile email groups' },
    );
    expect(claims).toMatchObject({
      preferred_username: 'carla',
      name: 'Carla Muster',
      email: 'carla@example.test',
      groups: ['helpdesk'],
      acr: 'urn:pforte:acr:password+temporary-code',
      amr: ['pwd'],
    });
  });

  it('stops a disabled user’s tokens at once: userinfo 401, refresh invalid_grant', async () => {
    await start();
    const alice: TestToken = await addUserWithToken(t.core, 'alice');
    const { config, tokens } = await signIn(WIKI, {
      username: 'alice',
      otp: alice.code(),
      password: PASSWORD,
    });
    expect(await userinfoStatus(tokens.access_token)).toBe(200);
    await updateUser(t.core, ADMIN, 'alice', { disabled: true });
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('lets a service introspect and revoke only its own tokens', async () => {
    await start();
    const alice = await addUserWithToken(t.core, 'alice');
    const { tokens } = await signIn(WIKI, {
      username: 'alice',
      otp: alice.code(),
      password: PASSWORD,
    });
    const chat = await discoverAt(url, CHAT);
    const wiki = await discoverAt(url, WIKI);
    expect(await oidc.tokenIntrospection(chat, tokens.access_token)).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(wiki, tokens.access_token)).toMatchObject({
      active: true,
      client_id: 'wiki',
    });
    // RFC 7009 2.2: the same 200 as for a token that does not exist, and nothing revoked.
    await oidc.tokenRevocation(chat, tokens.access_token);
    expect(await userinfoStatus(tokens.access_token)).toBe(200);
    await oidc.tokenRevocation(wiki, tokens.access_token);
    expect(await userinfoStatus(tokens.access_token)).toBe(401);
  });

  it('asks again on prompt=login, although the portal session would sign the user in', async () => {
    await start();
    const alice = await addUserWithToken(t.core, 'alice');
    const first = await signIn(WIKI, { username: 'alice', otp: alice.code(), password: PASSWORD });
    // Single sign-on: no form at the second service.
    const config = await discoverAt(url, CHAT);
    const quiet = await authorizationRequest(config, CHAT.redirectUri);
    await expect(first.browser.authorize(url, quiet, CHAT.redirectUri)).resolves.toBeInstanceOf(
      URL,
    );
    // prompt=login: a page again (the sign-in form: a first-party client gets no other),
    // which a browser without the fields cannot pass.
    const again = await authorizationRequest(config, CHAT.redirectUri, { prompt: 'login' });
    await expect(first.browser.authorize(url, again, CHAT.redirectUri)).rejects.toThrow(
      'the flow stopped at 200',
    );
  });

  it('refuses hostile requests with the standard’s errors, never a 500', async () => {
    await start();
    const hostile: [string, RequestInit?][] = [
      ['/oidc/auth'],
      [
        '/oidc/auth?client_id=nobody&response_type=code&redirect_uri=https://x.example/&scope=openid',
      ],
      [`/oidc/auth?client_id=wiki&response_type=token&redirect_uri=${WIKI.redirectUri}`],
      ['/oidc/auth?client_id=%ZZ'],
      [`/oidc/auth?${'a'.repeat(20_000)}=1`],
      ['/oidc/interaction/../../etc/passwd'],
      ['/oidc/interaction/not-a-real-interaction-id'],
      [
        '/oidc/token',
        { method: 'POST', body: '{"grant_type":', headers: { 'content-type': 'application/json' } },
      ],
      [
        '/oidc/token',
        {
          method: 'POST',
          body: 'grant_type=authorization_code&code=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ],
      [
        '/oidc/token',
        {
          method: 'POST',
          body: 'x'.repeat(200_000),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ],
      ['/oidc/me', { headers: { authorization: 'Bearer \u00ff\u00fe' } }],
      ['/oidc/me', { headers: { authorization: `Bearer ${'a'.repeat(5000)}` } }],
      ['/oidc/session/end?id_token_hint=not.a.jwt'],
      [
        '/oidc/session/end/confirm',
        {
          method: 'POST',
          body: 'xsrf=1&logout=yes',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            cookie: 'pforte-oidc-session=x; pforte-oidc-session.sig=y',
          },
        },
      ],
      [
        '/oidc/token/introspection',
        {
          method: 'POST',
          body: 'token=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
      ],
      ['/oidc/jwks', { method: 'DELETE' }],
    ];
    for (const [path, init] of hostile) {
      const answer = await fetch(`${url}${path}`, { redirect: 'manual', ...init });
      const body = await answer.text();
      expect({ path: path.slice(0, 80), status: answer.status < 500 }).toEqual({
        path: path.slice(0, 80),
        status: true,
      });
      expect(body).not.toMatch(/\bat [\w.<>]+ \(|node_modules/);
    }
    const audited = await t.core.store.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'reason'])
      .where('face', '=', 'oidc')
      .execute();
    expect(audited.every((event) => event.outcome === 'failure')).toBe(true);
    expect(audited.map((event) => event.reason)).toContain('invalid_client');
  });
});

describe('an OpenID client whose secret file cannot be read', () => {
  it('stops the start, naming the client and the file', async () => {
    const t = await makeCore('sqlite', {
      PFORTE_OIDC_CLIENTS: JSON.stringify([
        {
          client_id: 'wiki',
          client_secret_file: '/nonexistent/wiki.secret',
          redirect_uris: [WIKI.redirectUri],
        },
      ]),
    });
    try {
      await expect(buildApp(t.core)).rejects.toThrow(
        'OpenID client wiki: cannot read the secret file /nonexistent/wiki.secret (ENOENT)',
      );
    } finally {
      await t.close();
    }
  });
});
