/**
 * Tokens of both kinds, and more than one: an HOTP token shows a new passcode when asked
 * and never the same one twice; tokens of several accounts live side by side.
 */
import { describe, expect, it } from 'vitest';
import { listTokens } from '../../src/tokens/tokens.js';
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

describe('an HOTP token in the app', { timeout: 120_000 }, () => {
  const phone = usePhone({ serverEnv: { PFORTE_ENROLLMENT_APP_TOKEN_TYPE: 'hotp' } });

  it('shows a new passcode on "Next passcode" only, each one accepted once, never drifting', async () => {
    const { page, server } = phone;
    await importFromEnrollmentPage(page, await server.enroll('alice'), 'Counter');
    const first = await activateAndSetPin(page);
    expect((await listTokens(server.t.core, { username: 'alice' })).items[0]).toMatchObject({
      type: 'hotp',
      state: 'active',
    });
    expect(await page.getByText(/New passcode in/).count()).toBe(0);
    expect(await page.getByText('Each passcode works once.', { exact: false }).count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    expect(await server.validate('alice', first)).toBe('accept');
    expect(await server.validate('alice', first)).toBe('reject');

    await page.getByRole('button', { name: 'Next passcode' }).click();
    await expect.poll(() => readPasscode(page)).not.toBe(first);
    const second = await readPasscode(page);
    expect(await server.validate('alice', second)).toBe('accept');

    // Opening the token again and again uses up no passcode: the app cannot run past the
    // server's look-ahead of 10 by being opened.
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'Lock' }).click();
      await openWithPin(page, 'Counter', PIN);
      expect(await readPasscode(page)).toBe(second);
    }
    expect((await storedTokens(page))[0]!.counter).toBe(1);
    await page.getByRole('button', { name: 'Next passcode' }).click();
    await expect.poll(() => readPasscode(page)).not.toBe(second);
    expect(await server.validate('alice', await readPasscode(page))).toBe('accept');
    expect((await storedTokens(page))[0]!.counter).toBe(2);
  });
});

describe('several tokens on one phone', { timeout: 120_000 }, () => {
  const phone = usePhone();

  it('keeps tokens of two accounts side by side, each opened with its own PIN', async () => {
    const { page, server } = phone;
    await importFromEnrollmentPage(page, await server.enroll('alice'), 'Alice');
    const alice = await activateAndSetPin(page, '246813');
    await page.getByRole('button', { name: 'Lock' }).click();
    await importFromEnrollmentPage(page, await server.enroll('admin-alice'), 'Admin');
    const admin = await activateAndSetPin(page, '975313');
    expect(await server.validate('alice', alice)).toBe('accept');
    expect(await server.validate('admin-alice', admin)).toBe('accept');

    await page.getByRole('button', { name: 'Lock' }).click();
    await expectHeading(page, 'Your tokens');
    const names = await page.locator('.token-name').allTextContents();
    expect(names).toEqual(['Alice', 'Admin']);
    await openWithPin(page, 'Admin', '975313');
    await readPasscode(page);
    await page.getByRole('button', { name: 'Lock' }).click();
    await openWithPin(page, 'Alice', '246813');
    await readPasscode(page);
    expect((await storedTokens(page)).map((t) => t.serial).sort()).toEqual(
      (await listTokens(phone.server.t.core)).items.map((t) => t.serial).sort(),
    );
  });
});
