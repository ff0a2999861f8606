/**
 * Enrollment with another authenticator app (Google Authenticator, FreeOTP, …), where
 * policy allows it: the server makes the seed and shows it as an otpauth:// QR code
 * (SHA-1, 6 digits, 30 s: what every such app computes correctly). The token becomes
 * active only after the user types one valid passcode, which then counts as used.
 */
import { TOTP, Secret } from 'otpauth';
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { invalid, PforteError } from '../errors.js';
import { SEED_LENGTH, totpSteps } from '../otp/codes.js';
import { findCounterInWindow } from '../tokens/hotp-window.js';
import { unsealSeed } from '../tokens/seed.js';
import { spendActivationStep } from '../tokens/pending.js';
import { generateSerial } from '../tokens/serial.js';
import { createPending, failActivation, findPendingActivation, spendAttempt } from './pending.js';
import { completeEnrollment } from './complete.js';

/** Wrong passcodes before a standard-app activation is given up (start again with the link). */
const MAX_WRONG_CODES = 5;

export interface StandardAppOffer {
  activationId: string;
  otpauthUri: string;
  secret: string;
}

export async function startStandardActivation(
  core: Core,
  caller: Caller,
  code: string,
): Promise<StandardAppOffer> {
  if (!core.config.enrollment.allowStandardApps) {
    throw new PforteError('ERR_FORBIDDEN', 'other authenticator apps are not allowed here');
  }
  const { enrollment, user } = await spendAttempt(core, caller, code);
  const seed = core.random.bytes(SEED_LENGTH.SHA1);
  const { activation } = await createPending(core, caller, { enrollment, user }, 'standard', {
    serial: generateSerial(core.random),
    seed,
  });
  return offerFor(core, activation.id, user.username, seed);
}

/** The same offer again, for showing the page once more after a wrong code. */
export async function describeStandardActivation(
  core: Core,
  activationId: string,
  enrollmentId: string,
): Promise<StandardAppOffer> {
  const pending = await findPendingActivation(core, activationId, 'standard', enrollmentId);
  const seed = unsealSeed(core, pending.token.id, pending.token.sealed_seed);
  return offerFor(core, activationId, pending.user.username, seed);
}

function offerFor(
  core: Core,
  activationId: string,
  username: string,
  seed: Uint8Array,
): StandardAppOffer {
  const secret = new Secret({ buffer: new Uint8Array(seed).buffer });
  const issuer = core.config.organisation.name;
  const totp = new TOTP({
    issuer,
    label: username,
    // Key Uri Format: the label is "issuer:account" and neither part may hold a colon,
    // not even percent-encoded (apps split at the first ":" or "%3A"). An organisation
    // named "ACME: Hamburg" goes in the issuer parameter alone, which the apps prefer,
    // so the account is still read as the username. Usernames hold no colon.
    issuerInLabel: !issuer.includes(':'),
    secret,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  });
  return { activationId, otpauthUri: totp.toString(), secret: secret.base32 };
}

export async function confirmStandardActivation(
  core: Core,
  caller: Caller,
  activationId: string,
  enrollmentId: string,
  otp: string,
): Promise<{ serial: string; state: 'active' }> {
  if (!/^\d{6}$/.test(otp)) throw invalid('the code must be 6 digits');
  const pending = await findPendingActivation(core, activationId, 'standard', enrollmentId);
  const seed = unsealSeed(core, pending.token.id, pending.token.sealed_seed);
  const steps = totpSteps(core.clock.now(), 30, core.config.otp.totpWindow);
  const match = findCounterInWindow(seed, otp, steps, { algorithm: 'SHA1', digits: 6 });
  if (match === undefined) {
    const counted = await core.store.db
      .updateTable('activations')
      .set((eb) => ({ failures: eb('failures', '+', 1) }))
      .where('id', '=', pending.activation.id)
      .returning('failures')
      .executeTakeFirst();
    await recordAudit(core, caller, {
      action: 'enrollment.confirm',
      outcome: 'failure',
      reason: 'wrong_code',
      username: pending.user.username,
      serial: pending.token.serial,
      detail: { enrollmentId: pending.enrollment.id, failures: counted?.failures ?? null },
    });
    if ((counted?.failures ?? MAX_WRONG_CODES) >= MAX_WRONG_CODES) {
      await failActivation(core, caller, pending, 'too_many_wrong_codes');
      throw new PforteError(
        'ERR_ACTIVATION_INVALID',
        'too many wrong codes: open the enrollment link again to start over',
      );
    }
    throw new PforteError(
      'ERR_ACTIVATION_PROOF',
      'the code is not right: type the code the app shows now',
    );
  }
  // The code that activated the token must not also sign in.
  await spendActivationStep(core, pending.token.id, match);
  return completeEnrollment(core, caller, pending);
}
