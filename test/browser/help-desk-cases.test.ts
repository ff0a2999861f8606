/**
 * The two cases of issue 13 that start with a call to the help desk, in Chromium on a
 * phone: a lost phone, a temporary code read out by the operator, the sign-in with it
 * and the portal's offer to set up the new phone (item 2); and a token locked by wrong
 * codes, where the right password and a valid code learn until when and whom to call,
 * while a wrong password learns nothing (item 5). The server's clock is injected.
 */
import { describe, expect, it } from 'vitest';
import { decideSignIn } from '../../src/signin/decide.js';
import { issueTemporaryAccess } from '../../src/temporary/temporary-access.js';
import { reportLostPhone } from '../../src/users/phone-change.js';
import { findUserRow } from '../../src/users/users.js';
import { androidPhone } from '../helpers/browser.js';
import { ADMIN } from '../helpers/core.js';
import { addUserWithToken, PASSWORD } from '../helpers/tokens.js';
import { accessibilityProblems, expectHeading, usePhone } from './steps.js';

const CONTACT = 'IT-Service, Tel. 040 1234-0';

describe(
  'cases that start with a call to the help desk, in a browser',
  { timeout: 120_000 },
  () => {
    const phone = usePhone({ serverEnv: { PFORTE_ORGANISATION_CONTACT: CONTACT } });

    async function signIn(username: string, code: string, password = PASSWORD): Promise<void> {
      const { page } = phone;
      await page.goto(`${phone.server.url}/`);
      await page.getByLabel('Benutzername').fill(username);
      await page.getByLabel('Token Code').fill(code);
      await page.getByLabel('Kennwort').fill(password);
      await page.getByRole('button', { name: 'Anmelden' }).click();
    }

    it('signs in with a temporary code after a lost phone and offers the new phone', async () => {
      const { t } = phone.server;
      await addUserWithToken(t.core, 'alice');
      const alice = (await findUserRow(t.core, 'alice'))!;
      await reportLostPhone(
        t.core,
        { face: 'portal', actor: 'alice', address: '127.0.0.1' },
        alice,
      );
      const { code } = await issueTemporaryAccess(t.core, ADMIN, 'alice', { hours: 8, uses: 2 });
      await phone.openPhone(androidPhone('de'));

      await signIn('alice', code);
      await expectHeading(phone.page, 'Ihre Dienste');
      expect(
        await phone.page
          .getByRole('heading', { name: 'Richten Sie Ihr neues Telefon ein' })
          .count(),
      ).toBe(1);
      expect(await accessibilityProblems(phone.page)).toEqual([]);

      // Past its hours the code is refused like any wrong one.
      t.clock.advance(8 * 3_600_000 + 1);
      await phone.context.clearCookies();
      await signIn('alice', code);
      await expect
        .poll(() => phone.page.getByRole('alert').textContent())
        .toContain('Anmeldung fehlgeschlagen.');
    });

    it('tells the holder of a locked token until when and whom to call, and a stranger nothing', async () => {
      const { t } = phone.server;
      const token = await addUserWithToken(t.core, 'bob');
      for (let i = 0; i < t.core.config.lockout.maxFailures; i++) {
        await decideSignIn(t.core, ADMIN, { username: 'bob', password: PASSWORD, otp: '000000' });
      }
      await phone.openPhone(androidPhone('de'));

      await signIn('bob', token.code(), 'not the password');
      await expect
        .poll(() => phone.page.getByRole('alert').textContent())
        .toContain('Anmeldung fehlgeschlagen.');
      expect(await phone.page.getByRole('alert').textContent()).not.toContain('gesperrt');

      await signIn('bob', token.code());
      const alert = phone.page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain('Ihr Token ist gesperrt bis');
      expect(await alert.textContent()).toContain(`Bitte wenden Sie sich an ${CONTACT}.`);
      expect(await accessibilityProblems(phone.page)).toEqual([]);

      // The lock ends by itself: then the next code signs in.
      t.clock.advance(t.core.config.lockout.autoUnlockMinutes * 60_000 + 30_000);
      await signIn('bob', token.code());
      await expectHeading(phone.page, 'Ihre Dienste');
    });
  },
);
