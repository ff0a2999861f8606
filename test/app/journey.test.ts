/**
 * The authenticator end to end, on a phone: the mailed link, the enrollment page, the
 * app — name, activate, PIN twice — and the first passcode, which the server accepts.
 * Then what happens later: reload and unlock with the PIN, offline too.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generateTOTP, timeStep } from '../../src/otp/codes.js';
import { unsealSeed } from '../../src/tokens/seed.js';
import { getTokenRow, listTokens } from '../../src/tokens/tokens.js';
import {
  androidPhone,
  launchChromium,
  startAppServer,
  watchPageErrors,
  type AppServer,
} from '../helpers/browser.js';
import {
  PIN,
  accessibilityProblems,
  activateAndSetPin,
  expectHeading,
  importFromEnrollmentPage,
  openWithPin,
  readPasscode,
  storedTokens,
} from './steps.js';

describe('the authenticator on an Android phone', { timeout: 120_000 }, () => {
  let browser: Browser;
  let server: AppServer;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser.close());
  beforeEach(async () => {
    server = await startAppServer();
    context = await browser.newContext(androidPhone());
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    problems = watchPageErrors(page);
  });
  afterEach(async () => {
    await context.close();
    await server.close();
    expect(problems).toEqual([]);
  });

  /** The passcodes the server expects for `serial` now (its window, ±1 step). */
  async function serverPasscodes(serial: string): Promise<string[]> {
    const row = await getTokenRow(server.t.core, serial);
    const seed = unsealSeed(server.t.core, row.id, row.sealed_seed);
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
    const link = await server.enroll('alice');
    await importFromEnrollmentPage(page, link);
    // The code is gone from the address bar at once.
    expect(page.url()).toBe(`${server.url}/app/`);
    expect(await page.getByLabel('Token name').inputValue()).toBe('Example AG');
    expect(await page.locator('.code').textContent()).toBe(
      link.split('/enroll/')[1]!.match(/.{5}/g)!.join('-'),
    );
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByLabel('Token name').fill('Work');
    await page.getByRole('button', { name: 'Activate' }).click();
    await expectHeading(page, 'Token activated');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectHeading(page, 'Set a PIN');
    expect(await accessibilityProblems(page)).toEqual([]);

    // Trivial PINs and a mistyped confirmation are refused with the reason.
    await page.getByLabel('PIN', { exact: true }).fill('123456');
    await page.getByLabel('Confirm PIN').fill('123456');
    await page.getByRole('button', { name: 'Set PIN' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('run of digits');
    await page.getByLabel('PIN', { exact: true }).fill('777777');
    await page.getByRole('button', { name: 'Set PIN' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('one digit repeated');
    await page.getByLabel('PIN', { exact: true }).fill('12345');
    await page.getByRole('button', { name: 'Set PIN' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('too short');
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByLabel('Confirm PIN').fill('924631');
    await page.getByRole('button', { name: 'Set PIN' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('differ');
    await page.getByLabel('Confirm PIN').fill(PIN);
    await page.getByRole('button', { name: 'Set PIN' }).click();

    const passcode = await readPasscode(page);
    await expectHeading(page, 'Work');
    expect(await page.getByText(/^New passcode in \d+ s$/).count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);

    // The server made the token active, and accepts the first passcode.
    const [token] = await listTokens(server.t.core, { username: 'alice' });
    expect(token!.state).toBe('active');
    expect(await server.validate('alice', passcode)).toBe('accept');

    // On the phone: the seed only under the PIN; nothing secret anywhere else.
    const [stored] = await storedTokens(page);
    expect(stored).toMatchObject({ name: 'Work', serial: token!.serial, pinFailures: 0 });
    expect(Object.keys(stored!.vault as object).sort()).toEqual([
      'box',
      'check',
      'counter',
      'iterations',
      'salt',
    ]);
    expect((stored!.vault as { iterations: number }).iterations).toBe(600_000);
    const local = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(local).not.toMatch(/[0-9A-Z]{25}/);

    // Later: the list, then the PIN every time the token is opened.
    await page.reload();
    await expectHeading(page, 'Your tokens');
    expect(await page.getByRole('button', { name: `Work Serial ${token!.serial}` }).count()).toBe(
      1,
    );
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: /^Work/ }).click();
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByRole('button', { name: 'Open' }).click();
    const again = await readPasscode(page);
    expect(await serverPasscodes(token!.serial)).toContain(again);
  });

  it('opens offline after the first visit and still shows passcodes', async () => {
    await importFromEnrollmentPage(page, await server.enroll('bob'), 'Offline');
    await activateAndSetPin(page);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const serial = (await storedTokens(page))[0]!.serial as string;

    await context.setOffline(true);
    await page.reload();
    await expectHeading(page, 'Your tokens');
    await openWithPin(page, 'Offline', PIN);
    expect(await serverPasscodes(serial)).toContain(await readPasscode(page));
    // The service worker's cache holds the app's files, never an API answer.
    const cached = await page.evaluate(async () => {
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
    await importFromEnrollmentPage(page, await server.enroll('carol'), 'Laptop-free token');
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('No connection');
    expect(await page.getByLabel('Token name').inputValue()).toBe('Laptop-free token');
    await context.setOffline(false);
    const passcode = await activateAndSetPin(page);
    expect(await server.validate('carol', passcode)).toBe('accept');
    expect((await storedTokens(page))[0]!.name).toBe('Laptop-free token');
  });
});
