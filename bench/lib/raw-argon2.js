// @ts-check
// The yardstick of the password sign-ins: raw argon2id verifies, as many in parallel
// as there are cores, in a process of its own (bench/argon2-verify.js) with the very
// options the server uses. Measured half before and half after the sign-ins, so that a
// machine whose speed drifts (shared virtual machines do) is compared fairly.
import path from 'node:path';
import { fmt } from './format.js';
import { execFileAsync } from './processes.js';
import { ROOT } from './settings.js';

/**
 * @typedef {object} Argon2Rate
 * @property {number} verifies
 * @property {number} seconds
 * @property {number} cpuSeconds CPU seconds of all threads
 * @property {number} perSecond
 * @property {string} params "$argon2id$v=19$m=19456,t=2,p=1"
 */

/**
 * @param {number} seconds
 * @param {number} concurrency
 * @param {string} when
 * @returns {Promise<Argon2Rate>}
 */
async function rawArgon2(seconds, concurrency, when) {
  process.stdout.write(
    `  raw argon2id verify, ${concurrency} in parallel, ${when}: measuring ${seconds} s … `,
  );
  const { stdout } = await execFileAsync(
    process.execPath,
    [path.join(ROOT, 'bench', 'argon2-verify.js'), String(seconds), String(concurrency)],
    { cwd: ROOT },
  );
  const raw = JSON.parse(stdout);
  console.log(`${fmt(raw.perSecond, 1)} verifies/s (${raw.params})`);
  return raw;
}

/** Verifies per CPU-second: what one verify costs. @param {Argon2Rate} rate */
export const perCpuSecond = (rate) => rate.verifies / rate.cpuSeconds;

/** Shared by the password and the portal sign-ins: one rate around both. @type {import('./types.js').Yardstick<Argon2Rate>} */
export const rawArgon2Yardstick = {
  name: 'raw argon2id verifies',
  measure: (bench) => rawArgon2(bench.settings.duration / 2, bench.cores, 'before'),
  async finish(bench, before) {
    const after = await rawArgon2(bench.settings.duration / 2, bench.cores, 'after');
    const verifies = before.verifies + after.verifies;
    const seconds = before.seconds + after.seconds;
    return {
      verifies,
      seconds,
      cpuSeconds: before.cpuSeconds + after.cpuSeconds,
      perSecond: verifies / seconds,
      params: after.params,
    };
  },
};
