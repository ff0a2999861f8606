/** The app's activation client against a real listening server: success and each failure. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTOTP } from '../../src/otp/codes.js';
import {
  activateToken,
  beginActivation,
  confirmActivation,
} from '../../src/authenticator/activate.js';
import { startEnrollment } from '../../src/enrollment/enrollments.js';
import { decideSignIn } from '../../src/signin/decide.js';
import { createUser } from '../../src/users/users.js';
import { makeApp, type TestApp } from '../helpers/app.js';
import { ADMIN, SERVICE } from '../helpers/core.js';
import { freePort } from '../helpers/ports.js';

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

  it('says when another phone completed the enrollment first, and when the proof is wrong', async () => {
    const code = await enroll();
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => beginActivation(base, code)));
    if (!a!.ok || !b!.ok || !c!.ok) throw new Error('the activations should start');
    const forged = { ...b.started, proof: a.started.proof };
    expect(await confirmActivation(forged)).toEqual({ ok: false, reason: 'activation_failed' });
    expect((await confirmActivation(a.started)).ok).toBe(true);
    expect(await confirmActivation(c.started)).toEqual({
      ok: false,
      reason: 'completed_elsewhere',
    });
    expect(await beginActivation(base, code)).toEqual({ ok: false, reason: 'code_invalid' });
  });

  it('retries only the confirmation after a lost answer, and reads a proxy 502 as no connection', async () => {
    const code = await enroll();
    const begun = await beginActivation(base, code);
    if (!begun.ok) throw new Error('the activation should start');
    const gateway: typeof fetch = async () => new Response('Bad Gateway', { status: 502 });
    expect(await confirmActivation(begun.started, gateway)).toEqual({
      ok: false,
      reason: 'network',
    });
    const confirmed = await confirmActivation(begun.started);
    expect(confirmed.ok).toBe(true);
    if (confirmed.ok) expect(confirmed.token.serial).toBe(begun.started.token.serial);
  });

  it('says what went wrong: a typo, a used code, no network, too many tries', async () => {
    expect(await activateToken(base, 'ABCDE-12345')).toEqual({
      ok: false,
      reason: 'code_malformed',
    });
    const code = await enroll();
    expect((await activateToken(base, code)).ok).toBe(true);
    expect(await activateToken(base, code)).toEqual({ ok: false, reason: 'code_invalid' });
    const closed = `http://127.0.0.1:${await freePort()}`; // nothing listens there
    expect(await activateToken(closed, await enroll())).toEqual({ ok: false, reason: 'network' });
    const fresh = await enroll();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await activateToken(base, fresh));
    expect(results.at(-1)).toEqual({ ok: false, reason: 'rate_limited' });
  });
});
