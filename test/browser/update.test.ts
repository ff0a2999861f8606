/**
 * A new version of the app: the installed one notices it, says so, and changes over
 * only when the user taps "Update now" — never in the middle of an activation.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectHeading, usePhone } from './steps.js';

const BUILT = new URL('../../dist/app/', import.meta.url);

/** A copy of the build whose service worker differs: what the next release looks like. */
function nextVersion(): URL {
  const dir = join(mkdtempSync(join(tmpdir(), 'pforte-app-')), 'app');
  cpSync(BUILT, dir, { recursive: true });
  const worker = join(dir, 'sw.js');
  writeFileSync(worker, `${readFileSync(worker, 'utf8')}\n// the next release\n`);
  return pathToFileURL(`${dir}/`);
}

describe('updating the installed app', { timeout: 120_000 }, () => {
  const phone = usePhone();

  it('offers the new version mid-activation without reloading, and switches when the user agrees', async () => {
    const { page } = phone;
    await page.goto(`${phone.server.url}/app/`);
    await expectHeading(page, 'Your tokens');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    expect(await page.getByText('A new version of the app is available.').count()).toBe(0);

    // A new release is out when the user next opens the app, from an enrollment link.
    await phone.server.serveApp(nextVersion());
    const code = (await phone.server.enroll('alice')).split('/enroll/')[1]!;
    await page.goto('about:blank');
    await page.goto(`${phone.server.url}/app/#enroll=${code}`);
    await expectHeading(page, 'Name and activate your token');
    await page.getByLabel('Token name').fill('Half typed');
    await expect
      .poll(() => page.getByText('A new version of the app is available.').count())
      .toBe(1);
    expect(await page.getByRole('status').textContent()).toContain('A new version');
    // Nothing reloads by itself: what the user typed stays.
    expect(await page.getByLabel('Token name').inputValue()).toBe('Half typed');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Update now' }).click(),
    ]);
    await expectHeading(page, 'Your tokens');
    expect(await page.getByText('A new version of the app is available.').count()).toBe(0);
    const script = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      const active = await (await fetch(registration!.active!.scriptURL)).text();
      return { waiting: registration!.waiting !== null, active };
    });
    expect(script.waiting).toBe(false);
    expect(script.active).toContain('// the next release');
  });
});
