/**
 * What the portal tells someone who proved the password (issue 13, items 4 and 5), on
 * SQLite and PostgreSQL: that the phone's clock is off, or that the token is locked, until
 * when and whom to call. Anyone else — a wrong password, an invalid code — sees the one
 * generic failure, and every refusal is a 401 alike.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decideSignIn } from '../../src/signin/decide.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { DATABASES, SERVICE } from '../helpers/core.js';
import { PortalBrowser as Browser } from '../helpers/portal-client.js';
import { addUserWithToken, PASSWORD, type TestToken } from '../helpers/tokens.js';

const FAILED = 'Anmeldung fehlgeschlagen.';
const CLOCK_DRIFT =
  'Die Uhr Ihres Telefons scheint falsch zu gehen — prüfen Sie die Zeiteinstellungen und geben Sie dann den nächsten Code ein.';

describe.each(DATABASES)('the portal’s hints for the password’s owner on %s', (database) => {
  let t: TestApp;
  let alice: TestToken;

  async function open(env: Record<string, string> = {}): Promise<void> {
    t = await makeApp(database, env);
    alice = await addUserWithToken(t.core, 'alice');
  }
  afterEach(async () => t.close());

  /** The alert the portal shows, its entities read back. */
  const alertOf = (body: string) =>
    body
      .match(/<p class="alert"[^>]*>([^]*?)<\/p>/)![1]!
      .trim()
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  const signIn = (fields: Partial<{ otp: string; password: string }>, from?: string) =>
    new Browser(t).signIn(
      { username: 'alice', otp: alice.code(), password: PASSWORD, ...fields },
      from,
    );
  const phoneCode = (aheadS: number) => alice.code(t.clock.now() + aheadS * 1000);

  async function lockAlice(): Promise<void> {
    const wrong = () => (alice.code() === '000000' ? '111111' : '000000');
    for (let i = 0; i < 10; i++) {
      t.clock.advance(60_000);
      await decideSignIn(t.core, SERVICE, {
        username: 'alice',
        password: PASSWORD,
        otp: wrong(),
        clientAddress: `203.0.113.${i}`,
      });
    }
  }

  it('tells the owner that the phone’s clock is off, and takes the next code', async () => {
    await open();
    const page = await signIn({ otp: phoneCode(300) });
    expect(page.statusCode).toBe(401);
    expect(alertOf(page.body)).toBe(CLOCK_DRIFT);
    expect(page.body).toContain('value="alice"');
    t.clock.advance(30_000);
    expect((await signIn({ otp: phoneCode(300) })).statusCode).toBe(303);
  });

  it('says it in English too', async () => {
    await open();
    const page = await signIn({ otp: phoneCode(-420) }, '/login?lang=en');
    expect(page.statusCode).toBe(401);
    expect(alertOf(page.body)).toBe(
      "Your phone's clock seems to be off — check the time settings, then enter the next code.",
    );
  });

  it('shows a stranger with a wrong password the generic failure for a drifting code', async () => {
    await open();
    const drifting = await signIn({ otp: phoneCode(300), password: 'not the password' });
    const wrong = await signIn({ otp: '000000', password: 'not the password' });
    expect(drifting.statusCode).toBe(401);
    expect(alertOf(drifting.body)).toContain(FAILED);
    expect(alertOf(drifting.body)).toBe(alertOf(wrong.body));
  });

  it('tells the owner with a valid code until when the token is locked and whom to call', async () => {
    await open({ PFORTE_ORGANISATION_CONTACT: 'IT-Service, +49 40 1234-0' });
    await lockAlice(); // locked at 09:10 UTC, for 15 minutes
    t.clock.advance(60_000);
    const page = await signIn({});
    expect(page.statusCode).toBe(401);
    expect(page.headers['retry-after']).toBeUndefined();
    expect(alertOf(page.body)).toBe(
      'Ihr Token ist gesperrt bis Sonntag, 29. November 2026 um 10:25 MEZ (noch 14 Minuten). Bitte wenden Sie sich an IT-Service, +49 40 1234-0.',
    );
    const english = await signIn({}, '/login?lang=en');
    expect(alertOf(english.body)).toMatch(
      /^Your token is locked until Sunday,? 29 November 2026 at 10:25 CET \(14 minutes from now\)\. Please contact IT-Service, \+49 40 1234-0\.$/,
    );
  });

  it('names the IT department when no contact is configured, and no time when only it unlocks', async () => {
    await open({ PFORTE_LOCKOUT_AUTO_UNLOCK_MINUTES: '0' });
    await lockAlice();
    t.clock.advance(60_000);
    expect(alertOf((await signIn({})).body)).toBe(
      'Ihr Token ist gesperrt, bis die IT-Abteilung ihn entsperrt. Bitte wenden Sie sich an Ihre IT-Abteilung.',
    );
  });

  it('shows the generic failure for a locked token without the password or a valid code', async () => {
    await open();
    await lockAlice();
    t.clock.advance(60_000);
    const invalidCode = alice.code() === '000000' ? '111111' : '000000';
    for (const fields of [{ password: 'not the password' }, { otp: invalidCode }]) {
      const page = await signIn(fields);
      expect(page.statusCode).toBe(401);
      expect(alertOf(page.body)).toContain(FAILED);
    }
  });

  it('signs the owner in once the lock has run out', async () => {
    await open();
    await lockAlice();
    t.clock.advance(16 * 60_000);
    expect((await signIn({})).statusCode).toBe(303);
  });
});
