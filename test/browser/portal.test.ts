/**
 * The portal in Chromium, as the user sees it: the seed's page in German and English,
 * a sign-in with a token imported by `pforte token add` and a code from Debian's
 * `oathtool`, the same code refused in a new session (replay), sign-out, and an axe-core
 * accessibility check of each page.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { androidPhone } from '../helpers/browser.js';
import { cli } from '../helpers/cli.js';
import { accessibilityProblems, addAlice, expectHeading, PASSWORD, usePhone } from './steps.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('the portal in a browser', { timeout: 120_000 }, () => {
  const phone = usePhone({
    serverEnv: {
      PFORTE_PORTAL_NAME: 'Hamburg-Cloud',
      PFORTE_PORTAL_SERVICES: JSON.stringify([
        { name: 'Mail', description: 'Webmail', url: 'https://mail.example.org/' },
      ]),
    },
  });

  async function aliceWithHardwareToken(): Promise<void> {
    const { t } = phone.server;
    await addAlice(t);
    const added = await cli(t.env, ['token', 'add', 'alice', '--secret-stdin'], SECRET);
    expect(added.code).toBe(0);
  }
  /** The code Debian's oathtool computes for the secret at the server's clock. */
  const oathtool = () =>
    execFileSync(
      'oathtool',
      ['--totp', '--base32', `--now=${new Date(phone.server.t.clock.now()).toISOString()}`, SECRET],
      { encoding: 'utf8' },
    ).trim();

  it('shows Willkommen with the fields in the seed’s order, and signs in and out', async () => {
    await aliceWithHardwareToken();
    await phone.openPhone(androidPhone('de'));
    const de = phone.page;
    await de.goto(`${phone.server.url}/`);
    await expectHeading(de, 'Willkommen');
    expect(await de.getByText('Bitte melden Sie sich an.').count()).toBe(1);
    const labels = await de.locator('form.signin label').allTextContents();
    expect(labels).toEqual(['Benutzername', 'Token Code', 'Kennwort']);
    expect(await de.locator('form.signin button').textContent()).toBe('Anmelden');
    expect(await de.evaluate(() => document.activeElement?.id)).toBe('username');
    expect(await accessibilityProblems(de)).toEqual([]);

    const code = oathtool();
    await de.getByLabel('Benutzername').fill('alice');
    await de.getByLabel('Token Code').fill(code);
    await de.getByLabel('Kennwort').fill(PASSWORD);
    await de.getByRole('button', { name: 'Anmelden' }).click();
    await expectHeading(de, 'Ihre Dienste');
    expect(await de.getByText('Angemeldet als Alice Example (alice)').count()).toBe(1);
    expect(await de.getByRole('link', { name: 'Mail' }).getAttribute('href')).toBe(
      'https://mail.example.org/',
    );
    expect(await accessibilityProblems(de)).toEqual([]);
    await de.getByRole('button', { name: 'Abmelden' }).click();
    await expectHeading(de, 'Willkommen');
    expect(await de.getByRole('status').textContent()).toContain('Sie haben sich abgemeldet.');

    // The same code again, in a new session: a replay, refused like any failure.
    await de.getByLabel('Benutzername').fill('alice');
    await de.getByLabel('Token Code').fill(code);
    await de.getByLabel('Kennwort').fill(PASSWORD);
    await de.getByRole('button', { name: 'Anmelden' }).click();
    await expect
      .poll(() => de.getByRole('alert').textContent())
      .toContain('Anmeldung fehlgeschlagen.');
    expect(await de.getByLabel('Benutzername').inputValue()).toBe('alice');
    expect(await de.getByLabel('Token Code').inputValue()).toBe('');
    expect(await de.getByLabel('Kennwort').inputValue()).toBe('');
    expect(await de.evaluate(() => document.activeElement?.id)).toBe('otp');
    expect(await accessibilityProblems(de)).toEqual([]);
  });

  it('speaks English when asked, and remembers it', async () => {
    await phone.openPhone(androidPhone('de'));
    const { page } = phone;
    await page.goto(`${phone.server.url}/login`);
    await page.getByRole('link', { name: 'English' }).click();
    await expectHeading(page, 'Welcome');
    expect(await page.locator('form.signin label').allTextContents()).toEqual([
      'Username',
      'Token code',
      'Password',
    ]);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.goto(`${phone.server.url}/`);
    await expectHeading(page, 'Welcome');
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});
