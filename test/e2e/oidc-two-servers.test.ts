/**
 * Two `pforte serve` processes behind one public address, on one PostgreSQL database
 * with one master key: a service signs in at one and redeems its authorization code at
 * the other, with the same signing keys at both; the same code redeemed at both at the
 * same moment is honoured exactly once, and the grant's tokens are revoked (RFC 6749
 * section 4.1.2) — except a token the winner saves after the loser revoked, which the
 * last test pins down with row and table locks taken from the test.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { freshPostgresDatabase } from '../helpers/core.js';
import {
  authorizationRequest,
  clientSetting,
  CodeFlowBrowser,
  discoverAt,
  PUBLIC_URL,
  type ConfidentialClient,
  type PendingSignIn,
} from '../helpers/oidc-code-flow.js';
import { withPostgresClient } from '../helpers/postgres-client.js';
import { oathtoolCode } from '../helpers/radius.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { PASSWORD } from '../helpers/tokens.js';

/** Each test signs in once with its own person: a TOTP code is accepted once only. */
const PEOPLE = {
  alice: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  bob: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU',
  carol: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U',
};
const ROUNDS = 20;

const wiki: ConfidentialClient = {
  clientId: 'wiki',
  secret: randomBytes(32).toString('base64url'),
  // Never served: the code is read from the Location header that would lead there.
  redirectUri: 'http://wiki.pforte.test/callback',
};

/** The token request the service makes with the code its callback brought. */
function redeem(config: oidc.Configuration, pending: PendingSignIn, callback: URL) {
  return oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: pending.verifier,
    expectedNonce: pending.nonce,
    expectedState: pending.state,
  });
}

/** `tokens`, or the OAuth error code the token endpoint answered with. */
function outcomeOf(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return 'tokens';
  return String((result.reason as { error?: string }).error ?? result.reason);
}

describe('OpenID Connect on two server processes sharing one PostgreSQL database', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let databaseUrl: string;
  const ids: Record<string, string> = {};
  const dataDirs: string[] = [];

  /** How many token requests wait for a lock at consume's conditional UPDATE. */
  const consumesWaiting = () =>
    withPostgresClient(databaseUrl, async (client) => {
      const waiting = await client.query<{ count: string }>(
        `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
           AND wait_event_type = 'Lock' AND query ILIKE 'update "oidc_payloads"%'`,
      );
      return Number(waiting.rows[0]!.count);
    });

  /** Status of userinfo at A for an access token: 200, or 401 for a revoked one. */
  async function userinfoStatus(accessToken: string): Promise<number> {
    const response = await fetch(`${a.url}/oidc/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** A browser signed in at A as `username` on the portal's form, with the code oathtool shows now. */
  async function signedIn(username: keyof typeof PEOPLE, config: oidc.Configuration) {
    const browser = new CodeFlowBrowser();
    const pending = await authorizationRequest(config, wiki.redirectUri);
    const callback = await browser.authorize(a.url, pending, wiki.redirectUri, {
      username,
      otp: await oathtoolCode(PEOPLE[username], Date.now()),
      password: PASSWORD,
    });
    return { browser, pending, callback };
  }

  /** A fresh code for a signed-in browser (single sign-on: no form), issued by `server`. */
  async function nextCode(
    browser: CodeFlowBrowser,
    server: ServerProcess,
    config: oidc.Configuration,
  ) {
    const pending = await authorizationRequest(config, wiki.redirectUri);
    return { pending, callback: await browser.authorize(server.url, pending, wiki.redirectUri) };
  }

  beforeAll(async () => {
    databaseUrl = await freshPostgresDatabase();
    const shared = {
      PFORTE_DATABASE_URL: databaseUrl,
      PFORTE_MASTER_KEY: randomBytes(32).toString('hex'),
      PFORTE_PUBLIC_URL: PUBLIC_URL,
      PFORTE_OIDC_CLIENTS: JSON.stringify([clientSetting(wiki)]),
    };
    // Two machines: each its own data folder, the database and the master key shared.
    const machine = () => {
      dataDirs.push(mkdtempSync(join(tmpdir(), 'pforte-oidc-two-')));
      return { ...shared, PFORTE_DATA_DIR: dataDirs.at(-1)! };
    };
    const [envA, envB] = [machine(), machine()];
    await cli(envA, ['migrate']);
    for (const [username, secret] of Object.entries(PEOPLE)) {
      const email = `${username}@example.org`;
      await cli(envA, ['user', 'add', username, '--email', email, '--password-stdin'], PASSWORD);
      expect((await cli(envA, ['token', 'add', username, '--secret-stdin'], secret)).code).toBe(0);
    }
    const users = await withPostgresClient(databaseUrl, (client) =>
      client.query<{ id: string; username: string }>('SELECT id, username FROM users'),
    );
    for (const row of users.rows) ids[row.username] = row.id;
    [a, b] = await Promise.all([startServerProcess(envA), startServerProcess(envB)]);
  });
  afterAll(async () => {
    await Promise.all([a, b].map((server) => server?.stop()));
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the same signing keys at both, made once when both are first asked at once', async () => {
    const [jwksA, jwksB] = await Promise.all(
      [a, b].map(async (server) => (await fetch(`${server.url}/oidc/jwks`)).json()),
    );
    expect(jwksA).toEqual(jwksB);
    expect((jwksA as { keys: { alg: string }[] }).keys.map((key) => key.alg).sort()).toEqual([
      'ES256',
      'RS256',
    ]);
  });

  it('redeems at one process the code the other issued, and each answers for the other’s tokens', async () => {
    const [atA, atB] = await Promise.all([discoverAt(a.url, wiki), discoverAt(b.url, wiki)]);
    const { pending, callback } = await signedIn('alice', atA);

    const tokens = await redeem(atB, pending, callback);
    expect(tokens.claims()).toMatchObject({
      iss: PUBLIC_URL,
      aud: wiki.clientId,
      sub: ids.alice,
      nonce: pending.nonce,
      preferred_username: 'alice',
      amr: ['pwd', 'otp'],
    });
    const userinfo = await oidc.fetchUserInfo(atA, tokens.access_token, ids.alice!);
    expect(userinfo).toMatchObject({ sub: ids.alice, email: 'alice@example.org' });
  });

  it(`honours a code redeemed at both at once exactly once, and revokes the grant’s earlier tokens (${ROUNDS} rounds)`, async () => {
    const servers = [a, b];
    const configs = await Promise.all(servers.map((server) => discoverAt(server.url, wiki)));
    const { browser } = await signedIn('bob', configs[0]!);

    const rounds: { outcomes: string[]; earlierToken: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Codes issued at A and B in turn; the first of each round is redeemed once, as it should be.
      const issuer = round % 2;
      const first = await nextCode(browser, servers[issuer]!, configs[issuer]!);
      const earlier = await redeem(configs[issuer]!, first.pending, first.callback);
      const { pending, callback } = await nextCode(browser, servers[issuer]!, configs[issuer]!);
      const results = await Promise.allSettled(
        configs.map((config) => redeem(config, pending, callback)),
      );
      rounds.push({
        outcomes: results.map(outcomeOf).sort(),
        earlierToken: await userinfoStatus(earlier.access_token),
      });
    }
    // The winner's own token is asserted in the next test, where the order is fixed.
    expect(rounds).toEqual(
      Array(ROUNDS).fill({ outcomes: ['invalid_grant', 'tokens'], earlierToken: 401 }),
    );
  });

  it('refuses the winner’s token of a code redeemed twice, even when it is saved after the loser revoked the grant', async () => {
    const configs = await Promise.all([a, b].map((server) => discoverAt(server.url, wiki)));
    const { browser } = await signedIn('carol', configs[0]!);
    const { pending, callback } = await nextCode(browser, a, configs[0]!);

    // Both requests find the code unused and wait at the conditional UPDATE of their
    // consume; the winner then waits at reading its account, until the loser has answered.
    const settled = await withPostgresClient(databaseUrl, (codeRow) =>
      withPostgresClient(databaseUrl, async (users) => {
        await codeRow.query('BEGIN');
        await codeRow.query(
          `SELECT 1 FROM oidc_payloads WHERE kind = 'AuthorizationCode' AND consumed_at IS NULL FOR UPDATE`,
        );
        await users.query('BEGIN');
        await users.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
        const settled: PromiseSettledResult<oidc.TokenEndpointResponse>[] = [];
        const requests = configs.map((config) =>
          redeem(config, pending, callback).then(
            (value) => void settled.push({ status: 'fulfilled', value }),
            (reason: unknown) => void settled.push({ status: 'rejected', reason }),
          ),
        );
        await expect.poll(consumesWaiting).toBe(2);
        await codeRow.query('COMMIT');
        await Promise.race(requests);
        expect(settled.map(outcomeOf)).toEqual(['invalid_grant']);
        await users.query('COMMIT');
        await Promise.all(requests);
        return settled;
      }),
    );
    expect(settled.map(outcomeOf)).toEqual(['invalid_grant', 'tokens']);

    const winner = settled[1] as PromiseFulfilledResult<oidc.TokenEndpointResponse>;
    // RFC 6749 4.1.2: the code was used twice, so its tokens are revoked. The loser's
    // revocation removes the Grant itself (src/oidc/adapter.ts), so the token the winner
    // saved afterwards finds no grant.
    expect(await userinfoStatus(winner.value.access_token)).toBe(401);
  });
});
