/**
 * An enrollment link that no longer shows the steps, in Chromium on a phone: the expired
 * link's page in the user's German, switched to English, "Send me a new link", and the
 * new mail's link opening in the language chosen; a used link leads to the portal.
 * axe-core on every page; no CSP violation or page error anywhere.
 */
import { describe, expect, it } from 'vitest';
import { androidPhone } from '../helpers/browser.js';
import { linkIn } from '../helpers/smtp.js';
import {
  accessibilityProblems,
  activateAndSetPin,
  expectHeading,
  importFromEnrollmentPage,
  usePhone,
} from './steps.js';

const DAY = 86_400_000;

describe(
  'an enrollment link that no longer shows the steps, on a phone',
  { timeout: 120_000 },
  () => {
    const phone = usePhone();

    it('offers a new link on an expired one, in German or English', async () => {
      const link = await phone.server.enroll('alice', 'de');
      await phone.openPhone(androidPhone('de'));
      const { page, server } = phone;
      server.t.clock.advance(8 * DAY);

      await page.goto(link);
      await expectHeading(page, 'Dieser Link ist abgelaufen');
      expect(await page.getByRole('button', { name: 'Neuen Link senden' }).isVisible()).toBe(true);
      expect(await accessibilityProblems(page)).toEqual([]);

      await page.getByRole('link', { name: 'English' }).click();
      await expectHeading(page, 'This link has expired');
      expect(await accessibilityProblems(page)).toEqual([]);

      await page.getByRole('button', { name: 'Send me a new link' }).click();
      await expectHeading(page, 'New link sent');
      expect(await page.getByRole('status').textContent()).toBe(
        'We have sent a new link to a•••@example.org.',
      );
      expect(await accessibilityProblems(page)).toEqual([]);

      // The new mail's link opens the steps, in the language chosen on this phone.
      expect(server.smtp.received).toHaveLength(2);
      const fresh = linkIn(server.smtp.received.at(-1)!);
      expect(fresh).not.toBe(link);
      await page.goto(fresh);
      await expectHeading(page, 'Set up your sign-in token');
      await page.goto(link);
      await expectHeading(page, 'This link cannot be used');
    });

    it('leads the holder of a used link to the portal', async () => {
      const link = await phone.server.enroll('bob', 'en');
      await importFromEnrollmentPage(phone.page, link);
      await activateAndSetPin(phone.page);
      const { page, server } = phone;

      await page.goto(link);
      await expectHeading(page, 'You are already set up — sign in');
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByRole('link', { name: 'Go to sign-in' }).click();
      await expectHeading(page, 'Welcome');
      expect(new URL(page.url()).origin).toBe(server.url);
    });
  },
);
