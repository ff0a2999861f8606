// @ts-check
// The server's resident memory (VmRSS) just after it started, before the first request:
// what a server costs that does nothing. No run of its own and no yardstick: an
// absolute bound.
import { mb } from '../lib/format.js';
import { targetRow } from '../lib/targets.js';

/** @type {import('../lib/types.js').Scenario<number, undefined>} */
export const idleMemory = {
  name: 'idle memory',
  cpus: 'all',
  yardstick: undefined,
  run: async (bench) => mb(bench.idleKb.server),
  target: { bound: '<', value: 100, unit: 'MB' },
  rows({ run: idleMB }) {
    return [targetRow('Idle server memory after start (VmRSS)', idleMB, this.target)];
  },
};
