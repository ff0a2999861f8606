/**
 * The app's exceptions and its brand (issue 13, items 4, 6, 7 and 8), on a phone: the old
 * phone learns its token was replaced and deletes it; a phone whose clock is off is told
 * so; "Forgot PIN?" leads to the portal's My access page; and every screen carries the
 * organisation's name and colour, with no Content-Security-Policy violation.
 */
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/record.js';
import { listTokens } from '../../src/tokens/tokens.js';
import type { AppServer } from '../helpers/browser.js';
import {
  PIN,
  accessibilityProblems,
  activateAndSetPin,
  expectHeading,
  importFromEnrollmentPage,
  openWithPin,
  storedTokens,
  usePhone,
} from './steps.js';

const BRAND = {
  PFORTE_PORTAL_NAME: 'Smart Workplace',
  PFORTE_ORGANISATION_COLOUR: '#7a1f5c',
  PFORTE_ORGANISATION_CONTACT: 'IT-Service, +49 40 1234-0',
};

/** The status checks the server answered: the app asked and was told. */
async function answeredChecks(server: AppServer): Promise<number> {
  const events = await listAudit(server.t.core, { action: 'token.status_check' });
  return events.items.filter((e) => e.outcome === 'success').length;
}

describe('the authenticator’s exceptions and brand', { timeout: 120_000 }, () => {
  const phone = usePhone({ serverEnv: BRAND });

  it('tells the old phone its token was replaced, with the date, and deletes it on request', async () => {
    const { server } = phone;
    await importFromEnrollmentPage(phone.page, await server.enroll('alice'), 'Work');
    await activateAndSetPin(phone.page);
    // The first passcode says where to sign in and that the app locks when left.
    expect(
      await phone.page.getByText('The app locks when you leave it.', { exact: false }).count(),
    ).toBe(1);
    expect(
      await phone.page.getByRole('link', { name: 'Open the portal' }).getAttribute('href'),
    ).toBe(`${server.url}/`);
    await phone.page.getByRole('button', { name: 'Lock' }).click();
    const old = phone.page;

    await phone.openPhone();
    await importFromEnrollmentPage(phone.page, await server.enroll('alice'), 'New phone');
    await activateAndSetPin(phone.page);
    const tokens = (await listTokens(server.t.core, { username: 'alice' })).items;
    expect(tokens.map((t) => t.state).sort()).toEqual(['active', 'revoked']);

    await openWithPin(old, 'Work', PIN);
    const date = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long' }).format(
      new Date(server.t.clock.now()),
    );
    const notice = old.getByText(`Replaced on ${date}`, { exact: false });
    await expect.poll(() => notice.count()).toBe(1);
    expect(await accessibilityProblems(old)).toEqual([]);
    await old.getByRole('button', { name: 'Deutsch' }).click();
    await expect.poll(() => old.getByText('Ersetzt am', { exact: false }).count()).toBe(1);
    await old.getByRole('button', { name: 'English' }).click();

    await old.getByRole('button', { name: 'Delete from this phone' }).click();
    expect(await accessibilityProblems(old)).toEqual([]);
    await old.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expectHeading(old, 'Your tokens');
    expect(await storedTokens(old)).toEqual([]);
    // The new phone's token is in use: its app says nothing.
    await phone.page.getByRole('button', { name: 'Lock' }).click();
    const before = await answeredChecks(server);
    await openWithPin(phone.page, 'New phone', PIN);
    await expectHeading(phone.page, 'New phone');
    await expect.poll(() => answeredChecks(server)).toBe(before + 1);
    expect(await phone.page.locator('.notice').count()).toBe(0);
  });

  it('warns when the phone’s clock is minutes off the server’s, and not when it is right', async () => {
    const { server, page } = phone;
    await importFromEnrollmentPage(page, await server.enroll('bob'), 'Work');
    await activateAndSetPin(page);
    await expect.poll(() => answeredChecks(server)).toBe(1);
    expect(await page.locator('.notice').count()).toBe(0);
    await page.getByRole('button', { name: 'Lock' }).click();

    server.t.clock.ms = Date.now() + 5 * 60_000;
    await openWithPin(page, 'Work', PIN);
    const warning = page.getByText("This phone's clock is 5 minutes off", { exact: false });
    await expect.poll(() => warning.count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await expect
      .poll(() => page.getByText('Die Uhr dieses Telefons weicht um 5 Minuten ab').count())
      .toBe(1);
  });

  it('says nothing about the token offline', async () => {
    const { server, page, context } = phone;
    await importFromEnrollmentPage(page, await server.enroll('carol'), 'Work');
    await activateAndSetPin(page);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.getByRole('button', { name: 'Lock' }).click();
    server.t.clock.ms = Date.now() + 5 * 60_000;
    await context.setOffline(true);
    const before = await answeredChecks(server);
    await openWithPin(page, 'Work', PIN);
    await expectHeading(page, 'Work');
    expect(await page.locator('.notice').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await answeredChecks(server)).toBe(before);
  });

  it('explains a forgotten PIN and leads to the portal’s My access page, in the brand', async () => {
    const { server, page } = phone;
    await importFromEnrollmentPage(page, await server.enroll('dave'), 'Work');
    await activateAndSetPin(page);
    await page.getByRole('button', { name: 'Lock' }).click();

    // The organisation's name and colour in the header and the title.
    const header = page.locator('header.bar');
    expect(await header.locator('.brand').textContent()).toBe('Smart Workplace');
    expect(await header.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(
      'rgb(122, 31, 92)',
    );
    expect(await page.title()).toBe('Your tokens – Smart Workplace');

    await page.getByRole('button', { name: /^Work/ }).click();
    await page.getByRole('button', { name: 'Forgot PIN?' }).click();
    await expectHeading(page, 'Forgot your PIN?');
    expect(await page.getByText('IT-Service, +49 40 1234-0', { exact: false }).count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await expectHeading(page, 'PIN vergessen?');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'English' }).click();

    const link = page.getByRole('link', { name: 'Set up a new phone on the portal' });
    expect(await link.getAttribute('href')).toBe(`${server.url}/access`);
    await Promise.all([page.waitForRequest(`${server.url}/access`), link.click()]);
  });
});
