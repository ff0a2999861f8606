/** The app's activation client against a real listening server: success and each failure. */
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTOTP } from '../../src/otp/codes.js';
import { activateToken } from '../../src/authenticator/activate.js';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { decideSignIn } from '../../src/signin/decide.js';
import { createUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN, SERVICE } from '../helpers/core.js';

describe('the authenticator activation client', () => {
  let t: TestApp;
  let base: string;
  const enroll = async () =>
    (await startEnrollment(t.core, ADMIN, { username: 'alice', sendMail: false })).link.split(
      '/enroll/',
    )[1]!;

  beforeEach(async () => {
    t = await makeApp('sqlite', { PFORTE_ENROLLMENT_ACTIVATIONS_PER_MINUTE: '4' });
    await createUser(t.core, ADMIN, { username: 'alice', email: 'alice@example.org' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => t.close());

  it('activates with a typed code (spaces, lower case) and computes codes the server accepts', async () => {
    const code = await enroll();
    const typed = code.toLowerCase().match(/.{5}/g)!.join(' ');
    const result = await activateToken(base, typed);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.token).toMatchObject({
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      label: 'alice',
    });
    expect(result.token.pin).toEqual({ minLength: 6, maxLength: 8, maxAttempts: 5 });
    const otp = generateTOTP(result.token.seed, t.clock.now(), result.token);
    expect((await decideSignIn(t.core, SERVICE, { username: 'alice', otp })).result).toBe('accept');
  });

  it('says what went wrong: a typo, a used code, a second phone, no network, too many tries', async () => {
    expect(await activateToken(base, 'ABCDE-12345')).toEqual({
      ok: false,
      reason: 'code_malformed',
    });
    const code = await enroll();
    expect((await activateToken(base, code)).ok).toBe(true);
    expect(await activateToken(base, code)).toEqual({ ok: false, reason: 'code_invalid' });
    const closed = await unusedAddress();
    expect(await activateToken(closed, await enroll())).toEqual({ ok: false, reason: 'network' });
    const fresh = await enroll();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await activateToken(base, fresh));
    expect(results.at(-1)).toEqual({ ok: false, reason: 'rate_limited' });
  });
});

/** An address where nothing listens: a port the system handed out and took back. */
async function unusedAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
