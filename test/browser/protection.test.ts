/**
 * The authenticator when things go wrong or come later: wrong PINs count down and wipe
 * the token; used, expired and mistyped codes say what to do; the token locks in the
 * background and when idle; rename and delete; German; iPhone in Safari.
 */
import { createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { androidPhone, iPhoneSafari } from '../helpers/browser.js';
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

interface Vault {
  salt: string;
  check: number;
  iterations: number;
}

/** PINs whose check byte differs from the vault's: guesses the app must count as wrong. */
function refusedPins(vault: Vault, count: number): string[] {
  const refused: string[] = [];
  for (let n = 135790; refused.length < count; n += 7) {
    const key = pbkdf2Sync(
      String(n),
      Buffer.from(vault.salt, 'base64url'),
      vault.iterations,
      32,
      'sha256',
    );
    const check = createHmac('sha256', key).update('pforte/pin-check/v1').digest()[0];
    if (check !== vault.check) refused.push(String(n));
  }
  return refused;
}

describe('the authenticator, protected and forgiving', { timeout: 120_000 }, () => {
  const phone = usePhone();

  it('counts wrong PINs down and wipes the token after the last, saying how to get a new one', async () => {
    await importFromEnrollmentPage(phone.page, await phone.server.enroll('alice'), 'Work');
    await activateAndSetPin(phone.page);
    const [stored] = await storedTokens(phone.page);
    const wrong = refusedPins(stored!.vault as Vault, 5);
    await phone.page.getByRole('button', { name: 'Lock' }).click();

    await phone.page.getByRole('button', { name: /^Work/ }).click();
    for (const [i, pin] of wrong.slice(0, 4).entries()) {
      await phone.page.getByLabel('PIN', { exact: true }).fill(pin);
      await phone.page.getByRole('button', { name: 'Open' }).click();
      const left = 4 - i;
      await expect
        .poll(() => phone.page.getByRole('alert').textContent())
        .toBe(
          left === 1
            ? 'Wrong PIN. One attempt left: after one more wrong PIN the token is deleted.'
            : `Wrong PIN. ${left} attempts left before the token is deleted.`,
        );
      expect((await storedTokens(phone.page))[0]!.pinFailures).toBe(i + 1);
    }
    expect(await accessibilityProblems(phone.page)).toEqual([]);
    // The right PIN still opens it, and starts the count again.
    await phone.page.getByLabel('PIN', { exact: true }).fill(PIN);
    await phone.page.getByRole('button', { name: 'Open' }).click();
    await readPasscode(phone.page);
    expect((await storedTokens(phone.page))[0]!.pinFailures).toBe(0);

    await phone.page.getByRole('button', { name: 'Lock' }).click();
    await phone.page.getByRole('button', { name: /^Work/ }).click();
    for (const [i, pin] of wrong.entries()) {
      await phone.page.getByLabel('PIN', { exact: true }).fill(pin);
      await phone.page.getByRole('button', { name: 'Open' }).click();
      if (i < 4) {
        await expect.poll(async () => (await storedTokens(phone.page))[0]?.pinFailures).toBe(i + 1);
      }
    }
    await expectHeading(phone.page, 'Token deleted');
    expect(await phone.page.getByRole('alert').textContent()).toContain(
      'was deleted after 5 wrong PINs',
    );
    expect(await phone.page.getByRole('alert').textContent()).toContain('new enrollment e-mail');
    expect(await storedTokens(phone.page)).toEqual([]);
    expect(await accessibilityProblems(phone.page)).toEqual([]);
  });

  it('says a used code is no longer valid, and an expired one too', async () => {
    const link = await phone.server.enroll('alice');
    await importFromEnrollmentPage(phone.page, link, 'First phone');
    await activateAndSetPin(phone.page);

    // The same code on a second phone (its enrollment phone.page now says the enrollment is
    // done, so the code is typed or the app link opened): the code was used.
    const first = phone.context;
    await phone.openPhone();
    await phone.page.goto(`${phone.server.url}/app/#enroll=${link.split('/enroll/')[1]}`);
    await phone.page.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => phone.page.getByRole('alert').textContent())
      .toContain('not valid (any more): it may be mistyped, already used or expired');
    expect(await accessibilityProblems(phone.page)).toEqual([]);
    await first.close();

    // A new enrollment, opened after its 7 days.
    const late = await phone.server.enroll('bob');
    phone.server.t.clock.advance(8 * 24 * 3600 * 1000);
    // Opened while the app is open: the app takes the new code from the address too.
    await phone.page.goto(`${phone.server.url}/app/#enroll=${late.split('/enroll/')[1]}`);
    await expect
      .poll(() => phone.page.locator('.code').textContent())
      .toBe(late.split('/enroll/')[1]!.match(/.{5}/g)!.join('-'));
    expect(phone.page.url()).toBe(`${phone.server.url}/app/`);
    await phone.page.getByRole('button', { name: 'Activate' }).click();
    await expect
      .poll(() => phone.page.getByRole('alert').textContent())
      .toContain('ask your IT department for a new enrollment e-mail');
    expect(await storedTokens(phone.page)).toEqual([]);
  });

  it('takes a typed string, and explains a typo or another server’s link', async () => {
    const code = (await phone.server.enroll('alice')).split('/enroll/')[1]!;
    await phone.page.goto(`${phone.server.url}/app/`);
    await expectHeading(phone.page, 'Your tokens');
    await phone.page.getByRole('button', { name: 'Add token' }).click();
    await expectHeading(phone.page, 'Add token');
    expect(await accessibilityProblems(phone.page)).toEqual([]);

    // No camera (or no permission): the app says so and offers the other ways.
    await phone.page.getByRole('button', { name: 'Scan QR code' }).click();
    await expect
      .poll(() => phone.page.getByRole('alert').textContent())
      .toContain('The camera is not available');
    await phone.page.getByRole('button', { name: 'Cancel' }).click();
    await expectHeading(phone.page, 'Add token');
    const field = phone.page.getByLabel('Enrollment string');

    await field.fill(code.slice(0, 20).toLowerCase());
    await phone.page.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => phone.page.getByRole('alert').textContent())
      .toContain('not a complete enrollment string');
    expect(await accessibilityProblems(phone.page)).toEqual([]);

    await field.fill(`https://sso.elsewhere.example/enroll/${code}`);
    await phone.page.getByRole('button', { name: 'Continue' }).click();
    await expect
      .poll(() => phone.page.getByRole('alert').textContent())
      .toContain('another server (sso.elsewhere.example)');

    await field.fill(code.toLowerCase().match(/.{5}/g)!.join(' '));
    await phone.page.getByRole('button', { name: 'Continue' }).click();
    await expectHeading(phone.page, 'Name and activate your token');
    const passcode = await activateAndSetPin(phone.page);
    expect(await phone.server.validate('alice', passcode)).toBe('accept');
  });

  it('locks the open token in the background and after two idle minutes; renames and deletes', async () => {
    await phone.context.clock.install();
    await importFromEnrollmentPage(phone.page, await phone.server.enroll('alice'), 'Work');
    await activateAndSetPin(phone.page);

    await phone.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expectHeading(phone.page, 'Your tokens');
    await phone.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    });

    await openWithPin(phone.page, 'Work', PIN);
    await readPasscode(phone.page);
    await phone.page.clock.fastForward(60_000);
    expect(await phone.page.getByLabel('Passcode').count()).toBe(1);
    await phone.page.clock.fastForward(61_000);
    await expectHeading(phone.page, 'Your tokens');

    await phone.page.getByRole('button', { name: /^Work/ }).click();
    await phone.page.getByRole('button', { name: 'Rename' }).click();
    const dialog = phone.page.getByRole('dialog', { name: 'Rename token' });
    await dialog.getByLabel('Token name').fill('Office');
    expect(await accessibilityProblems(phone.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expectHeading(phone.page, 'Office');
    expect((await storedTokens(phone.page))[0]!.name).toBe('Office');

    await phone.page.getByRole('button', { name: 'Delete' }).click();
    const confirm = phone.page.getByRole('dialog', { name: 'Delete token?' });
    expect(await confirm.textContent()).toContain('Delete "Office" from this phone?');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await storedTokens(phone.page)).toHaveLength(1);
    await phone.page.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expectHeading(phone.page, 'Your tokens');
    expect(await storedTokens(phone.page)).toEqual([]);
  });

  it('speaks German on a German phone, and switches to English', async () => {
    await phone.context.close();
    await phone.openPhone(androidPhone('de'));
    await phone.page.goto(await phone.server.enroll('dora', 'de'));
    await phone.page.getByRole('link', { name: 'Token importieren' }).first().click();
    await expectHeading(phone.page, 'Token benennen und aktivieren');
    await phone.page.getByLabel('Tokenname').fill('Arbeit');
    await phone.page.getByRole('button', { name: 'Aktivieren' }).click();
    await phone.page.getByRole('button', { name: 'Weiter' }).click();
    await phone.page.getByLabel('PIN', { exact: true }).fill(PIN);
    await phone.page.getByLabel('PIN bestätigen').fill(PIN);
    expect(await accessibilityProblems(phone.page)).toEqual([]);
    // The page's time stands still, so that the same passcode is not taken for a new one
    // when the language switch happens to fall on the next 30-second step.
    await phone.page.clock.setFixedTime(new Date());
    await phone.page.getByRole('button', { name: 'PIN festlegen' }).click();
    const passcode = await readPasscode(phone.page);
    expect(await phone.page.getByText(/^Neuer Passcode in \d+ s$/).count()).toBe(1);
    expect(await phone.page.locator('html').getAttribute('lang')).toBe('de');

    await phone.page.getByRole('button', { name: 'English' }).click();
    // The open token stays open: the same passcode, now in English.
    expect(await phone.page.getByText(/^New passcode in \d+ s$/).count()).toBe(1);
    expect(await readPasscode(phone.page)).toBe(passcode);
    await phone.page.getByRole('button', { name: 'Lock' }).click();
    await expectHeading(phone.page, 'Your tokens');
    await phone.page.reload();
    await expectHeading(phone.page, 'Your tokens');
  });

  it('asks iPhone users in Safari to add the app to the Home Screen before importing', async () => {
    await phone.context.close();
    await phone.openPhone(iPhoneSafari());
    const code = (await phone.server.enroll('erin')).split('/enroll/')[1]!;
    await phone.page.goto(`${phone.server.url}/app/#enroll=${code}`);
    await expectHeading(phone.page, 'Add the app to your Home Screen first');
    expect(phone.page.url()).toBe(`${phone.server.url}/app/`);
    expect(await phone.page.getByText('Tap "Add to Home Screen", then "Add".').count()).toBe(1);
    expect(await phone.page.getByRole('button', { name: 'Add token' }).count()).toBe(0);
    expect(
      await phone.page
        .getByRole('link', { name: 'Help with the installation' })
        .getAttribute('href'),
    ).toBe('/help/iphone');
    expect(await accessibilityProblems(phone.page)).toEqual([]);
  });
});
