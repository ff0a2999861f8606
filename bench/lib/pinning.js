// @ts-check
// CPU pinning with taskset (util-linux), when there is more than one CPU to pin to.
//
// On Linux with taskset, the load generator (this process) runs on the first CPU and
// the servers on the others while requests/s are compared: a tightly coupled client
// and server otherwise often share one core, and the bare route then measured anywhere
// between 40 % and 100 % of what it does. For the password runs every process gets
// every CPU again, as argon2 needs them all.
import { execFileSync } from 'node:child_process';

/** @typedef {import('./types.js').Pinning} Pinning */

/** @param {string} text "0-3,6" */
function cpuList(text) {
  return text.split(',').flatMap((part) => {
    const [from = NaN, to = from] = part.split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

/**
 * The CPUs for the load generator and for the servers, or undefined when not pinning.
 * @param {boolean} wanted BENCH_PIN
 * @returns {Pinning | undefined}
 */
export function planPinning(wanted) {
  if (!wanted) return undefined;
  try {
    const out = execFileSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
    const all = cpuList(out.slice(out.lastIndexOf(':') + 1).trim());
    if (all.length < 2 || all.some((cpu) => !Number.isInteger(cpu))) return undefined;
    return { client: all.slice(0, 1), servers: all.slice(1), all };
  } catch {
    return undefined;
  }
}

/**
 * Pins every thread of a process to `cpus`.
 * @param {number} pid
 * @param {number[]} cpus
 */
export function pin(pid, cpus) {
  execFileSync('taskset', ['-a', '-pc', cpus.join(','), String(pid)], { stdio: 'ignore' });
}

/**
 * "split": this process on its CPU, the server on the others; "all": both on every CPU.
 * @param {import('./types.js').Bench} bench
 * @param {'split' | 'all'} mode
 */
export function usePinning(bench, mode) {
  const { pinning } = bench;
  if (!pinning) return;
  if (mode === 'split') {
    pin(bench.server.pid, pinning.servers);
    pin(process.pid, pinning.client);
  } else if (bench.server.child.exitCode === null && bench.server.child.signalCode === null) {
    pin(bench.server.pid, pinning.all);
    pin(process.pid, pinning.all);
  } else {
    pin(process.pid, pinning.all);
  }
}
