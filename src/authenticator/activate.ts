/**
 * The authenticator's side of activation (DESIGN.md section 4): make a key pair,
 * send the code, derive the seed, prove it. Pure TypeScript over `fetch` and
 * WebCrypto, shared with the server's code for the key agreement, so the app
 * and the server cannot drift apart.
 *
 * Every failure comes back as a reason the app can explain and act on: retry
 * (network), ask for a new enrollment (code), or start again (activation).
 */
import { SEED_LENGTH, type OtpAlgorithm } from '../otp/codes.js';
import { normalizeActivationCode } from '../protocol/code.js';
import {
  computeProof,
  deriveSeed,
  fromBase64url,
  generateKeyPair,
  type ActivationOffer,
} from '../protocol/activation.js';

export interface ActivatedToken {
  serial: string;
  seed: Uint8Array;
  type: 'totp' | 'hotp';
  algorithm: OtpAlgorithm;
  digits: number;
  /** TOTP: seconds per passcode */
  period: number;
  /** HOTP: the counter of the first passcode */
  counter: number;
  issuer: string;
  label: string;
  pin: { minLength: number; maxLength: number; maxAttempts: number };
}

export type ActivationFailure =
  /** The string cannot be an enrollment code (a typo): nothing was sent. */
  | 'code_malformed'
  /** Mistyped, used, expired, cancelled or replaced: ask for a new enrollment. */
  | 'code_invalid'
  /** Another phone completed this enrollment first. */
  | 'completed_elsewhere'
  /** The activation ran out or the proof did not match: start again with the code. */
  | 'activation_failed'
  /** Too many attempts from this network for now. */
  | 'rate_limited'
  /** No answer: offline, or the server is unreachable; the app may retry as it is. */
  | 'network';

export type ActivationResult =
  { ok: true; token: ActivatedToken } | { ok: false; reason: ActivationFailure };

/** An activation the server has offered and the app has derived the seed for; not yet confirmed. */
export interface StartedActivation {
  baseUrl: string;
  activationId: string;
  proof: string;
  token: ActivatedToken;
}

/**
 * Step 1 of DESIGN.md section 4: send the code and a fresh public key, derive the seed
 * from the server's answer. The server's token stays pending until `confirmActivation`.
 */
export async function beginActivation(
  baseUrl: string,
  input: string,
  send: typeof fetch = fetch,
): Promise<{ ok: true; started: StartedActivation } | { ok: false; reason: ActivationFailure }> {
  const code = normalizeActivationCode(input);
  if (!code) return { ok: false, reason: 'code_malformed' };
  const keys = await generateKeyPair();
  const answer = await post(send, `${baseUrl}/api/v1/activations`, {
    code,
    publicKey: keys.publicKey,
  });
  if (!answer.ok) return answer;
  const offer = answer.body as ActivationOffer;
  const algorithm = offer.token.algorithm as OtpAlgorithm;
  const seed = await deriveSeed({
    privateKey: keys.privateKey,
    peerPublicKey: offer.publicKey,
    salt: fromBase64url(offer.salt),
    serial: offer.token.serial,
    appPublicKey: keys.publicKey,
    serverPublicKey: offer.publicKey,
    length: SEED_LENGTH[algorithm],
  });
  return {
    ok: true,
    started: {
      baseUrl,
      activationId: offer.activationId,
      proof: await computeProof(seed, offer.activationId),
      token: {
        serial: offer.token.serial,
        seed,
        type: offer.token.type,
        algorithm,
        digits: offer.token.digits,
        period: offer.token.period ?? 30,
        counter: offer.token.counter ?? 0,
        issuer: offer.token.issuer,
        label: offer.token.label,
        pin: offer.pin,
      },
    },
  };
}

/**
 * Step 2: prove the seed to the server, which makes the token active. Safe to call
 * again after a network failure: the same proof for the same activation.
 */
export async function confirmActivation(
  started: StartedActivation,
  send: typeof fetch = fetch,
): Promise<ActivationResult> {
  const confirmed = await post(
    send,
    `${started.baseUrl}/api/v1/activations/${encodeURIComponent(started.activationId)}/confirm`,
    { proof: started.proof },
  );
  return confirmed.ok ? { ok: true, token: started.token } : confirmed;
}

/** Both steps at once, for callers with nothing to keep in between. */
export async function activateToken(
  baseUrl: string,
  input: string,
  send: typeof fetch = fetch,
): Promise<ActivationResult> {
  const begun = await beginActivation(baseUrl, input, send);
  return begun.ok ? confirmActivation(begun.started, send) : begun;
}

const FAILURES: Record<string, ActivationFailure> = {
  ERR_ENROLLMENT_CODE_INVALID: 'code_invalid',
  ERR_ENROLLMENT_COMPLETED: 'completed_elsewhere',
  ERR_ACTIVATION_INVALID: 'activation_failed',
  ERR_ACTIVATION_PROOF: 'activation_failed',
  ERR_RATE_LIMITED: 'rate_limited',
};

async function post(
  send: typeof fetch,
  url: string,
  body: unknown,
): Promise<{ ok: true; body: unknown } | { ok: false; reason: ActivationFailure }> {
  let response: Response;
  try {
    response = await send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, reason: 'network' };
  }
  // A proxy in front of an unreachable server answers for it: as good as no answer.
  if (response.status >= 502 && response.status <= 504) return { ok: false, reason: 'network' };
  const answer = (await response.json().catch(() => undefined)) as
    { error?: { code?: string } } | undefined;
  if (response.ok) return { ok: true, body: answer };
  return { ok: false, reason: FAILURES[answer?.error?.code ?? ''] ?? 'activation_failed' };
}
