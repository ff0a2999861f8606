/**
 * The authenticator end to end, on a phone: the mailed link, the enrollment phone.page, the
 * app — name, activate, PIN twice — and the first passcode, which the server accepts.
 * Then what happens later: reload and unlock with the PIN, offline too.
 */
import { describe, expect, it } from 'vitest';
import { generateTOTP, timeStep } from '../../src/otp/codes.js';
import { unsealSeed } from '../../src/tokens/seed.js';
import { getTokenRow, listTokens } from '../../src/tokens/tokens.js';
import {
  PIN,
  accessibilityProblems,
  activateAndSetPin,
  expectHeading,
  importFromEnrollmentPage,
  openWithPin,
  readPasscode,
  storedTokens,
  usePhone,
} from './steps.js';

describe('the authenticator on an Android phone', { timeout: 120_000 }, () => {
  const phone = usePhone();

  /** The passcodes the server expects for `serial` now (its window, ±1 step). */
  async function serverPasscodes(serial: string): Promise<string[]> {
    const row = await getTokenRow(phone.server.t.core, serial);
    const seed = unsealSeed(phone.server.t.core, row.id, row.sealed_seed);
    const step = timeStep(Date.now(), row.period);
    return [step - 1, step, step + 1].map((s) =>
      generateTOTP(seed, s * row.period * 1000, {
        algorithm: 'SHA1',
        digits: 6,
        period: row.period,
      }),
    );
  }

  it('imports from the mailed link, activates, protects with a PIN and signs in', async () => {
    const link = await phone.server.enroll('alice');
    const logged: string[] = [];
    phone.page.on('console', (message) => logged.push(message.text()));
    await importFromEnrollmentPage(phone.page, link);
    // The code is gone from the address bar at once.
    expect(phone.page.url()).toBe(`${phone.server.url}/app/`);
    expect(await phone.page.getByLabel('Token name').inputValue()).toBe('Example AG');
    expect(await phone.page.locator('.code').textContent()).toBe(
      link.split('/enroll/')[1]!.match(/.{5}/g)!.join('-'),
    );
    expect(await accessibilityProblems(phone.page)).toEqual([]);

    await phone.page.getByLabel('Token name').fill('Work');
    await phone.page.getByRole('button', { name: 'Activate' }).click();
    await expectHeading(phone.page, 'Token activated');
    expect(await accessibilityProblems(phone.page)).toEqual([]);
    await phone.page.getByRole('button', { name: 'Continue' }).click();
    await expectHeading(phone.page, 'Set a PIN');
    expect(await accessibilityProblems(phone.page)).toEqual([]);

    // Trivial PINs and a mistyped confirmation are refused with the reason.
    await phone.page.getByLabel('PIN', { exact: true }).fill('123456');
    await phone.page.getByLabel('Confirm PIN').fill('123456');
    await phone.page.getByRole('button', { name: 'Set PIN' }).click();
    await expect.poll(() => phone.page.getByRole('alert').textContent()).toContain('run of digits');
    await phone.page.getByLabel('PIN', { exact: true }).fill('777777');
    await phone.page.getByRole('button', { name: 'Set PIN' }).click();
    await expect
      .poll(() => phone.page.getByRole('alert').textContent())
      .toContain('one digit repeated');
    await phone.page.getByLabel('PIN', { exact: true }).fill('12345');
    await phone.page.getByRole('button', { name: 'Set PIN' }).click();
    await expect.poll(() => phone.page.getByRole('alert').textContent()).toContain('too short');
    await phone.page.getByLabel('PIN', { exact: true }).fill(PIN);
    await phone.page.getByLabel('Confirm PIN').fill('924631');
    await phone.page.getByRole('button', { name: 'Set PIN' }).click();
    await expect.poll(() => phone.page.getByRole('alert').textContent()).toContain('differ');
    await phone.page.getByLabel('Confirm PIN').fill(PIN);
    await phone.page.getByRole('button', { name: 'Set PIN' }).click();

    const passcode = await readPasscode(phone.page);
    await expectHeading(phone.page, 'Work');
    expect(await phone.page.getByText(/^New passcode in \d+ s$/).count()).toBe(1);
    expect(await accessibilityProblems(phone.page)).toEqual([]);

    // The server made the token active, and accepts the first passcode.
    const [token] = (await listTokens(phone.server.t.core, { username: 'alice' })).items;
    expect(token!.state).toBe('active');
    expect(await phone.server.validate('alice', passcode)).toBe('accept');

    // On the phone: the seed only under the PIN; nothing secret anywhere else.
    const [stored] = await storedTokens(phone.page);
    expect(stored).toMatchObject({ name: 'Work', serial: token!.serial, pinFailures: 0 });
    expect(Object.keys(stored!.vault as object).sort()).toEqual([
      'box',
      'check',
      'counter',
      'iterations',
      'salt',
    ]);
    expect((stored!.vault as { iterations: number }).iterations).toBe(600_000);
    const code = link.split('/enroll/')[1]!;
    const kept = await phone.page.evaluate(() =>
      JSON.stringify({ ...localStorage, ...sessionStorage }),
    );
    for (const secret of [code, PIN, passcode]) {
      expect(kept).not.toContain(secret);
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(logged.join('\n')).not.toContain(secret);
    }

    // Later: the list, then the PIN every time the token is opened.
    await phone.page.reload();
    await expectHeading(phone.page, 'Your tokens');
    expect(
      await phone.page.getByRole('button', { name: `Work Serial ${token!.serial}` }).count(),
    ).toBe(1);
    expect(await accessibilityProblems(phone.page)).toEqual([]);
    await phone.page.getByRole('button', { name: /^Work/ }).click();
    expect(await accessibilityProblems(phone.page)).toEqual([]);
    await phone.page.getByLabel('PIN', { exact: true }).fill(PIN);
    await phone.page.getByRole('button', { name: 'Open' }).click();
    const again = await readPasscode(phone.page);
    expect(await serverPasscodes(token!.serial)).toContain(again);
  });

  it('opens offline after the first visit and still shows passcodes', async () => {
    await importFromEnrollmentPage(phone.page, await phone.server.enroll('bob'), 'Offline');
    await activateAndSetPin(phone.page);
    await phone.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const serial = (await storedTokens(phone.page))[0]!.serial as string;

    await phone.context.setOffline(true);
    await phone.page.reload();
    await expectHeading(phone.page, 'Your tokens');
    await openWithPin(phone.page, 'Offline', PIN);
    expect(await serverPasscodes(serial)).toContain(await readPasscode(phone.page));
    // The service worker's cache holds the app's files, never an API answer.
    const cached = await phone.page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
      }
      return urls;
    });
    expect(cached.length).toBeGreaterThan(3);
    expect(cached.every((url) => new URL(url).pathname.startsWith('/app/'))).toBe(true);
  });

  it('keeps the name and the string when the network is gone, and activates once it is back', async () => {
    await importFromEnrollmentPage(
      phone.page,
      await phone.server.enroll('carol'),
      'Laptop-free token',
    );
    await phone.context.setOffline(true);
    await phone.page.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => phone.page.getByRole('alert').textContent()).toContain('No connection');
    expect(await phone.page.getByLabel('Token name').inputValue()).toBe('Laptop-free token');
    await phone.context.setOffline(false);
    const passcode = await activateAndSetPin(phone.page);
    expect(await phone.server.validate('carol', passcode)).toBe('accept');
    expect((await storedTokens(phone.page))[0]!.name).toBe('Laptop-free token');
  });

  it('keeps an activated token when the app is closed before the PIN is set', async () => {
    await importFromEnrollmentPage(phone.page, await phone.server.enroll('dave'), 'Interrupted');
    await phone.page.getByRole('button', { name: 'Activate' }).click();
    await expectHeading(phone.page, 'Token activated');
    expect((await listTokens(phone.server.t.core, { username: 'dave' })).items[0]!.state).toBe(
      'active',
    );

    // The phone closes the app here; the seed was kept before the server was told.
    await phone.page.reload();
    await expectHeading(phone.page, 'Your tokens');
    const [held] = await storedTokens(phone.page);
    expect(held).toMatchObject({ name: 'Interrupted' });
    expect(held!.vault).toBeUndefined();
    await phone.page
      .getByRole('button', { name: 'Interrupted PIN not set yet: tap to set it' })
      .click();
    await expectHeading(phone.page, 'Set a PIN');
    await phone.page.getByLabel('PIN', { exact: true }).fill(PIN);
    await phone.page.getByLabel('Confirm PIN').fill(PIN);
    await phone.page.getByRole('button', { name: 'Set PIN' }).click();
    expect(await phone.server.validate('dave', await readPasscode(phone.page))).toBe('accept');
    const [kept] = await storedTokens(phone.page);
    expect(kept!.held).toBeUndefined();
    expect(kept!.vault).toBeDefined();
  });

  it('goes the whole way: mail, phone, app, passcode, portal, services', async () => {
    const link = await phone.server.enroll('erika');
    await importFromEnrollmentPage(phone.page, link, 'Work');
    const passcode = await activateAndSetPin(phone.page);

    const portal = await phone.context.newPage();
    await portal.goto(`${phone.server.url}/login`);
    await expectHeading(portal, 'Welcome');
    await portal.getByLabel('Username').fill('erika');
    await portal.getByLabel('Token code').fill(passcode);
    await portal.getByLabel('Password').fill('correct horse battery');
    phone.server.t.clock.ms = Date.now();
    await portal.getByRole('button', { name: 'Sign in' }).click();
    await expectHeading(portal, 'Your services');
    expect(await portal.getByText('Signed in as erika').count()).toBe(1);
  });
});
