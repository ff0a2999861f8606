// @ts-check
// The RADIUS face (UDP, RFC 2865) on the same server, by a client with as many
// Access-Requests in flight as the bench has connections (bench/lib/radius.js):
//
//   - passcode-only authentications per second (a client in mode "passcode", HOTP codes
//     that are always fresh) beside REST passcode-only validations per second (POST
//     /api/v1/validate) of the same users with as many connections, measured just
//     before: ratio;
//   - password + passcode authentications per second (mode "password+passcode", the
//     passcode appended to the password) beside the raw argon2id verify rate shared
//     with the password and portal sign-ins: ratio.
import { nextCodes, signInBodies } from '../lib/bodies.js';
import { fmt, percent } from '../lib/format.js';
import { measure } from '../lib/load.js';
import { measureRadius } from '../lib/radius.js';
import { rawArgon2Yardstick } from '../lib/raw-argon2.js';
import { plainRow, targetRow } from '../lib/targets.js';
import { latency, perCpu } from './otp-validate.js';
import { argon2RatioRow, signInRow } from './password-sign-in.js';

/** @typedef {import('../lib/types.js').LoadRun} LoadRun */
/** @typedef {import('../lib/types.js').BenchUser} BenchUser */

/**
 * What the client sends: the passcode alone, or the password with it appended.
 * @param {BenchUser[]} users
 * @param {boolean} withPassword
 */
function typedBy(users, withPassword) {
  const nextCode = nextCodes(users);
  return () => {
    const { user, otp } = nextCode();
    return { username: user.username, typed: withPassword ? `${user.password}${otp}` : otp };
  };
}

/**
 * A figure with failures is not a figure: every answer must be an Access-Accept.
 * @param {LoadRun} run
 */
function failures(run) {
  const { reject, other } = run.answers;
  return reject + other + run.errors > 0
    ? [
        `${run.label}: ${reject} Access-Reject, ${other} other answers, ${run.errors} ` +
          'unanswered; the figure does not measure authentications',
      ]
    : [];
}

/**
 * When the client used a whole core, it limited the rate rather than the server.
 * @param {LoadRun} run
 */
function clientNotes(run) {
  return run.clientCpu >= 0.9
    ? [
        `note: during "${run.label}" the RADIUS client used ${percent(run.clientCpu)} of a ` +
          'core, so its rate is a lower bound.',
      ]
    : [];
}

/** @type {import('../lib/types.js').Scenario<LoadRun, LoadRun>} */
export const radiusPasscode = {
  name: 'RADIUS passcode',
  cpus: 'split',
  yardstick: {
    name: 'REST passcode-only validations',
    measure: (bench) =>
      measure('REST validate (passcode only, the RADIUS users)', bench.server, bench.settings, {
        base: bench.server.url,
        key: bench.serviceKey,
        request: signInBodies(bench.users.radius),
      }),
  },
  run: (bench) =>
    measureRadius(
      'RADIUS Access-Request (mode passcode)',
      bench,
      bench.radius.passcode,
      typedBy(bench.users.radius, false),
    ),
  target: { bound: '≥', value: 0.9 },
  rows({ run, yardstick: rest }) {
    return [
      plainRow('RADIUS passcode-only authentications/s', `${fmt(run.perSecond)} ${latency(run)}`),
      plainRow(
        'REST passcode-only validations/s (same users, same concurrency)',
        `${fmt(rest.perSecond)} ${latency(rest)}`,
      ),
      targetRow(
        'RADIUS passcode ÷ REST validations',
        run.perSecond / rest.perSecond,
        this.target,
        `(per CPU-second: ${fmt(perCpu(run) / perCpu(rest), 2)})`,
      ),
    ];
  },
  notes: ({ run }) => clientNotes(run),
  problems: ({ run }) => failures(run),
};

/** @type {import('../lib/types.js').Scenario<LoadRun, import('../lib/raw-argon2.js').Argon2Rate>} */
export const radiusPassword = {
  name: 'RADIUS password+passcode',
  cpus: 'all',
  yardstick: rawArgon2Yardstick,
  run: (bench) =>
    measureRadius(
      'RADIUS Access-Request (mode password+passcode)',
      bench,
      bench.radius.password,
      typedBy(bench.users.radiusPassword, true),
    ),
  target: { bound: '≥', value: 0.8 },
  rows({ run, yardstick: raw, bench: { cores } }) {
    return [
      signInRow('RADIUS password + passcode authentications/s', run, cores),
      argon2RatioRow('RADIUS password + passcode ÷ raw verifies', run, raw, this.target),
    ];
  },
  notes: ({ run }) => clientNotes(run),
  problems: ({ run }) => failures(run),
};
