/**
 * An operator's browser in the console through `app.inject`: signs in through the
 * portal (username, token code, password) and posts the console's forms as a person
 * would, with the CSRF token of the page the form is on.
 */
import type { LightMyRequestResponse } from 'fastify';
import { setUserRole, type Role } from '../../src/users/roles.js';
import type { TestApp } from './app.js';
import { ADMIN } from './core.js';
import { hiddenFields, PortalBrowser } from './portal-client.js';
import { addUserWithToken, PASSWORD, type TestToken } from './tokens.js';

export class ConsoleBrowser extends PortalBrowser {
  constructor(
    t: TestApp,
    readonly username: string,
    readonly token: TestToken,
  ) {
    super(t);
  }

  /** Signs in through the portal's form; the answer is the redirect after it. */
  async signInNow(): Promise<LightMyRequestResponse> {
    const answer = await this.signIn({
      username: this.username,
      otp: this.token.code(),
      password: PASSWORD,
    });
    if (answer.statusCode !== 303) throw new Error(`sign-in refused: ${answer.statusCode}`);
    // The next code: a later sign-in in the same test is not a replay.
    this.t.clock.advance(30_000);
    return answer;
  }

  /** Opens `page` and posts its form (the first whose action is `action`) with `fields`. */
  async submit(
    page: string,
    action: string,
    fields: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const shown = await this.request('GET', page);
    if (shown.statusCode !== 200) throw new Error(`${page} answered ${shown.statusCode}`);
    return this.request('POST', action, { _csrf: hiddenFields(shown)._csrf!, ...fields });
  }
}

/** A user with a token and a console role, signed in. */
export async function signedInOperator(
  t: TestApp,
  username: string,
  role: Role | null,
): Promise<ConsoleBrowser> {
  const token = await addUserWithToken(t.core, username);
  if (role) await setUserRole(t.core, ADMIN, username, role);
  const browser = new ConsoleBrowser(t, username, token);
  await browser.signInNow();
  return browser;
}
