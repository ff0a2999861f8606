/**
 * One Access-Request from a known client, answered: the RADIUS face's translation of
 * the core's one sign-in decision (face `radius`). It reads as its steps:
 *
 *   1. checkAuthenticity  the Message-Authenticator (RFC 3579 section 3.2), required by
 *                         default since BlastRADIUS (CVE-2024-3596): none or a wrong one
 *                         is dropped, as a wrong shared secret is
 *   2. refuseUnusable     CHAP, MS-CHAP and EAP carry no passcode that can be checked:
 *                         refused, with the reason in the audit log
 *   3. readAttempt        by the client's mode: the passcode alone, the password with the
 *                         passcode appended, or the password now and the code after an
 *                         Access-Challenge (challenge-state.ts)
 *   4. decideSignIn       accept or reject, with the back-off of the end user's address
 *                         where the device reports it (Calling-Station-Id)
 *
 * Answers are undefined where the packet must be dropped: a client then tries again or
 * another server, as RFC 2865 section 2.4 expects of a server that cannot answer.
 */
import { isIP } from 'node:net';
import { recordAudit } from '../audit/record.js';
import type { Caller, Core } from '../context.js';
import { PforteError } from '../errors.js';
import { decideSignIn, type SignInAttempt } from '../signin/decide.js';
import { passcodeLengthOf, splitPasswordAndPasscode } from '../signin/passcode-length.js';
import { radiusTexts } from '../text/radius.js';
import { openChallengeState, sealChallengeState } from './challenge-state.js';
import type { RadiusClient } from './clients.js';
import {
  ATTRIBUTE,
  attributeOf,
  CODE,
  countOf,
  hasValidMessageAuthenticator,
  revealPassword,
  textAttribute,
  writeAnswer,
  type Attribute,
  type RadiusRequest,
} from './packet.js';

/** Why a packet got no answer: counted by the server, never answered. */
export type DropReason = 'not_a_request' | 'bad_authenticator' | 'malformed' | 'unavailable';

export type Outcome = { answer: Buffer } | { dropped: DropReason };

/** Microsoft's vendor number: its MS-CHAP attributes come as Vendor-Specific (RFC 2548). */
const MICROSOFT = 311;

export async function answerRequest(
  core: Core,
  client: RadiusClient,
  source: string,
  request: RadiusRequest,
): Promise<Outcome> {
  if (request.code !== CODE.accessRequest) return { dropped: 'not_a_request' };
  const authentic = checkAuthenticity(client, request);
  if (authentic !== 'ok') return { dropped: authentic };

  const caller: Caller = { face: 'radius', actor: `radius:${client.name}`, address: source };
  const username = userNameOf(request);
  if (username === undefined) return { dropped: 'malformed' };
  const answer = (code: number, attributes: Attribute[] = []) => ({
    answer: writeAnswer(request, code, attributes, client.secret),
  });
  const reject = () =>
    answer(CODE.accessReject, [
      textAttribute(ATTRIBUTE.replyMessage, radiusTexts[client.lang].refused),
    ]);

  /** A refusal the decision never saw, with its reason in the audit log. */
  const refuse = async (reason: string) => {
    await recordAudit(core, caller, {
      action: 'signin',
      outcome: 'failure',
      reason,
      username: username.slice(0, 64),
    });
    return reject();
  };

  const hidden = attributeOf(request, ATTRIBUTE.userPassword);
  if (!hidden) return refuse(unusableMethod(request));
  const revealed = revealPassword(hidden, client.secret, request.authenticator);
  if (!revealed) return { dropped: 'malformed' };
  const typed = revealed.toString('utf8');

  const attempt = await readAttempt(core, client, request, username, typed);
  if (attempt === 'challenge') {
    const state = sealChallengeState(core, client.name, { username, password: typed });
    if (!state) return refuse('password_too_long_for_state');
    return answer(CODE.accessChallenge, [
      { type: ATTRIBUTE.state, value: state },
      textAttribute(ATTRIBUTE.replyMessage, radiusTexts[client.lang].enterTokenCode),
    ]);
  }
  if (typeof attempt === 'string') return refuse(attempt);

  const station = textOf(request, ATTRIBUTE.callingStationId);
  try {
    const decision = await decideSignIn(core, caller, {
      ...attempt,
      ...(station && isIP(station) ? { clientAddress: station } : {}),
    });
    if (decision.unavailable) return { dropped: 'unavailable' };
    if (decision.result !== 'accept') return reject();
    return answer(
      CODE.accessAccept,
      client.class ? [textAttribute(ATTRIBUTE.class, client.class)] : [],
    );
  } catch (error) {
    if (!(error instanceof PforteError)) throw error;
    if (error.status >= 500) return { dropped: 'unavailable' };
    // Input no sign-in can have (a username with spaces, letters for a code): refused.
    return refuse('malformed_input');
  }
}

function checkAuthenticity(client: RadiusClient, request: RadiusRequest): 'ok' | DropReason {
  if (countOf(request, ATTRIBUTE.userName) !== 1 || countOf(request, ATTRIBUTE.userPassword) > 1) {
    return 'malformed';
  }
  const present = countOf(request, ATTRIBUTE.messageAuthenticator) > 0;
  if (!present) return client.requireMessageAuthenticator ? 'bad_authenticator' : 'ok';
  return hasValidMessageAuthenticator(request, client.secret) ? 'ok' : 'bad_authenticator';
}

/** What a request without User-Password tried instead, for the audit log. */
function unusableMethod(request: RadiusRequest): string {
  if (attributeOf(request, ATTRIBUTE.chapPassword)) return 'chap_refused';
  if (
    request.attributes.some(
      (a) =>
        a.type === ATTRIBUTE.vendorSpecific &&
        a.value.length >= 4 &&
        a.value.readUInt32BE(0) === MICROSOFT,
    )
  ) {
    return 'mschap_refused';
  }
  if (attributeOf(request, ATTRIBUTE.eapMessage)) return 'eap_refused';
  return 'no_password';
}

/**
 * The sign-in the request asks for, by the client's mode; 'challenge' when the password
 * came first and the code is still to be asked for; otherwise why it cannot be one.
 */
async function readAttempt(
  core: Core,
  client: RadiusClient,
  request: RadiusRequest,
  username: string,
  typed: string,
): Promise<SignInAttempt | 'challenge' | 'no_passcode' | 'bad_state'> {
  const otp = typed.replace(/\s/g, '');
  if (client.mode === 'passcode') return { username, otp };
  if (client.mode === 'password+passcode') {
    const split = splitPasswordAndPasscode(typed, await passcodeLengthOf(core, username, typed));
    return split ? { username, ...split } : 'no_passcode';
  }
  const state = attributeOf(request, ATTRIBUTE.state);
  if (!state) return 'challenge';
  const first = openChallengeState(core, client.name, state);
  // Forged, expired, another client's or another user's: refused like a wrong code.
  if (!first || first.username !== username) return 'bad_state';
  return { username, password: first.password, otp };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The User-Name as text (RFC 2865 section 5.1: UTF-8); undefined when it is not text —
 * invalid UTF-8 or control characters (a NUL fails PostgreSQL's audit insert) — and the
 * request is malformed.
 */
function userNameOf(request: RadiusRequest): string | undefined {
  const value = attributeOf(request, ATTRIBUTE.userName);
  if (value === undefined) return undefined;
  let text: string;
  try {
    text = UTF8.decode(value);
  } catch {
    return undefined;
  }
  return /\p{Cc}/u.test(text) ? undefined : text;
}

function textOf(request: RadiusRequest, type: number): string | undefined {
  const value = attributeOf(request, type);
  return value === undefined ? undefined : value.toString('utf8');
}
