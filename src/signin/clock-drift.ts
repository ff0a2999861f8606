/**
 * Noticing an authenticator whose clock is off (RFC 6238 section 6): after a TOTP code the
 * window did not hold, the code is looked for within ten minutes either side of the time
 * the token's clock shows (`nearSteps`). One such code is only noted and refused with the
 * reason `clock_drift`; the next, later code at the same offset is accepted and the offset
 * becomes the token's drift, so that later codes are looked for around it (passcode.ts).
 *
 * The rules, and why:
 *   - passcode.ts asks only after the password was proved: the wider search is a wider
 *     target for guesses, and what it tells is for the person whose password it is;
 *   - two codes, not one: one code anywhere in ±10 minutes is some 40 times as easy to
 *     guess as one in the window. The second must be at a later step (RFC 6238's "next"
 *     code; never the first one again) and within one step of the first's offset — the
 *     person may type the two on either side of a step boundary, as the window allows;
 *   - a note is good for ten minutes: long enough to read the message and wait for the
 *     next code, too short to collect lucky guesses over a day;
 *   - a code at or below the last accepted step is never accepted, and nothing is learned
 *     from it (the replay rule holds on this path too);
 *   - a noted code still counts as a failure towards the token lock, as a wrong code does:
 *     the wider search must not give more guesses before the lock than the window does.
 */
import type { Core } from '../context.js';
import { timeStep } from '../otp/codes.js';
import type { TokenRow } from '../store/tables.js';
import { findCounterInWindow } from '../tokens/hotp-window.js';
import { acceptDriftedCounter, noteDriftCandidate } from '../tokens/drift.js';

/** How far off an authenticator's clock may be for Pforte to notice it, either way. */
export const DRIFT_NOTICE_MS = 10 * 60_000;

/**
 * What a code outside the window turned out to be: the confirming second code, accepted
 * (`learned`); that code, but another request accepted first (`lost`); or a first code,
 * noted (`noted`). `offset` is how many steps the authenticator's clock runs ahead.
 */
export interface DriftFinding {
  outcome: 'learned' | 'lost' | 'noted';
  offset: number;
}

/** Looks for the code near now, outside the window; undefined when it is not there. */
export async function checkClockDrift(
  core: Core,
  token: TokenRow,
  seed: Uint8Array,
  code: string,
  now: number,
): Promise<DriftFinding | undefined> {
  if (token.type !== 'totp' || code.length !== token.digits) return undefined;
  const match = findCounterInWindow(seed, code, nearSteps(core, token, now), token);
  if (match === undefined) return undefined;
  if (token.last_step !== null && match <= token.last_step) return undefined;
  const offset = match - timeStep(now, token.period);
  if (confirmsCandidate(token, match, offset, now)) {
    const learned = await acceptDriftedCounter(core, token, match, offset, now);
    return { outcome: learned ? 'learned' : 'lost', offset };
  }
  await noteDriftCandidate(core, token.id, match, offset, now);
  return { outcome: 'noted', offset };
}

/**
 * The time steps within DRIFT_NOTICE_MS of the time the token's clock shows (its learned
 * drift applied), without the window findCode already looked in.
 */
function nearSteps(core: Core, token: TokenRow, now: number): number[] {
  const shown = timeStep(now, token.period) + token.drift_steps;
  const reach = Math.ceil(DRIFT_NOTICE_MS / 1000 / token.period);
  const window = core.config.otp.totpWindow;
  const steps: number[] = [];
  for (let d = -reach; d <= reach; d++) if (Math.abs(d) > window) steps.push(shown + d);
  return steps;
}

/** Whether the token's noted code is an earlier one, recent, at the same offset (±1 step). */
function confirmsCandidate(token: TokenRow, match: number, offset: number, now: number): boolean {
  const {
    drift_candidate_step: step,
    drift_candidate_offset: noted,
    drift_candidate_at: at,
  } = token;
  if (step === null || noted === null || at === null) return false;
  return step < match && Math.abs(noted - offset) <= 1 && at >= now - DRIFT_NOTICE_MS;
}
