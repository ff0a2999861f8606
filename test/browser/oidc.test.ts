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
import { parseMetrics } from '../helpers/metrics.js';
import { startRelyingParty, type RelyingParty } from '../helpers/relying-party.js';
import { addAlice, expectHeading, signInOnPortal, usePhone } from './steps.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('OpenID Connect sign-in in a browser', { timeout: 120_000 }, () => {
  const serverEnv: Record<string, string> = {};
  let wiki: RelyingParty;
  let chat: RelyingParty;
  let partner: RelyingParty;
  beforeAll(async () => {
    wiki = await startRelyingParty('wiki');
    chat = await startRelyingParty('chat');
    partner = await startRelyingParty('partner');
    serverEnv.PFORTE_OIDC_CLIENTS = JSON.stringify([
      wiki.clientSetting({
        grant_types: ['authorization_code', 'refresh_token'],
        backchannel_logout_uri: `${wiki.url}/backchannel`,
      }),
      chat.clientSetting({ id_token_signed_response_alg: 'ES256' }),
      partner.clientSetting({ first_party: false }),
    ]);
  });
  afterAll(async () => {
    for (const rp of [wiki, chat, partner]) await rp.close();
  });
  const phone = usePhone({ serverEnv });

  async function alice(): Promise<void> {
    const { t } = phone.server;
    await addAlice(t);
    const added = await cli(t.env, ['token', 'add', 'alice', '--secret-stdin'], SECRET);
    expect(added.code).toBe(0);
    for (const rp of [wiki, chat, partner]) {
      await rp.discover(phone.server.url);
      rp.signedIn.length = 0;
      rp.errors.length = 0;
      rp.backchannelLogouts.length = 0;
    }
  }

  /** Signs Alice in at `rp` on the portal's page, and waits for the service to show her. */
  async function signInAt(rp: RelyingParty): Promise<void> {
    const { page } = phone;
    await page.goto(`${rp.url}/login`);
    await expectHeading(page, 'Willkommen');
    await signInOnPortal(page, oathtool());
    await expect.poll(() => page.locator('#who').textContent()).toBe('Signed in as alice');
  }

  /** Where the portal sends a browser now: the services page when signed in, else the sign-in. */
  async function portalSession(): Promise<'signed in' | 'signed out'> {
    await phone.page.goto(`${phone.server.url}/services`);
    return new URL(phone.page.url()).pathname === '/services' ? 'signed in' : 'signed out';
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

    const counted = parseMetrics(await phone.server.t.core.metrics.registry.metrics());
    expect(
      counted.get('pforte_oidc_events_total{action="oidc.token",outcome="success",reason=""}'),
    ).toBe(3);
    expect(
      counted.get(
        'pforte_oidc_events_total{action="oidc.token",outcome="failure",reason="invalid_grant"}',
      ),
    ).toBe(1);

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

  it('Abmelden on the portal ends single sign-on: the next service asks again, the back-channel is told', async () => {
    await alice();
    await phone.openPhone(androidPhone('de'));
    await signInAt(wiki);
    const sub = wiki.signedIn.at(-1)!.claims.sub;
    const { page } = phone;
    await page.goto(`${phone.server.url}/services`);
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await expectHeading(page, 'Willkommen');

    expect(wiki.backchannelLogouts).toHaveLength(1);
    expect(wiki.backchannelLogouts[0]).toMatchObject({
      iss: phone.server.url,
      aud: 'wiki',
      sub,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
    // Its refresh token went with the grant.
    await expect(
      oidc.refreshTokenGrant(wiki.config(), wiki.signedIn.at(-1)!.tokens.refresh_token!),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    await page.goto(`${chat.url}/login`);
    await expectHeading(page, 'Willkommen');
    expect(await page.getByText('Anmeldung für Chat').count()).toBe(1);
  });

  it('signing out at a service asks, then ends the portal session as well', async () => {
    await alice();
    await phone.openPhone(androidPhone('de'));
    await signInAt(chat);
    const { page } = phone;
    await page.goto(`${chat.url}/logout`);
    await expectHeading(page, 'Abmelden?');
    await page.getByRole('button', { name: 'Überall abmelden' }).click();
    await expect.poll(() => page.locator('#bye').textContent()).toBe('Signed out');
    expect(await portalSession()).toBe('signed out');
    const logout = await phone.server.t.core.store.db
      .selectFrom('audit_events')
      .select(['outcome', 'actor'])
      .where('action', '=', 'oidc.logout')
      .execute();
    expect(logout).toEqual([{ outcome: 'success', actor: 'chat' }]);
  });

  it('a wrong code gets the portal’s refusal and the service nothing; the right one goes on', async () => {
    await alice();
    await phone.openPhone(androidPhone('de'));
    const { page } = phone;
    await page.goto(`${wiki.url}/login`);
    const right = oathtool();
    await signInOnPortal(page, right === '000000' ? '111111' : '000000');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Anmeldung fehlgeschlagen.');
    expect(new URL(page.url()).pathname).toMatch(/^\/oidc\/interaction\//);
    expect(wiki.signedIn).toHaveLength(0);
    await signInOnPortal(page, right);
    await expect.poll(() => page.locator('#who').textContent()).toBe('Signed in as alice');
  });

  it('refuses a redirect_uri the service did not register, on Pforte’s own page', async () => {
    await alice();
    await phone.openPhone(androidPhone('de'));
    const url = oidc.buildAuthorizationUrl(wiki.config(), {
      redirect_uri: 'https://evil.example/callback',
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const answer = await phone.page.goto(url.href);
    expect(answer?.status()).toBe(400);
    await expectHeading(phone.page, 'Die Anmeldung ging nicht');
    expect(await phone.page.locator('code').textContent()).toBe('invalid_redirect_uri');
    expect(new URL(phone.page.url()).origin).toBe(phone.server.url);
  });

  it('a code redeemed without its PKCE verifier is refused; replayed, it is refused and its tokens revoked', async () => {
    await alice();
    await phone.openPhone(androidPhone('de'));
    const { page } = phone;
    await page.goto(`${wiki.url}/login?hold=1`);
    await signInOnPortal(page, oathtool());
    await expect.poll(() => page.locator('#held').count()).toBe(1);
    const callback = wiki.lastCallback!;

    const { pkceCodeVerifier, ...withoutVerifier } = wiki.lastChecks!;
    await expect(
      oidc.authorizationCodeGrant(wiki.config(), callback, withoutVerifier),
    ).rejects.toMatchObject({ error: 'invalid_grant' });

    const checks = { pkceCodeVerifier, ...withoutVerifier };
    const tokens = await oidc.authorizationCodeGrant(wiki.config(), callback, checks);
    const sub = tokens.claims()!.sub;
    await expect(
      oidc.fetchUserInfo(wiki.config(), tokens.access_token, sub),
    ).resolves.toMatchObject({ sub });

    await expect(
      oidc.authorizationCodeGrant(wiki.config(), callback, checks),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // RFC 6749 4.1.2: the tokens issued for a code used twice are revoked.
    await expect(oidc.fetchUserInfo(wiki.config(), tokens.access_token, sub)).rejects.toMatchObject(
      {
        status: 401,
        cause: [
          { scheme: 'bearer', parameters: expect.objectContaining({ error: 'invalid_token' }) },
        ],
      },
    );
  });

  it('a service that is not the organisation’s own asks for consent once; Ablehnen is access_denied', async () => {
    await alice();
    await phone.openPhone(androidPhone('de'));
    const { page } = phone;
    await page.goto(`${partner.url}/login`);
    await signInOnPortal(page, oathtool());
    await expectHeading(page, 'Zugriff erlauben?');
    expect(await page.getByText('Partner möchte Folgendes von Ihrem Zugang wissen:').count()).toBe(
      1,
    );
    expect(await page.locator('ul.scopes li').allTextContents()).toEqual(
      expect.arrayContaining(['Ihre E-Mail-Adresse', 'Ihre Gruppen']),
    );
    await page.getByRole('button', { name: 'Ablehnen' }).click();
    await expect.poll(() => page.locator('#error').textContent()).toBe('access_denied');

    await page.goto(`${partner.url}/login`);
    await expectHeading(page, 'Zugriff erlauben?');
    await page.getByRole('button', { name: 'Erlauben' }).click();
    await expect.poll(() => page.locator('#who').textContent()).toBe('Signed in as alice');

    // Allowed once: the next sign-in there asks nothing.
    await page.goto(`${partner.url}/login`);
    await expect.poll(() => partner.signedIn.length).toBe(2);
    const consent = await phone.server.t.core.store.db
      .selectFrom('audit_events')
      .select(['outcome', 'reason'])
      .where('action', '=', 'oidc.consent')
      .orderBy('id')
      .execute();
    expect(consent).toEqual([
      { outcome: 'failure', reason: 'access_denied' },
      { outcome: 'success', reason: '' },
    ]);
  });
});
