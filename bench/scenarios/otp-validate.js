// @ts-check
// OTP validations per second (POST /api/v1/validate, passcode only, HOTP codes that
// are always fresh) beside a bare Fastify JSON route (bench/bare-server.js): ratio.
import { cannedBody, signInBodies } from '../lib/bodies.js';
import { fmt, percent } from '../lib/format.js';
import { measure } from '../lib/load.js';
import { plainRow, targetRow } from '../lib/targets.js';

/** @typedef {import('../lib/types.js').LoadRun} LoadRun */

/** Requests per CPU-second used: what each costs, saturated or not. @param {LoadRun} run */
export const perCpu = (run) => run.perSecond / run.serverCpu;

/** @param {LoadRun} run */
const latency = (run) => `(p50 ${fmt(run.p50)} ms, p99 ${fmt(run.p99)} ms)`;

/** @type {import('../lib/types.js').Scenario<LoadRun, LoadRun>} */
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
        request: { body: cannedBody(bench.users.otp) },
      }),
  },
  run: (bench) =>
    measure('OTP validate (passcode only)', bench.server, bench.settings, {
      base: bench.server.url,
      key: bench.serviceKey,
      request: signInBodies(bench.users.otp),
    }),
  target: { bound: '≥', value: 0.4 },
  rows({ run, yardstick }) {
    return [
      plainRow('OTP validations/s (passcode only)', `${fmt(run.perSecond)} ${latency(run)}`),
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
    ];
  },
  notes({ run, yardstick }) {
    return [yardstick, run]
      .filter((measured) => measured.serverCpu < 0.9)
      .map(
        (measured) =>
          `note: during "${measured.label}" the server used only ` +
          `${percent(measured.serverCpu)} of a core, so its req/s is a lower bound: too few ` +
          'connections (BENCH_CONNECTIONS), or a machine busy with something else or throttled.',
      );
  },
};
