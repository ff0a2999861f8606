/**
 * "Mein Zugang" in Chromium on a phone, as the user goes through it after losing the
 * phone: sign in, open Mein Zugang, "Telefon verloren" with its confirmation, the
 * message, then "Neues Telefon einrichten" and the link in the mailbox; axe-core on
 * every page, no CSP violation.
 */
import { describe, expect, it } from 'vitest';
import { androidPhone } from '../helpers/browser.js';
import { linkIn, parseAll } from '../helpers/smtp.js';
import { addUserWithToken, PASSWORD } from '../helpers/tokens.js';
import { accessibilityProblems, expectHeading, usePhone } from './steps.js';

describe('My access in a browser', { timeout: 120_000 }, () => {
  const phone = usePhone({
    serverEnv: { PFORTE_ORGANISATION_CONTACT: 'IT-Service, Tel. 040 1234' },
  });

  it('revokes a lost phone after asking, then mails the link for the new one', async () => {
    const { t, smtp, url } = phone.server;
    const token = await addUserWithToken(t.core, 'alice');
    await phone.openPhone(androidPhone('de'));
    const page = phone.page;

    await page.goto(`${url}/`);
    await page.getByLabel('Benutzername').fill('alice');
    await page.getByLabel('Token Code').fill(token.code());
    await page.getByLabel('Kennwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expectHeading(page, 'Ihre Dienste');

    await page.getByRole('link', { name: 'Mein Zugang' }).click();
    await expectHeading(page, 'Mein Zugang');
    expect(await page.getByText('zeitbasiert (TOTP)').count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);

    await page.getByRole('link', { name: 'Telefon verloren' }).click();
    await expectHeading(page, 'Telefon verloren?');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByRole('button', { name: 'Token jetzt widerrufen' }).click();
    await expectHeading(page, 'Token widerrufen');
    expect(await page.getByRole('status').textContent()).toContain('Ihr Token ist widerrufen.');
    expect(await page.getByText('IT-Service, Tel. 040 1234').count()).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
    const state = await t.core.store.db
      .selectFrom('tokens')
      .select('state')
      .where('serial', '=', token.serial)
      .executeTakeFirstOrThrow();
    expect(state.state).toBe('revoked');

    await page.getByRole('button', { name: 'Neues Telefon einrichten' }).click();
    await expectHeading(page, 'Link verschickt');
    expect(await page.getByRole('status').textContent()).toContain('a•••@example.org');
    expect(await accessibilityProblems(page)).toEqual([]);
    await expect.poll(() => smtp.received.length).toBe(2);
    const [notice, enrollment] = await parseAll(smtp.received);
    expect(notice!.parsed.subject).toContain('Ihr Token wurde widerrufen');
    expect(linkIn(enrollment!)).toMatch(new RegExp(`^${url}/enroll/`));

    // Still signed in: the services page offers the new phone.
    await page.goto(`${url}/services`);
    await expectHeading(page, 'Ihre Dienste');
    expect(
      await page.getByRole('heading', { name: 'Richten Sie Ihr neues Telefon ein' }).count(),
    ).toBe(1);
    expect(await accessibilityProblems(page)).toEqual([]);
  });
});
