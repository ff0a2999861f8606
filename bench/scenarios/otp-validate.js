// @ts-check
// OTP validations per second (POST /api/v1/validate, passcode only, HOTP codes that
// are always fresh), the hot path of issue 17:
//
//   - the main line with `clientAddress` (the end user's address, as services are told
//     to pass it) beside a bare Fastify JSON route (bench/bare-server.js): ratio;
//   - the same without `clientAddress`;
//   - the main line at MANY_CONNECTIONS connections: its p99 latency;
//
// each with the server's CPU per validation (utime + stime from /proc over the measured
// run, divided by the validations decided). Every valid code of a measured run must be
// accepted: a refusal fails the bench, named by the reasons in the server's audit log.
import { cannedBody, signInBodies } from '../lib/bodies.js';
import { fmt, percent } from '../lib/format.js';
import { measure } from '../lib/load.js';
import { refusalReasons } from '../lib/refusals.js';
import { MANY_CONNECTIONS } from '../lib/settings.js';
import { plainRow, targetRow } from '../lib/targets.js';

/** @typedef {import('../lib/types.js').LoadRun} LoadRun */
/** @typedef {import('../lib/types.js').Target} Target */
/** @typedef {LoadRun & { refusals: Record<string, number> }} ValidationRun */
/**
 * A Pforte server with its keys: the bench's own, or one on another database.
 * @typedef {Pick<import('../lib/types.js').Bench, 'server' | 'serviceKey' | 'adminKey'>} Pforte
 */

/** Requests per CPU-second used: what each costs, saturated or not. @param {LoadRun} run */
export const perCpu = (run) => run.perSecond / run.serverCpu;

/** @param {LoadRun} run */
export const latency = (run) => `(p50 ${fmt(run.p50)} ms, p99 ${fmt(run.p99)} ms)`;

/** Issue 17: at most twice the work floor, with and without `clientAddress`. @type {Target} */
const CPU_WITH_ADDRESS = { bound: '≤', value: 0.4, unit: 'ms', digits: 2 };

/** Validations the server decided (accepted or refused). @param {LoadRun} run */
const decided = ({ answers }) => answers.accept + answers.reject;

/** Validations sent in the measured run, each with a valid code. @param {LoadRun} run */
const sent = (run) => decided(run) + run.answers.other + run.errors;

/**
 * Passcode-only validations of `users` against `pforte`, with or without `clientAddress`;
 * when any was not accepted, the reasons the audit log gives.
 * @param {string} label
 * @param {Pforte} pforte
 * @param {import('../lib/types.js').Settings} settings
 * @param {import('../lib/types.js').BenchUser[]} users
 * @param {{ clientAddress: boolean }} carried
 * @returns {Promise<ValidationRun>}
 */
export async function measureValidations(label, pforte, settings, users, carried) {
  const run = await measure(label, pforte.server, settings, {
    base: pforte.server.url,
    key: pforte.serviceKey,
    request: signInBodies(users, carried),
  });
  const refusals =
    run.answers.accept < sent(run)
      ? await refusalReasons(pforte.server.url, pforte.adminKey, run)
      : {};
  return { ...run, refusals };
}

/**
 * Every code the bench sends is valid: a run with one not accepted measured something
 * else, and the bench fails, saying why.
 * @param {ValidationRun} run
 */
export function refusalProblems(run) {
  const { accept, other } = run.answers;
  if (accept === sent(run)) return [];
  const reasons = Object.entries(run.refusals).map(([reason, count]) => `${count} ${reason}`);
  return [
    `${fmt(accept)} of ${fmt(sent(run))} valid codes accepted (${other} other answers, ` +
      `${run.errors} errors); the audit log's reasons: ${reasons.join(', ') || 'none'}`,
  ];
}

/**
 * The server's CPU per validation decided in ms, from /proc over the measured run.
 * @param {LoadRun} run
 */
export const cpuPerValidation = (run) => (run.serverCpuSeconds * 1000) / decided(run);

/**
 * @param {string} label
 * @param {LoadRun} run
 * @param {Target} target
 */
function cpuPerValidationRow(label, run, target) {
  return targetRow(
    label,
    cpuPerValidation(run),
    target,
    `(${fmt(decided(run))} validations, ${percent(run.serverCpu)} of a core)`,
  );
}

/**
 * A run in which the server was not busy measured the load generator or the machine.
 * @param {LoadRun[]} runs
 */
export function idleServerNotes(runs) {
  return runs
    .filter((measured) => measured.serverCpu < 0.9)
    .map(
      (measured) =>
        `note: during "${measured.label}" the server used only ` +
        `${percent(measured.serverCpu)} of a core, so its req/s is a lower bound: too few ` +
        'connections (BENCH_CONNECTIONS), or a machine busy with something else or throttled.',
    );
}

/** @type {import('../lib/types.js').Scenario<ValidationRun, LoadRun>} */
export const otpValidate = {
  name: 'OTP validations',
  cpus: 'split',
  yardstick: {
    name: 'bare Fastify JSON route',
    // The bare route gets bodies of the same size, made the same way beforehand.
    measure: (bench) =>
      measure('bare Fastify JSON route', bench.bare, bench.settings, {
        base: bench.bare.url,
        key: bench.serviceKey,
        request: { body: cannedBody(bench.users.otp, { clientAddress: true }) },
      }),
  },
  run: (bench) =>
    measureValidations(
      'OTP validate (passcode only, clientAddress)',
      bench,
      bench.settings,
      bench.users.otp,
      { clientAddress: true },
    ),
  target: { bound: '≥', value: 0.25 },
  rows({ run, yardstick }) {
    return [
      plainRow(
        'OTP validations/s (passcode only, with clientAddress)',
        `${fmt(run.perSecond)} ${latency(run)}`,
      ),
      plainRow(
        'Bare Fastify JSON route, req/s',
        `${fmt(yardstick.perSecond)} ${latency(yardstick)}`,
      ),
      targetRow(
        'OTP validations ÷ bare route',
        run.perSecond / yardstick.perSecond,
        this.target,
        `(per CPU-second: ${fmt(perCpu(run) / perCpu(yardstick), 2)})`,
      ),
      cpuPerValidationRow('CPU per validation, with clientAddress', run, CPU_WITH_ADDRESS),
    ];
  },
  notes: ({ run, yardstick }) => idleServerNotes([yardstick, run]),
  problems: ({ run }) => refusalProblems(run),
};

/** @type {import('../lib/types.js').Scenario<ValidationRun, undefined>} */
export const otpValidateWithoutAddress = {
  name: 'OTP validations without clientAddress',
  cpus: 'split',
  yardstick: undefined,
  run: (bench) =>
    measureValidations(
      'OTP validate (passcode only, no clientAddress)',
      bench,
      bench.settings,
      bench.users.otp,
      { clientAddress: false },
    ),
  target: { bound: '≤', value: 0.3, unit: 'ms', digits: 2 },
  rows({ run }) {
    return [
      plainRow('OTP validations/s without clientAddress', `${fmt(run.perSecond)} ${latency(run)}`),
      cpuPerValidationRow('CPU per validation, without clientAddress', run, this.target),
    ];
  },
  notes: ({ run }) => idleServerNotes([run]),
  problems: ({ run }) => refusalProblems(run),
};

/** @type {import('../lib/types.js').Scenario<ValidationRun, undefined>} */
export const otpValidateManyConnections = {
  name: `OTP validations at ${MANY_CONNECTIONS} connections`,
  cpus: 'split',
  yardstick: undefined,
  run: (bench) =>
    measureValidations(
      `OTP validate (clientAddress, ${MANY_CONNECTIONS} connections)`,
      bench,
      { ...bench.settings, connections: MANY_CONNECTIONS },
      bench.users.otp,
      { clientAddress: true },
    ),
  target: { bound: '<', value: 5, unit: 'ms' },
  rows({ run }) {
    return [
      plainRow(
        `OTP validations/s at ${MANY_CONNECTIONS} connections (with clientAddress)`,
        `${fmt(run.perSecond)} ${latency(run)}`,
      ),
      targetRow(`p99 of OTP validations at ${MANY_CONNECTIONS} connections`, run.p99, this.target),
    ];
  },
  problems: ({ run }) => refusalProblems(run),
};
