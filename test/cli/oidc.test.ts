/**
 * `pforte oidc client …` and `pforte oidc keys …` as an administrator uses them, beside a
 * server built on the same database: a client added on the command line is known to the
 * server at once (its secret printed once, stored only sealed), bad input stores nothing,
 * a removed client is refused, and a rotation publishes the new keys beside the old ones
 * until the grace period ends.
 */
import { createHash, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import {
  ensureSigningKeys,
  rotateSigningKeys,
  type SigningKeyInfo,
} from '../../src/oidc/signing-keys.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { cli, type CliResult } from '../helpers/cli.js';
import { DATABASES } from '../helpers/core.js';
import { hiddenFields, PortalBrowser } from '../helpers/portal-client.js';
import { addUserWithToken, PASSWORD } from '../helpers/tokens.js';

const ISSUER = 'https://sso.example.org';
const REDIRECT = 'https://app.example.org/callback';
const DAY_MS = 86_400_000;
const HTTPS_RULE = 'must be https (http only on a loopback address: 127.0.0.1, [::1], localhost)';

/** One client in the configuration, so that its id is taken and cannot be removed. */
const CONFIGURED = {
  client_id: 'wiki',
  name: 'Wiki',
  client_secret: 'a configured secret of the wiki, long enough',
  redirect_uris: ['https://wiki.example.org/callback'],
};

describe.each(DATABASES)('pforte oidc on %s', (database) => {
  let t: TestApp;
  const run = (args: string[]): Promise<CliResult> => cli(t.env, args);
  const runClientAdd = (...args: string[]) => run(['oidc', 'client', 'add', ...args]);
  beforeEach(async () => {
    t = await makeApp(database, {
      PFORTE_PUBLIC_URL: `${ISSUER}/`,
      PFORTE_OIDC_CLIENTS: JSON.stringify([CONFIGURED]),
    });
  });
  afterEach(async () => t.close());

  /** `pforte oidc client add <id> --redirect-uri REDIRECT …`, and the secret it printed. */
  async function addClient(id: string, ...more: string[]): Promise<string> {
    const added = await runClientAdd(id, '--redirect-uri', REDIRECT, ...more);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    return /^secret: +(\S+)$/m.exec(added.stdout)?.[1] ?? '';
  }

  /** The token endpoint, as a service redeems a code (RFC 6749 4.1.3; secret in Basic, 2.3.1). */
  function redeemCode(clientId: string, secret: string, code: string) {
    const basic = Buffer.from(`${clientId}:${encodeURIComponent(secret)}`).toString('base64');
    return t.app.inject({
      method: 'POST',
      url: '/oidc/token',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
      }).toString(),
    });
  }

  /** A code nobody issued: the client's credentials decide between the two refusals. */
  async function redeemBogusCode(clientId: string, secret: string) {
    const response = await redeemCode(clientId, secret, 'a-code-nobody-issued');
    return { status: response.statusCode, error: (response.json() as { error: string }).error };
  }

  async function storedClients() {
    return t.core.store.db.selectFrom('oidc_clients').selectAll().orderBy('client_id').execute();
  }

  async function auditActions(action: string) {
    return (await listAudit(t.core, { action })).items;
  }

  it('add prints the secret once, with the issuer and discovery address; list never shows it', async () => {
    const added = await runClientAdd(
      'app',
      '--redirect-uri',
      REDIRECT,
      '--redirect-uri',
      'http://127.0.0.1:8400/callback',
      '--name',
      'The App',
      '--first-party',
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const secret = /^secret: +([A-Za-z0-9_-]{43})$/m.exec(added.stdout)![1]!;
    expect(added.stdout).toBe(
      [
        'added OpenID client app (confidential)',
        `issuer:     ${ISSUER}`,
        `discovery:  ${ISSUER}/.well-known/openid-configuration`,
        `secret:     ${secret}`,
        "The secret is shown only now: copy it into the service's settings. Pforte keeps it sealed and cannot show it again.",
        '',
      ].join('\n'),
    );

    const list = await run(['oidc', 'client', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /^CLIENT_ID\s+NAME\s+SOURCE\s+TYPE\s+FIRST-PARTY\s+REDIRECT-URIS\n/,
    );
    expect(list.stdout).toMatch(
      /^wiki +Wiki +configuration +confidential +https:\/\/wiki\.example\.org\/callback$/m,
    );
    expect(list.stdout).toMatch(
      /^app +The App +database +confidential +yes +https:\/\/app\.example\.org\/callback http:\/\/127\.0\.0\.1:8400\/callback$/m,
    );
    const json = await run(['oidc', 'client', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ client_id: 'wiki', source: 'configuration', public: false }),
      expect.objectContaining({
        client_id: 'app',
        source: 'database',
        public: false,
        first_party: true,
        grant_types: ['authorization_code'],
      }),
    ]);
    for (const shown of [list, json]) {
      expect(shown.stdout + shown.stderr).not.toContain(secret);
      expect(shown.stdout + shown.stderr).not.toContain(CONFIGURED.client_secret);
    }

    const [event] = await auditActions('oidc.client_add');
    expect(event).toMatchObject({
      face: 'cli',
      outcome: 'success',
      detail: { client: 'app', name: 'The App', public: false, first_party: true },
    });
    expect(JSON.stringify(event)).not.toContain(secret);
  });

  it('the database holds the secret only sealed', async () => {
    const secret = await addClient('app');
    const [row] = await storedClients();
    expect(row!.sealed_secret).not.toBe('');
    for (const form of [
      secret,
      Buffer.from(secret, 'base64url').toString('hex'),
      Buffer.from(secret, 'base64url').toString('base64'),
      Buffer.from(secret).toString('base64'),
      createHash('sha256').update(secret).digest('hex'),
    ]) {
      expect(row!.sealed_secret).not.toContain(form);
      expect(row!.metadata).not.toContain(form);
    }
  });

  it('a client added on the command line is known to the running server at once: a bogus code is invalid_grant, a wrong secret invalid_client', async () => {
    // The server answers before the client exists, so it cannot have read it at start.
    expect(await redeemBogusCode('app', 'no secret yet')).toEqual({
      status: 401,
      error: 'invalid_client',
    });
    const secret = await addClient('app', '--refresh-tokens');
    expect(await redeemBogusCode('app', secret)).toEqual({ status: 400, error: 'invalid_grant' });
    // The last character changed, to one it is not (a secret ending in "A" once made this
    // "wrong" secret the right one).
    const wrong = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(await redeemBogusCode('app', wrong)).toEqual({
      status: 401,
      error: 'invalid_client',
    });
    const discovery = await t.app.inject({ url: '/.well-known/openid-configuration' });
    expect(discovery.json()).toMatchObject({
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/oidc/token`,
    });
    expect(discovery.body).not.toContain('app.example.org');
    const [row] = await storedClients();
    expect(JSON.parse(row!.metadata)).toMatchObject({
      grant_types: ['authorization_code', 'refresh_token'],
      id_token_signed_response_alg: 'RS256',
    });
  });

  it('a public native app may have a private-use redirect URI: no secret, and the server takes it (PKCE required)', async () => {
    const added = await runClientAdd(
      'phone',
      '--public',
      '--redirect-uri',
      'com.example.phone:/callback',
      '--id-token-alg',
      'ES256',
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(
      /^added OpenID client phone \(public: no secret, it must use PKCE with S256\)\n/,
    );
    expect(added.stdout).not.toContain('secret:');
    const [row] = await storedClients();
    expect(row!.sealed_secret).toBe('');

    const authorize = (extra: Record<string, string>) =>
      t.app.inject({
        url: `/oidc/auth?${new URLSearchParams({
          client_id: 'phone',
          response_type: 'code',
          scope: 'openid',
          redirect_uri: 'com.example.phone:/callback',
          state: 'state-1',
          ...extra,
        }).toString()}`,
      });
    const withPkce = await authorize({
      code_challenge: createHash('sha256')
        .update('a verifier of the phone app')
        .digest('base64url'),
      code_challenge_method: 'S256',
    });
    expect(withPkce.statusCode).toBe(303);
    expect(withPkce.headers.location).toMatch(/^\/oidc\/interaction\/[A-Za-z0-9_-]+$/);
    const withoutPkce = await authorize({});
    expect(withoutPkce.statusCode).toBe(303);
    expect(withoutPkce.headers.location).toMatch(
      /^com\.example\.phone:\/callback\?error=invalid_request&/,
    );
  });

  it.each([
    [
      'http on a host that is not loopback',
      ['app', '--redirect-uri', 'http://app.example.org/callback'],
      `redirect URI http://app.example.org/callback ${HTTPS_RULE}`,
    ],
    [
      'a relative redirect URI',
      ['app', '--redirect-uri', '/callback'],
      'redirect URI /callback is not an absolute URL',
    ],
    [
      'a fragment',
      ['app', '--redirect-uri', 'https://app.example.org/callback#top'],
      'redirect URI https://app.example.org/callback#top must not have a fragment (#…)',
    ],
    [
      'a private-use scheme for a confidential client',
      ['app', '--redirect-uri', 'com.example.app:/callback'],
      'redirect URI com.example.app:/callback has a private-use scheme, which only a public client (a native app) may use',
    ],
    [
      'a javascript: URI, even for a public client',
      ['app', '--public', '--redirect-uri', 'javascript:alert(1)'],
      `redirect URI javascript:alert(1) ${HTTPS_RULE}, or a private-use scheme (com.example.app:/…)`,
    ],
    [
      'every problem at once',
      [
        'bad id!',
        '--redirect-uri',
        'ftp://app.example.org/',
        '--post-logout-redirect-uri',
        'http://app.example.org/',
        '--backchannel-logout-uri',
        'https://app.example.org/logout#x',
      ],
      [
        'client_id bad id! must be 1 to 100 letters, digits, dots, dashes or underscores, starting with a letter or digit',
        `redirect URI ftp://app.example.org/ ${HTTPS_RULE}`,
        `post-logout redirect URI http://app.example.org/ ${HTTPS_RULE}`,
        'back-channel logout URI https://app.example.org/logout#x must not have a fragment (#…)',
      ].join('; '),
    ],
    [
      'the id of a configured client',
      ['wiki', '--redirect-uri', REDIRECT],
      'the client wiki is in the configuration already',
    ],
  ])('refuses %s with a clear error, exit 1, and stores nothing', async (_what, args, message) => {
    const result = await runClientAdd(...args);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `pforte: ${message}\n` });
    expect(await storedClients()).toEqual([]);
    expect(await auditActions('oidc.client_add')).toEqual([]);
  });

  it.each([
    [['app'], 'pforte oidc client add: --redirect-uri is required'],
    [
      ['app', '--redirect-uri', REDIRECT, '--id-token-alg', 'HS256'],
      'pforte oidc client add: --id-token-alg must be RS256 or ES256',
    ],
  ])('refuses %j as wrong usage, exit 2, and stores nothing', async (args, message) => {
    const result = await runClientAdd(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(`^${message}\nusage: pforte oidc client add <client_id> --redirect-uri`),
    );
    expect(await storedClients()).toEqual([]);
  });

  it('refuses a client id added before, and keeps the first one and its secret', async () => {
    const secret = await addClient('app');
    const before = await storedClients();
    const again = await runClientAdd('app', '--redirect-uri', REDIRECT, '--public');
    expect(again).toEqual({ code: 1, stdout: '', stderr: 'pforte: a client app exists already\n' });
    expect(await storedClients()).toEqual(before);
    expect(await redeemBogusCode('app', secret)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await auditActions('oidc.client_add')).toHaveLength(1);
  });

  it('remove takes the client out: the server then answers invalid_client', async () => {
    const secret = await addClient('app');
    expect(await redeemBogusCode('app', secret)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await run(['oidc', 'client', 'remove', 'app'])).toEqual({
      code: 0,
      stdout: 'removed OpenID client app: its tokens stop working now\n',
      stderr: '',
    });
    expect(await redeemBogusCode('app', secret)).toEqual({ status: 401, error: 'invalid_client' });
    expect(await storedClients()).toEqual([]);
    expect((await run(['oidc', 'client', 'list'])).stdout).not.toMatch(/^app /m);
    const [event] = await auditActions('oidc.client_remove');
    expect(event).toMatchObject({ face: 'cli', outcome: 'success', detail: { client: 'app' } });
  });

  it('remove refuses a configured client (edit PFORTE_OIDC_CLIENTS) and an unknown one, exit 1', async () => {
    expect(await run(['oidc', 'client', 'remove', 'wiki'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'pforte: the client wiki is in the configuration: remove it from PFORTE_OIDC_CLIENTS\n',
    });
    expect(await run(['oidc', 'client', 'remove', 'ghost'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'pforte: there is no OpenID client ghost (pforte oidc client list shows them)\n',
    });
    expect(await auditActions('oidc.client_remove')).toEqual([]);
  });

  describe('signing keys', () => {
    /** The key ids the server publishes at its JWKS. */
    async function publishedKids(): Promise<string[]> {
      const jwks = await t.app.inject({ url: '/oidc/jwks' });
      expect(jwks.statusCode).toBe(200);
      return (jwks.json() as { keys: { kid: string }[] }).keys.map((key) => key.kid).sort();
    }

    async function listKeys(): Promise<SigningKeyInfo[]> {
      const listed = await run(['oidc', 'keys', 'list', '--json']);
      expect(listed.code).toBe(0);
      return JSON.parse(listed.stdout);
    }

    beforeEach(() => {
      // The command line signs and dates with the real clock: the server's follows it.
      t.clock.ms = Date.now();
    });

    it('keys list before the first start says there are none yet and makes none; rotate makes the first', async () => {
      expect(await run(['oidc', 'keys', 'list'])).toEqual({
        code: 0,
        stdout:
          'no signing keys yet: the server makes them at its first start (pforte oidc keys rotate makes them now)\n',
        stderr: '',
      });
      expect(await listKeys()).toEqual([]);
      const first = await run(['oidc', 'keys', 'rotate']);
      expect(first.stdout).toMatch(
        /^generation 1 signs from now on \(es256-1-\S+, rs256-1-\S+\); every server takes it within 10 s\n$/,
      );
      expect((await listKeys()).map((k) => [k.generation, k.state])).toEqual([
        [1, 'signing'],
        [1, 'signing'],
      ]);
    });

    it('keys rotate: the JWKS lists the new and the old keys, after the grace period only the new ones', async () => {
      const first = await publishedKids();
      expect(first).toEqual([
        expect.stringMatching(/^es256-1-/),
        expect.stringMatching(/^rs256-1-/),
      ]);

      const rotated = await run(['oidc', 'keys', 'rotate']);
      expect(rotated.code).toBe(0);
      const keys = await listKeys();
      const second = keys
        .filter((k) => k.generation === 2)
        .map((k) => k.kid)
        .sort();
      expect(rotated.stdout).toMatch(
        new RegExp(
          `^generation 2 signs from now on \\(${second.join(', ')}\\); every server takes it within 10 s\nthe keys before stay published in the JWKS for 7 days \\(PFORTE_OIDC_KEY_GRACE_DAYS\\), until \\d{4}-\\d\\d-\\d\\dT`,
        ),
      );
      expect(keys.map((k) => [k.generation, k.state])).toEqual([
        [2, 'signing'],
        [2, 'signing'],
        [1, 'published'],
        [1, 'published'],
      ]);
      const table = await run(['oidc', 'keys', 'list']);
      expect(table.stdout).toMatch(/^KID\s+ALG\s+GENERATION\s+STATE\s+CREATEDAT\s+RETIREDAT\n/);
      expect(table.stdout).toMatch(
        new RegExp(`^${first[0]} +ES256 +1 +published +\\S+ +\\S+$`, 'm'),
      );

      // Every process looks for new keys every 10 s by its clock.
      t.clock.advance(10_001);
      await expect.poll(publishedKids).toEqual([...second, ...first].sort());
      // The grace period runs from the rotation, as the command line dated it.
      const retiredAt = Date.parse(keys.find((k) => k.generation === 1)!.retiredAt!);
      t.clock.ms = retiredAt + 7 * DAY_MS;
      await expect.poll(publishedKids).toEqual(second);

      const [event] = await auditActions('oidc.keys_rotate');
      expect(event).toMatchObject({ face: 'cli', outcome: 'success', detail: { generation: 2 } });
    });

    it('keys list shows a key past its grace period as expired', async () => {
      t.clock.ms = Date.now() - 8 * DAY_MS;
      await ensureSigningKeys(t.core);
      await rotateSigningKeys(t.core);
      const keys = await listKeys();
      expect(keys.map((k) => [k.generation, k.state])).toEqual([
        [2, 'signing'],
        [2, 'signing'],
        [1, 'expired'],
        [1, 'expired'],
      ]);
    });

    it('an ID token signed after a rotation carries the new key id', async () => {
      const secret = await addClient('app', '--first-party');
      const alice = await addUserWithToken(t.core, 'alice');
      await publishedKids();
      await run(['oidc', 'keys', 'rotate']);
      const rs256 = (await listKeys()).find((k) => k.generation === 2 && k.kid.startsWith('rs256'));
      t.clock.advance(10_001);
      await expect.poll(publishedKids).toContain(rs256!.kid);

      const browser = new PortalBrowser(t);
      const code = await signInForCode(browser, { otp: alice.code() });
      const token = await redeemCode('app', secret, code);
      expect(token.statusCode).toBe(200);
      const idToken = (token.json() as { id_token: string }).id_token;
      const [header, payload, signature] = idToken.split('.') as [string, string, string];
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
        alg: 'RS256',
        kid: rs256!.kid,
      });
      // The key of that id at the JWKS verifies it, as the service will check.
      const jwks = (await t.app.inject({ url: '/oidc/jwks' })).json() as { keys: JsonWebKey[] };
      const key = createPublicKey({
        key: jwks.keys.find((k) => (k as { kid?: string }).kid === rs256!.kid)!,
        format: 'jwk',
      });
      const signed = Buffer.from(`${header}.${payload}`);
      expect(verify('sha256', signed, key, Buffer.from(signature, 'base64url'))).toBe(true);
    });
  });

  /** The authorization code flow through the portal's sign-in page, up to the code. */
  async function signInForCode(browser: PortalBrowser, { otp }: { otp: string }): Promise<string> {
    const start = await browser.request(
      'GET',
      `/oidc/auth?${new URLSearchParams({
        client_id: 'app',
        response_type: 'code',
        scope: 'openid',
        redirect_uri: REDIRECT,
        state: 'state-1',
        nonce: 'nonce-1',
      }).toString()}`,
    );
    const interaction = start.headers.location!;
    const page = await browser.request('GET', interaction);
    expect(page.statusCode).toBe(200);
    const signedIn = await browser.request('POST', `${interaction}/login`, {
      ...hiddenFields(page),
      username: 'alice',
      otp,
      password: PASSWORD,
    });
    expect(signedIn.statusCode).toBe(303);
    const resumed = await browser.request('GET', signedIn.headers.location!.replace(ISSUER, ''));
    const back = new URL(resumed.headers.location!);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    return back.searchParams.get('code')!;
  }
});
