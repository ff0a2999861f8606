// `npm run docs:screenshots`: drives the real authenticator in Chromium through the
// enrollment and what can go wrong (lib/problem-shots.js), in German and English, and saves each screen the help pages show as
// assets/screenshot-<lang>-<name>.png. The list of screens is the help pages' own
// (SCREENSHOTS in src/http/help/pages.ts), so a screen added there is taken here or the
// script fails.
import { writeFileSync } from 'node:fs';
import { SCREENSHOTS, SCREENSHOT_SIZE, screenshotFile } from '../dist/http/help/pages.js';
import { androidPhone, iPhoneSafari, launchChromium, startServer } from './lib/app-session.js';
import { TEXT } from './lib/app-texts.js';
import { takeProblemShots } from './lib/problem-shots.js';

const ASSETS = new URL('../assets/', import.meta.url);
const PIN = '924613';

const taken = new Set();
async function shoot(page, lang, name) {
  if (!SCREENSHOTS.includes(name)) throw new Error(`the help pages show no screenshot ${name}`);
  // Let the screen settle (fonts, the countdown bar's transition) before the picture.
  await page.evaluate('document.fonts.ready.then(() => true)');
  await page.waitForTimeout(1100);
  writeFileSync(new URL(screenshotFile(lang, name), ASSETS), await page.screenshot());
  taken.add(`${lang}/${name}`);
  console.log(`  ${screenshotFile(lang, name)}`);
}

const size = { ...SCREENSHOT_SIZE, scale: 1.5 };
const server = await startServer({
  organisation: 'Example AG',
  env: { PFORTE_ORGANISATION_CONTACT: 'IT-Service, Tel. 040 1234-0' },
});
const browser = await launchChromium();
try {
  for (const lang of ['en', 'de']) {
    const t = TEXT[lang];
    const label = (name) => ({ name, exact: true });

    const phone = await browser.newContext(androidPhone(lang, size));
    const page = await phone.newPage();
    await page.goto(await server.enroll(lang));
    await shoot(page, lang, 'enrollment-page');
    await page.getByRole('link', label(t.importLink)).first().click();
    await page.getByLabel(t.tokenName).fill(t.name);
    await page.getByLabel(t.tokenName).blur();
    await shoot(page, lang, 'name-activate');
    await page.getByRole('button', label(t.activate)).click();
    await page.getByRole('button', label(t.continue)).click({ trial: true });
    await shoot(page, lang, 'activated');
    await page.getByRole('button', label(t.continue)).click();
    await page.getByLabel(t.pin, { exact: true }).fill(PIN);
    await page.getByLabel(t.confirmPin).fill(PIN);
    await shoot(page, lang, 'set-pin');
    await page.getByRole('button', label(t.setPin)).click();
    await page
      .getByLabel('Passcode')
      .filter({ hasText: /^\d{6}$/ })
      .waitFor();
    await shoot(page, lang, 'first-passcode');
    await page.getByRole('button', label(t.lock)).click();
    await page.getByRole('button', { name: new RegExp(`^${t.name}`) }).click();
    await page.getByLabel(t.pin, { exact: true }).waitFor();
    await page.getByLabel(t.pin, { exact: true }).blur();
    await shoot(page, lang, 'unlock');
    await phone.close();

    const iphone = await browser.newContext(iPhoneSafari(lang, size));
    const safari = await iphone.newPage();
    const link = await server.enroll(lang);
    await safari.goto(`${server.url}/app/#enroll=${link.split('/enroll/')[1]}`);
    await safari.getByRole('heading', { level: 1 }).waitFor();
    await shoot(safari, lang, 'iphone-install');
    await iphone.close();

    await takeProblemShots({ server, browser, lang, size, shoot });
  }
  const missing = ['en', 'de'].flatMap((lang) =>
    SCREENSHOTS.filter((name) => !taken.has(`${lang}/${name}`)).map((name) => `${lang}/${name}`),
  );
  if (missing.length > 0) throw new Error(`not taken: ${missing.join(', ')}`);
  console.log(`took ${taken.size} screenshots`);
} finally {
  await browser.close();
  await server.close();
}
