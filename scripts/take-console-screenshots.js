// `npm run docs:screenshots` (second part): signs an administrator in to the console in
// Chromium on a laptop-sized window, with a few hundred made-up users, tokens,
// enrollments and sign-ins behind it, and saves each section as
// docs/screenshots/console-<lang>-<section>.png for the README.
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as wait } from 'node:timers/promises';
import { Secret } from 'otpauth';
import { startEnrollment } from '../dist/enrollment/enrollments.js';
import { generateTOTP } from '../dist/otp/codes.js';
import { decideSignIn } from '../dist/signin/decide.js';
import { changeTokenState } from '../dist/tokens/state.js';
import { importToken } from '../dist/tokens/tokens.js';
import { setUserRole } from '../dist/users/roles.js';
import { createUser } from '../dist/users/users.js';
import { launchChromium, startServer } from './lib/app-session.js';

const OUT = new URL('../docs/screenshots/', import.meta.url);
const ADMIN = { face: 'cli', actor: 'cli:script', address: 'local' };
const SERVICE = { face: 'api', actor: 'apikey:vpn', address: '192.0.2.10' };
const PASSWORD = 'correct horse battery';
const PAGES = [
  ['overview', '/admin/'],
  ['users', '/admin/users'],
  ['user', '/admin/users/jonas.becker'],
  ['enrollments', '/admin/enrollments'],
  ['bulk', '/admin/bulk'],
  ['audit', '/admin/audit'],
  ['apikeys', '/admin/apikeys'],
  ['mail', '/admin/mail'],
  ['settings', '/admin/settings'],
];
const FIRST = ['Anna', 'Jonas', 'Lea', 'Felix', 'Marie', 'Paul', 'Sophie', 'Lukas', 'Emma', 'Ben'];
const LAST = ['Becker', 'Schmidt', 'Wagner', 'Hoffmann', 'Koch', 'Richter', 'Klein', 'Wolf'];

const server = await startServer({ organisation: 'Hamburg-Cloud' });
const { core } = server;
/** A user with a TOTP token; returns what the authenticator would show. */
async function userWithToken(username, name, role) {
  await createUser(core, ADMIN, {
    username,
    name,
    email: `${username}@example.org`,
    password: PASSWORD,
  });
  const secret = new Secret({ size: 20 });
  const token = await importToken(core, ADMIN, { username, secret: secret.base32 });
  if (role) await setUserRole(core, ADMIN, username, role);
  const code = () =>
    generateTOTP(secret.bytes, Date.now(), { algorithm: 'SHA1', digits: 6, period: 30 });
  return { serial: token.serial, code };
}

const admin = await userWithToken('olga', 'Olga Admin', 'admin');
let n = 0;
for (const first of FIRST) {
  for (const last of LAST) {
    const username = `${first}.${last}`.toLowerCase();
    if (n++ % 3 === 0) {
      await createUser(core, ADMIN, {
        username,
        name: `${first} ${last}`,
        email: `${username}@example.org`,
      });
      await startEnrollment(core, ADMIN, { username, sendMail: false });
      continue;
    }
    const user = await userWithToken(username, `${first} ${last}`);
    await decideSignIn(core, SERVICE, { username, password: PASSWORD, otp: user.code() });
    if (n % 11 === 0) await changeTokenState(core, ADMIN, user.serial, 'disable');
    if (n % 7 === 0) {
      for (let i = 0; i < 10; i++) {
        await decideSignIn(core, SERVICE, { username, password: PASSWORD, otp: '000000' });
      }
    }
  }
}

mkdirSync(OUT, { recursive: true });
const browser = await launchChromium();
try {
  for (const lang of ['de', 'en']) {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      deviceScaleFactor: 1,
      locale: lang === 'de' ? 'de-DE' : 'en-GB',
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/login?return=%2Fadmin%2F`);
    await page.locator('#username').fill('olga');
    await page.locator('#otp').fill(admin.code());
    await page.locator('#password').fill(PASSWORD);
    await page.locator('form.signin button').click();
    await page.waitForURL(`${server.url}/admin/`);
    for (const [name, path] of PAGES) {
      const answer = await page.goto(`${server.url}${path}`);
      if (answer?.status() !== 200) throw new Error(`${path} answered ${answer?.status()}`);
      await page.evaluate('document.fonts.ready.then(() => true)');
      const file = `console-${lang}-${name}.png`;
      writeFileSync(new URL(file, OUT), await page.screenshot());
      console.log(`  docs/screenshots/${file}`);
    }
    await context.close();
    // A second sign-in in the same half-minute would be a replay.
    await wait(31_000 - (Date.now() % 30_000));
  }
} finally {
  await browser.close();
  await server.close();
}
