// @ts-check
// The server's peak resident memory (VmHWM) under the sign-in load: the highest of
// the OTP, password and portal runs (each started afresh at its warm-up). No run of
// its own and no yardstick: an absolute bound.
import { mb } from '../lib/format.js';
import { isLoadRun } from '../lib/load.js';
import { targetRow } from '../lib/targets.js';
import { otpValidate } from './otp-validate.js';
import { passwordSignIn } from './password-sign-in.js';
import { portalSignIn } from './portal-sign-in.js';

const UNDER_LOAD = [otpValidate, passwordSignIn, portalSignIn];

/** @type {import('../lib/types.js').Scenario<number, undefined>} */
export const peakMemory = {
  name: 'peak memory',
  cpus: 'all',
  yardstick: undefined,
  async run(_bench, earlier) {
    const peaks = UNDER_LOAD.map(({ name }) => {
      const run = earlier.get(name)?.run;
      return isLoadRun(run) ? run.peakRssKb : NaN;
    });
    return mb(Math.max(...peaks));
  },
  target: { bound: '<', value: 200, unit: 'MB' },
  rows({ run: peakMB }) {
    return [targetRow('Peak server memory under sign-in load (VmHWM)', peakMB, this.target)];
  },
};
