/**
 * The admin and help-desk console in Chromium, as an IT department uses it on a laptop:
 * an administrator signs in through the portal with a code from Debian's oathtool, finds
 * a user among 1,000, unlocks a locked token, resyncs a drifted TOTP token with two
 * codes, revokes a token (after which the user's sign-in is refused), uploads a 200-row
 * CSV and watches the run finish, reminds the pending enrollments and verifies the audit
 * chain, adds an OpenID Connect service; a help-desk operator cannot reach the API keys
 * or the services and a user without a role gets no console. axe-core on every page; no
 * CSP violation or page error anywhere.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { tickBulkRuns } from '../../src/enrollment/bulk-run-worker.js';
import { decideSignIn } from '../../src/signin/decide.js';
import { getToken } from '../../src/tokens/tokens.js';
import { setUserRole } from '../../src/users/roles.js';
import { createUser } from '../../src/users/users.js';
import { cli } from '../helpers/cli.js';
import { ADMIN, SERVICE } from '../helpers/core.js';
import { accessibilityProblems, expectHeading, usePhone } from './steps.js';

const SECRETS = {
  olga: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  hans: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  bert: 'MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK',
  lena: 'KRSXG5BAONSWG4TFOQQGC3TEEBSWC43Z',
  tom: 'ONSWG4TFOQQHI33NEBXXMZLSEBRWY33D',
  rita: 'OJUXIYJAMJQXGZJTGIQHGZLDOJSXI4ZA',
} as const;
type Person = keyof typeof SECRETS;
const PASSWORD = 'correct horse battery';
const LAPTOP = { viewport: { width: 1280, height: 800 } };

describe('the console in a browser', { timeout: 240_000 }, () => {
  const session = usePhone();

  /** The code Debian's oathtool shows for `who` at the server's clock, `offsetS` later. */
  const oathtool = (who: Person, offsetS = 0) =>
    execFileSync(
      'oathtool',
      [
        '--totp',
        '--base32',
        `--now=${new Date(session.server.t.clock.now() + offsetS * 1000).toISOString()}`,
        SECRETS[who],
      ],
      { encoding: 'utf8' },
    ).trim();

  async function person(username: Person, role?: 'admin' | 'helpdesk'): Promise<string> {
    const { t } = session.server;
    await createUser(t.core, ADMIN, {
      username,
      email: `${username}@example.org`,
      name: `${username[0]!.toUpperCase()}${username.slice(1)} Example`,
      password: PASSWORD,
    });
    const added = await cli(t.env, ['token', 'add', username, '--secret-stdin'], SECRETS[username]);
    expect(added.code).toBe(0);
    if (role) await setUserRole(t.core, ADMIN, username, role);
    return added.stdout.trim().split(/\s+/).at(-1)!;
  }

  /** The portal's sign-in, as the console sends there, and back to the console. */
  async function signIn(page: Page, who: Person, lang: 'de' | 'en' = 'de') {
    await page.goto(`${session.server.url}/admin/${lang === 'en' ? '?lang=en' : ''}`);
    const [user, code, password, button] =
      lang === 'de'
        ? ['Benutzername', 'Token Code', 'Kennwort', 'Anmelden']
        : ['Username', 'Token code', 'Password', 'Sign in'];
    await page.getByLabel(user).fill(who);
    await page.getByLabel(code).fill(oathtool(who));
    await page.getByLabel(password).fill(PASSWORD);
    await page.getByRole('button', { name: button }).click();
  }

  async function laptop(lang: 'de' | 'en'): Promise<Page> {
    await session.openPhone({ ...LAPTOP, locale: lang === 'de' ? 'de-DE' : 'en-GB' });
    return session.page;
  }

  const accessible = async (page: Page) => expect(await accessibilityProblems(page)).toEqual([]);

  it('lets an administrator run the day’s work in German', async () => {
    const { t } = session.server;
    await person('olga', 'admin');
    await person('lena');
    const tomSerial = await person('tom');
    const ritaSerial = await person('rita');
    for (let i = 0; i < 1000; i++) {
      await createUser(t.core, ADMIN, {
        username: `user${String(i).padStart(4, '0')}`,
        email: `user${i}@example.org`,
      });
    }
    // Lena's token locks after ten wrong codes with the right password.
    for (let i = 0; i < 10; i++) {
      await decideSignIn(t.core, SERVICE, { username: 'lena', password: PASSWORD, otp: '000000' });
    }

    const page = await laptop('de');
    await signIn(page, 'olga');
    await expectHeading(page, 'Übersicht');
    await accessible(page);

    // Find one user among a thousand.
    await page.getByRole('link', { name: 'Benutzer', exact: true }).click();
    await expectHeading(page, 'Benutzer');
    await accessible(page);
    await page.getByLabel('Suche', { exact: true }).fill('USER0542');
    await page.getByRole('button', { name: 'Filtern' }).click();
    await expect.poll(() => page.locator('table.list tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'user0542' }).click();
    await expectHeading(page, 'user0542 (user0542)');
    await accessible(page);

    // Unlock Lena's locked token.
    await page.goto(`${session.server.url}/admin/users/lena`);
    await page.getByRole('button', { name: 'Entsperren' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('Das Token ist entsperrt');
    const lena = await t.call({ method: 'GET', url: '/api/v1/tokens?username=lena' });
    expect(lena.json().items[0].state).toBe('active');

    // Tom's phone runs ten minutes ahead: two consecutive codes from it resync the token.
    await page.goto(`${session.server.url}/admin/users/tom`);
    await page.getByLabel('Erster Code').fill(oathtool('tom', 600));
    await page.getByLabel('Nächster Code').fill(oathtool('tom', 630));
    await page.getByRole('button', { name: 'Neu synchronisieren' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('neu synchronisiert');
    t.clock.advance(60_000);
    const drifted = await decideSignIn(t.core, SERVICE, {
      username: 'tom',
      password: PASSWORD,
      otp: oathtool('tom', 600),
    });
    expect(drifted).toMatchObject({ result: 'accept', serial: tomSerial });

    // Revoke Rita's token, after a page that asks: her sign-in is refused from then on.
    await page.goto(`${session.server.url}/admin/users/rita`);
    await page.getByRole('link', { name: 'Widerrufen' }).click();
    await expectHeading(page, 'Bitte bestätigen');
    await accessible(page);
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('widerrufen');
    expect((await getToken(t.core, ritaSerial)).state).toBe('revoked');
    expect(
      (
        await decideSignIn(t.core, SERVICE, {
          username: 'rita',
          password: PASSWORD,
          otp: oathtool('rita'),
        })
      ).result,
    ).toBe('reject');

    // A 200-row CSV: the preview, Start, the progress bar fed by the server, the summary.
    await page.getByRole('link', { name: 'Masseneinrichtung' }).click();
    await expectHeading(page, 'Masseneinrichtung');
    await accessible(page);
    const csv = [
      'username,email,name,lang',
      ...Array.from({ length: 200 }, (_, i) => `new${i},new${i}@example.org,New ${i},de`),
    ].join('\n');
    await page
      .getByLabel('CSV-Datei', { exact: true })
      .setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Vorschau' }).first().click();
    await expect.poll(() => page.locator('main').textContent()).toContain('200');
    await accessible(page);
    await page.getByRole('button', { name: 'Starten' }).click();
    const progress = page.locator('progress');
    await expect.poll(() => progress.count()).toBe(1);
    await accessible(page);
    // The server's job works the run in steps while the page watches.
    for (let step = 0; step < 4; step++) {
      await tickBulkRuns(t.core, { worker: 'e2e', rowBudget: 50 });
      t.clock.advance(3 * 60_000); // the stopped worker's lease runs out
    }
    await tickBulkRuns(t.core, { worker: 'e2e' });
    await expect.poll(() => progress.count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => page.locator('main').textContent()).toContain('fertig');
    const outbox = await t.core.store.db
      .selectFrom('enrollments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'open')
      .executeTakeFirstOrThrow();
    expect(Number(outbox.n)).toBe(200);

    // Remind everyone whose enrollment is still open, after a page that asks.
    await page.getByRole('link', { name: 'Einrichtungen', exact: true }).click();
    await expectHeading(page, 'Einrichtungen');
    await accessible(page);
    await page.getByRole('link', { name: 'Alle offenen erinnern' }).click();
    await accessible(page);
    await page.getByRole('button', { name: 'Alle offenen erinnern' }).click();
    await expectHeading(page, 'Erinnerungen verschickt');
    const reminded = await t.core.store.db
      .selectFrom('audit_events')
      .select('detail')
      .where('action', 'like', 'enrollment.remind%')
      .execute();
    expect(reminded.length).toBeGreaterThan(0);

    // Verify the audit chain.
    await page.getByRole('link', { name: 'Protokoll' }).click();
    await expectHeading(page, 'Protokoll');
    await accessible(page);
    await page.getByRole('button', { name: 'Kette prüfen' }).click();
    await expect
      .poll(() => page.locator('main').textContent())
      .toContain('Die Kette ist unversehrt');
    await accessible(page);

    for (const section of ['API-Schlüssel', 'OpenID Connect', 'E-Mail', 'Einstellungen']) {
      await page.getByRole('link', { name: section, exact: true }).click();
      await expectHeading(page, section);
      await accessible(page);
    }

    // Add a service: a mistaken address gives the form back, marked; then its secret, once.
    await page.getByRole('link', { name: 'OpenID Connect', exact: true }).click();
    await page.getByRole('link', { name: 'Dienst hinzufügen' }).click();
    await expectHeading(page, 'Dienst hinzufügen');
    await accessible(page);
    await page.getByLabel('Client-ID').fill('grafana');
    await page.getByLabel('Weiterleitungsadressen').fill('http://grafana.example.org/cb');
    await page.getByLabel('Eigener Dienst').check();
    await page.getByRole('button', { name: 'Dienst hinzufügen' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('keine gültige');
    await accessible(page);
    await page.getByLabel('Weiterleitungsadressen').fill('https://grafana.example.org/cb');
    await page.getByRole('button', { name: 'Dienst hinzufügen' }).click();
    await expectHeading(page, 'Dienst hinzugefügt');
    await accessible(page);
    expect(await page.locator('#new-client-secret').textContent()).toMatch(/^[\w-]{43}$/);
  });

  it('shows the console in English, keeps the help desk from API keys and a user without a role out', async () => {
    const { t } = session.server;
    await person('hans', 'helpdesk');
    await person('bert');
    await person('rita');
    const page = await laptop('en');
    await signIn(page, 'hans', 'en');
    await expectHeading(page, 'Overview');
    await accessible(page);
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'OpenID Connect' }).count()).toBe(0);

    const refused = await page.goto(`${session.server.url}/admin/apikeys`);
    expect(refused?.status()).toBe(403);
    await expectHeading(page, 'Not allowed');
    await accessible(page);

    // No revoke on a user's page for the help desk; a forged post changes nothing.
    await page.goto(`${session.server.url}/admin/users/rita`);
    await expectHeading(page, 'Rita Example (rita)');
    await accessible(page);
    expect(await page.getByRole('link', { name: 'Revoke' }).count()).toBe(0);
    const serial = (await t.call({ method: 'GET', url: '/api/v1/tokens?username=rita' })).json()
      .items[0].serial as string;
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const forged = await page.request.post(
      `${session.server.url}/admin/users/rita/tokens/${serial}/revoke`,
      { form: { _csrf: csrf } },
    );
    expect(forged.status()).toBe(403);
    expect((await getToken(t.core, serial)).state).toBe('active');

    await laptop('en');
    t.clock.advance(30_000);
    await signIn(session.page, 'bert', 'en');
    await expectHeading(session.page, 'No access to the console');
    await accessible(session.page);
    expect(await session.page.locator('.console-nav').count()).toBe(0);
  });
});
