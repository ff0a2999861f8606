/**
 * The user's steps in the authenticator, as a person does them on the phone: by the
 * visible, accessible names of the controls (DESIGN.md section 5; the issue names them).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import {
  androidPhone,
  launchChromium,
  startAppServer,
  watchPageErrors,
  type AppServer,
} from '../helpers/browser.js';
import type { TestApp } from '../helpers/app.js';
import { ADMIN } from '../helpers/core.js';
import { createUser } from '../../src/users/users.js';

export const PIN = '924613';
export const PASSWORD = 'correct horse battery';

/** Alice Example, with a password, as an administrator adds her (her token is each test's own). */
export async function addAlice(t: TestApp): Promise<void> {
  await createUser(t.core, ADMIN, {
    username: 'alice',
    email: 'alice@example.org',
    name: 'Alice Example',
    password: PASSWORD,
  });
}

/** Fills in the portal's sign-in form in German, as Alice types it, and sends it. */
export async function signInOnPortal(page: Page, code: string): Promise<void> {
  await page.getByLabel('Benutzername').fill('alice');
  await page.getByLabel('Token Code').fill(code);
  await page.getByLabel('Kennwort').fill(PASSWORD);
  await page.getByRole('button', { name: 'Anmelden' }).click();
}

/** From the enrollment page's "Import the token" link to the named, activated token. */
export async function importFromEnrollmentPage(page: Page, link: string, name?: string) {
  await page.goto(link);
  await page.getByRole('link', { name: 'Import the token' }).first().click();
  await expectHeading(page, 'Name and activate your token');
  if (name !== undefined) await page.getByLabel('Token name').fill(name);
}

/** "Activate", then "Continue", then the PIN twice: the first passcode. */
export async function activateAndSetPin(page: Page, pin = PIN): Promise<string> {
  await page.getByRole('button', { name: 'Activate' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByLabel('Confirm PIN').fill(pin);
  await page.getByRole('button', { name: 'Set PIN' }).click();
  return readPasscode(page);
}

/** The digits of the element named "Passcode". */
export async function readPasscode(page: Page): Promise<string> {
  const passcode = page.getByLabel('Passcode');
  await expect.poll(() => passcode.textContent(), { timeout: 15_000 }).toMatch(/^\d{6}$/);
  return (await passcode.textContent())!;
}

/** Opens a stored token from the list with its PIN. */
export async function openWithPin(page: Page, tokenName: string, pin: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^${tokenName}`) }).click();
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Open' }).click();
}

/** Waits until the screen's heading is `text`: the user has arrived on that screen. */
export async function expectHeading(page: Page, text: string): Promise<void> {
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(text);
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** axe-core in the page: the serious and critical accessibility violations of this screen. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // Evaluated through DevTools, so the page's Content-Security-Policy stays as it is.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<AxeResults> } }).axe;
    const results = await axe.run();
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

interface AxeResults {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

/** What IndexedDB holds for the app's tokens, read as the page sees it. */
export function storedTokens(page: Page): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    () =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const open = indexedDB.open('pforte-authenticator');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('tokens').objectStore('tokens').getAll();
          request.onsuccess = () => resolve(request.result as Record<string, unknown>[]);
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

export interface PhoneSession {
  server: AppServer;
  context: BrowserContext;
  page: Page;
  /** A new phone (browser context) in place of the current one; the old one stays open. */
  openPhone(options?: BrowserContextOptions): Promise<void>;
}

/**
 * One Chromium for the file; for each test a fresh server and a fresh phone. After each
 * test, no Content-Security-Policy violation or uncaught error may have happened.
 */
export function usePhone(
  options: { chromiumArgs?: string[]; serverEnv?: Record<string, string> } = {},
): PhoneSession {
  let browser: Browser;
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];
  const session = {
    async openPhone(options = androidPhone()) {
      session.context = await browser.newContext(options);
      contexts.push(session.context);
      session.page = await session.context.newPage();
      session.page.setDefaultTimeout(15_000);
      const watched = watchPageErrors(session.page);
      session.page.on('close', () => problems.push(...watched));
    },
  } as PhoneSession;

  beforeAll(async () => {
    browser = await launchChromium(options.chromiumArgs);
  });
  afterAll(async () => browser.close());
  beforeEach(async () => {
    problems.length = 0;
    session.server = await startAppServer(options.serverEnv);
    await session.openPhone();
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    await session.server.close();
    expect(problems).toEqual([]);
  });
  return session;
}
