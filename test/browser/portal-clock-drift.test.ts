/**
 * A phone whose clock runs five minutes fast, in Chromium (issue 13, item 4): the portal
 * refuses the first code with the message about the clock, keeps the username, and signs
 * in with the next code. Codes from Debian's `oathtool`; the server's clock is injected.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { importToken } from '../../src/tokens/tokens.js';
import { androidPhone } from '../helpers/browser.js';
import { ADMIN } from '../helpers/core.js';
import {
  accessibilityProblems,
  addAlice,
  expectHeading,
  signInOnPortal,
  usePhone,
} from './steps.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const FIVE_MINUTES_FAST = 300_000;

describe('the portal and a phone whose clock is off, in a browser', { timeout: 120_000 }, () => {
  const phone = usePhone();

  /** The code oathtool shows on a phone whose clock runs five minutes fast. */
  const fastPhoneCode = () =>
    execFileSync(
      'oathtool',
      [
        '--totp',
        '--base32',
        `--now=${new Date(phone.server.t.clock.now() + FIVE_MINUTES_FAST).toISOString()}`,
        SECRET,
      ],
      { encoding: 'utf8' },
    ).trim();

  const signIn = (code: string) => signInOnPortal(phone.page, code);

  it('tells the user to check the phone’s time, then takes the next code', async () => {
    const { t } = phone.server;
    await addAlice(t);
    await importToken(t.core, ADMIN, { username: 'alice', secret: SECRET });
    await phone.openPhone(androidPhone('de'));
    const { page } = phone;
    await page.goto(`${phone.server.url}/`);
    await expectHeading(page, 'Willkommen');

    await signIn(fastPhoneCode());
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain(
        'Die Uhr Ihres Telefons scheint falsch zu gehen — prüfen Sie die Zeiteinstellungen und geben Sie dann den nächsten Code ein.',
      );
    expect(await page.getByLabel('Benutzername').inputValue()).toBe('alice');
    expect(await accessibilityProblems(page)).toEqual([]);

    t.clock.advance(30_000);
    await signIn(fastPhoneCode());
    await expectHeading(page, 'Ihre Dienste');
  });
});
