// @ts-check
// Password + passcode sign-ins per second (POST /api/v1/validate) beside the raw
// argon2id verify rate with as many verifies in parallel as there are cores: ratio.
import { signInBodies } from '../lib/bodies.js';
import { fmt } from '../lib/format.js';
import { measure } from '../lib/load.js';
import { perCpuSecond, rawArgon2Yardstick } from '../lib/raw-argon2.js';
import { plainRow, targetRow } from '../lib/targets.js';
import { perCpu } from './otp-validate.js';

/** @typedef {import('../lib/types.js').LoadRun} LoadRun */
/** @typedef {import('../lib/raw-argon2.js').Argon2Rate} Argon2Rate */

/**
 * Sign-ins per second, per core and their latency: argon2 makes them CPU-bound.
 * @param {string} label
 * @param {LoadRun} run
 * @param {number} cores
 */
export function signInRow(label, run, cores) {
  return plainRow(
    label,
    `${fmt(run.perSecond, 1)} (${fmt(run.perSecond / cores, 1)} per core; ` +
      `p50 ${fmt(run.p50)} ms, p99 ${fmt(run.p99)} ms)`,
  );
}

/**
 * Sign-ins ÷ raw verifies, and the same per CPU-second used: what each costs, whether
 * or not the server was saturated, and less sensitive to a machine whose speed drifts.
 * @param {string} label
 * @param {LoadRun} run
 * @param {Argon2Rate} raw
 * @param {import('../lib/types.js').Target} target
 */
export function argon2RatioRow(label, run, raw, target) {
  return targetRow(
    label,
    run.perSecond / raw.perSecond,
    target,
    `(per CPU-second: ${fmt(perCpu(run) / perCpuSecond(raw), 2)})`,
  );
}

/** @type {import('../lib/types.js').Scenario<LoadRun, Argon2Rate>} */
export const passwordSignIn = {
  name: 'password sign-ins',
  cpus: 'all',
  yardstick: rawArgon2Yardstick,
  run: (bench) =>
    measure('password + passcode sign-in', bench.server, bench.settings, {
      base: bench.server.url,
      key: bench.serviceKey,
      request: signInBodies(bench.users.password, { password: true }),
    }),
  target: { bound: '≥', value: 0.8 },
  rows({ run, yardstick: raw, bench: { cores } }) {
    return [
      signInRow('Password + passcode sign-ins/s', run, cores),
      plainRow(
        `Raw argon2id verifies/s (${cores} in parallel, ${raw.params.replace(/^.*\$/, '')})`,
        `${fmt(raw.perSecond, 1)} (${fmt(raw.perSecond / cores, 1)} per core)`,
      ),
      argon2RatioRow('Sign-ins ÷ raw verifies', run, raw, this.target),
    ];
  },
};
