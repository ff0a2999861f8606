// The screens of the help page "When something goes wrong" (`/help/problems`), for
// `npm run docs:screenshots`: an expired link, My access and its lost-phone question,
// the portal's clock and lock messages, and in the app "Forgot PIN?" and the old phone
// that learns its token was replaced. Each is the real page, reached as a user reaches it.
import { Secret } from 'otpauth';
import { generateTOTP } from '../../dist/otp/codes.js';
import { decideSignIn } from '../../dist/signin/decide.js';
import { importToken } from '../../dist/tokens/tokens.js';
import { createUser } from '../../dist/users/users.js';
import { androidPhone } from './app-session.js';
import { TEXT } from './app-texts.js';

const ADMIN = { face: 'cli', actor: 'cli:script', address: 'local' };
const PASSWORD = 'correct horse battery';
const PIN = '924613';
const MINUTE = 60_000;

/** Takes every problem screen in `lang` with `shoot(page, lang, name)`. */
export async function takeProblemShots({ server, browser, lang, size, shoot }) {
  const t = TEXT[lang];
  const { core, url } = server;
  const phone = await browser.newContext(androidPhone(lang, size));
  const page = await phone.newPage();

  /** A user with a password and a TOTP token; `code(offsetMs)` is what its phone shows. */
  const userWithToken = async (username) => {
    await createUser(core, ADMIN, {
      username,
      name: username,
      email: `${username}@example.org`,
      password: PASSWORD,
      lang,
    });
    const secret = new Secret({ size: 20 });
    await importToken(core, ADMIN, { username, secret: secret.base32 });
    return (offset = 0) =>
      generateTOTP(secret.bytes, Date.now() + offset, { algorithm: 'SHA1', digits: 6, period: 30 });
  };
  const signIn = async (username, otp) => {
    await page.goto(`${url}/login`);
    await page.locator('#username').fill(username);
    await page.locator('#otp').fill(otp);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('form.signin button').click();
  };

  // An expired link: its enrollment's time is up.
  const expired = await server.enroll(lang);
  await core.store.db
    .updateTable('enrollments')
    .set({ expires_at: Date.now() - MINUTE })
    .where('state', '=', 'open')
    .execute();
  await page.goto(expired);
  await shoot(page, lang, 'expired-link');

  // My access, and the question before a lost phone's token is revoked.
  const anna = `anna.${lang}`;
  await signIn(anna, (await userWithToken(anna))());
  await page.getByRole('link', { name: t.myAccess }).click();
  await shoot(page, lang, 'my-access');
  await page.getByRole('link', { name: t.lostPhone }).click();
  await shoot(page, lang, 'lost-phone');
  await phone.clearCookies();

  // A phone whose clock runs five minutes ahead.
  const ben = `ben.${lang}`;
  await signIn(ben, (await userWithToken(ben))(5 * MINUTE));
  await page.locator('p.alert').waitFor();
  await shoot(page, lang, 'clock-drift');

  // A token locked by wrong codes, then the right password and a valid code.
  const carla = `carla.${lang}`;
  const carlaCode = await userWithToken(carla);
  for (let i = 0; i < core.config.lockout.maxFailures; i++) {
    await decideSignIn(core, ADMIN, { username: carla, password: PASSWORD, otp: '000000' });
  }
  await signIn(carla, carlaCode());
  await page.locator('p.alert').waitFor();
  await shoot(page, lang, 'token-locked');
  await phone.clearCookies();

  // The app: "Forgot PIN?" on a token's PIN screen, then the same phone after the token
  // was set up again on a new one.
  const dora = `dora.${lang}`;
  await createUser(core, ADMIN, { username: dora, email: `${dora}@example.org`, lang });
  await enrollOnPhone(page, await server.enroll(lang, dora), t);
  await page.getByRole('button', { name: t.lock, exact: true }).click();
  await page.getByRole('button', { name: new RegExp(`^${t.name}`) }).click();
  await page.getByRole('button', { name: t.forgotPin }).click();
  await page.getByRole('link').first().waitFor();
  await shoot(page, lang, 'forgot-pin');

  const newPhone = await browser.newContext(androidPhone(lang, size));
  await enrollOnPhone(await newPhone.newPage(), await server.enroll(lang, dora), t);
  await newPhone.close();
  await page.getByRole('button', { name: t.back }).click();
  await page.getByLabel('PIN', { exact: true }).fill(PIN);
  await page.getByRole('button', { name: t.open, exact: true }).click();
  await page.getByText(t.replaced).waitFor();
  await shoot(page, lang, 'token-replaced');
  await phone.close();
}

/** Imports the link's token in the app, activates it and sets the PIN: the first passcode shows. */
async function enrollOnPhone(page, link, t) {
  const label = (name) => ({ name, exact: true });
  await page.goto(link);
  await page.getByRole('link', label(t.importLink)).first().click();
  await page.getByLabel(t.tokenName).fill(t.name);
  await page.getByRole('button', label(t.activate)).click();
  await page.getByRole('button', label(t.continue)).click();
  await page.getByLabel('PIN', { exact: true }).fill(PIN);
  await page.getByLabel(t.confirmPin).fill(PIN);
  await page.getByRole('button', label(t.setPin)).click();
  await page
    .getByLabel('Passcode')
    .filter({ hasText: /^\d{6}$/ })
    .waitFor();
}
