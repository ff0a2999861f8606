/**
 * Activation by the authenticator app (DESIGN.md section 4): an ECDH P-256 exchange
 * authorised by the activation code, then a proof that the app derived the same seed.
 *
 *   POST /api/v1/activations            { code, publicKey }  → 201 the server's half
 *   POST /api/v1/activations/{id}/confirm { proof }          → 200 { serial, state }
 *
 * Starting an activation spends one of the enrollment's attempts (one conditional
 * UPDATE, so parallel requests cannot exceed them) and creates the token as
 * `pending`, its seed sealed like any other. A wrong, used, expired or cancelled code
 * gets the same answer as an unknown one.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Caller, Core } from '../context.js';
import { invalid, PforteError } from '../errors.js';
import { DEFAULT_OTP_PARAMS, SEED_LENGTH } from '../otp/codes.js';
import { unsealSeed } from '../tokens/seed.js';
import { generateSerial } from '../tokens/serial.js';
import { completeEnrollment } from './complete.js';
import { createPending, failActivation, findPendingActivation, spendAttempt } from './pending.js';
import {
  computeProof,
  deriveSeed,
  fromBase64url,
  generateKeyPair,
  importPublicKey,
  toBase64url,
  type ActivationOffer,
} from '../protocol/activation.js';

export async function startActivation(
  core: Core,
  caller: Caller,
  input: { code: string; publicKey: string },
): Promise<ActivationOffer> {
  try {
    await importPublicKey(input.publicKey);
  } catch {
    throw invalid('publicKey must be an uncompressed P-256 point (65 bytes, base64url)');
  }
  const found = await spendAttempt(core, caller, input.code);
  const { enrollment, user } = found;
  const server = await generateKeyPair();
  const salt = core.random.bytes(32);
  const serial = generateSerial(core.random);
  const seed = await deriveSeed({
    privateKey: server.privateKey,
    peerPublicKey: input.publicKey,
    salt,
    serial,
    appPublicKey: input.publicKey,
    serverPublicKey: server.publicKey,
    length: SEED_LENGTH[DEFAULT_OTP_PARAMS.algorithm],
  });
  const { token, activation } = await createPending(core, caller, { enrollment, user }, 'app', {
    serial,
    seed,
  });
  const { pin } = core.config;
  return {
    activationId: activation.id,
    publicKey: server.publicKey,
    salt: toBase64url(salt),
    token: {
      serial: token.serial,
      type: token.type,
      algorithm: token.algorithm,
      digits: token.digits,
      ...(token.type === 'hotp' ? { counter: token.counter } : { period: token.period }),
      issuer: core.config.organisation.name,
      label: user.username,
    },
    pin: { minLength: pin.minLength, maxLength: pin.maxLength, maxAttempts: pin.maxAttempts },
    expiresAt: new Date(activation.expires_at).toISOString(),
  };
}

export async function confirmActivation(
  core: Core,
  caller: Caller,
  activationId: string,
  proof: string,
): Promise<{ serial: string; state: 'active' }> {
  const pending = await findPendingActivation(core, activationId, 'app');
  const seed = unsealSeed(core, pending.token.id, pending.token.sealed_seed);
  const expected = fromBase64url(await computeProof(seed, pending.activation.id));
  let given: Uint8Array;
  try {
    given = fromBase64url(proof);
  } catch {
    given = new Uint8Array(0);
  }
  const matches = given.length === expected.length && timingSafeEqual(given, expected);
  if (!matches) {
    await failActivation(core, caller, pending, 'wrong_proof');
    throw new PforteError(
      'ERR_ACTIVATION_PROOF',
      'the proof does not match: start the activation again with the enrollment code',
    );
  }
  return completeEnrollment(core, caller, pending);
}
