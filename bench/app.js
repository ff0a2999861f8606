// `npm run bench:app` (also the last part of `npm run bench`): the authenticator's
// budget, measured and printed, never asserted.
//
//   1. Its weight: every JavaScript and CSS file of the build, gzip -9, split into what
//      the first visit loads and what loads only when needed (the QR decoder where the
//      browser has no BarcodeDetector), against the budget of 60 kB.
//   2. From entering the PIN to the passcode on this machine's Chromium (Debian's, phone
//      emulation), beside the raw PBKDF2-SHA-256 of 600 000 iterations in the same page
//      in the same run: the app's overhead over the key derivation it cannot avoid.
//
// Settings (environment): BENCH_APP_ROUNDS (PIN entries to time, 7).
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { androidPhone, launchChromium, startServer } from '../scripts/lib/app-session.js';

const BUILT = new URL('../dist/app/', import.meta.url);
const BUDGET_BYTES = 60 * 1024;
const ROUNDS = Math.max(1, Number(process.env.BENCH_APP_ROUNDS ?? 7));
const PIN = '924613';

/** `loadedAtStart`: the files Chromium fetched when the app first opened. */
function measureWeight(loadedAtStart) {
  const files = [
    ...readdirSync(new URL('assets/', BUILT)).map((name) => `assets/${name}`),
    'sw.js',
  ].filter((name) => /\.(js|css)$/.test(name));
  const rows = files.map((name) => {
    const body = readFileSync(new URL(name, BUILT));
    const gzip = gzipSync(body, { level: 9 }).length;
    // The service worker is fetched by the browser itself, beside the page.
    const first = loadedAtStart.has(name) || name === 'sw.js';
    return { name, raw: body.length, gzip, first };
  });
  return rows.sort((a, b) => Number(b.first) - Number(a.first) || b.gzip - a.gzip);
}

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measurePinToPasscode() {
  const server = await startServer();
  const browser = await launchChromium();
  try {
    const context = await browser.newContext(androidPhone('en'));
    const page = await context.newPage();
    const loadedAtStart = new Set();
    const record = (response) => {
      const path = new URL(response.url()).pathname;
      if (path.startsWith('/app/')) loadedAtStart.add(path.slice('/app/'.length));
    };
    await page.goto(await server.enroll('en'));
    page.on('response', record);
    await page.getByRole('link', { name: 'Import the token' }).first().click();
    await page.getByRole('button', { name: 'Activate' }).waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    page.off('response', record);
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('PIN', { exact: true }).fill(PIN);
    await page.getByLabel('Confirm PIN').fill(PIN);
    await page.getByRole('button', { name: 'Set PIN' }).click();
    await page
      .getByLabel('Passcode')
      .filter({ hasText: /^\d{6}$/ })
      .waitFor();

    const app = [];
    const raw = [];
    for (let round = 0; round < ROUNDS; round++) {
      await page.getByRole('button', { name: 'Lock' }).click();
      await page.getByRole('button', { name: /^Example AG/ }).click();
      await page.getByLabel('PIN', { exact: true }).fill(PIN);
      // Timed in the page, from the form's submission to the digits on the screen, so
      // the time the test driver takes to notice is not counted.
      await page.evaluate(() => {
        window.pinToPasscode = new Promise((resolve) => {
          let started;
          document.addEventListener('submit', () => (started = performance.now()), {
            capture: true,
            once: true,
          });
          const observer = new MutationObserver(() => {
            const shown = document.querySelector('output.passcode')?.textContent ?? '';
            if (started === undefined || !/^\d{6}$/.test(shown)) return;
            observer.disconnect();
            resolve(performance.now() - started);
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
        });
      });
      await page.getByRole('button', { name: 'Open' }).click();
      app.push(await page.evaluate(() => window.pinToPasscode));
      raw.push(
        await page.evaluate(async (pin) => {
          const salt = crypto.getRandomValues(new Uint8Array(16));
          const material = await crypto.subtle.importKey(
            'raw',
            new TextEncoder().encode(pin),
            'PBKDF2',
            false,
            ['deriveBits'],
          );
          const t0 = performance.now();
          await crypto.subtle.deriveBits(
            { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 600_000 },
            material,
            256,
          );
          return performance.now() - t0;
        }, PIN),
      );
    }
    return { app: median(app), raw: median(raw), loadedAtStart };
  } finally {
    await browser.close();
    await server.close();
  }
}

const timing = await measurePinToPasscode();
const rows = measureWeight(timing.loadedAtStart);
const first = rows.filter((r) => r.first).reduce((sum, r) => sum + r.gzip, 0);
const total = rows.reduce((sum, r) => sum + r.gzip, 0);
console.log('\nThe authenticator app (dist/app), JavaScript and CSS, gzip -9:');
for (const row of rows) {
  console.log(
    `  ${row.name.padEnd(48)} ${kB(row.raw).padStart(9)} raw ${kB(row.gzip).padStart(9)} gzip  ${row.first ? 'first visit' : 'only when needed'}`,
  );
}
console.log(`  first visit ${kB(first)}, everything ${kB(total)}; budget ${kB(BUDGET_BYTES)}`);
console.log(`  everything / budget = ${(total / BUDGET_BYTES).toFixed(2)} (target < 1)`);

console.log(`\nPIN to passcode in Chromium, median of ${ROUNDS}:`);
console.log(`  app: PIN entered → passcode shown   ${timing.app.toFixed(0).padStart(6)} ms`);
console.log(`  raw PBKDF2-SHA-256, 600 000 rounds ${timing.raw.toFixed(0).padStart(6)} ms`);
console.log(`  app / raw = ${(timing.app / timing.raw).toFixed(2)}`);
