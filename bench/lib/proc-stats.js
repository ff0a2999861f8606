// @ts-check
// What a server process uses, from /proc (Linux; elsewhere the numbers are n/a).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * A field of /proc/<pid>/status in kB (VmRSS, VmHWM), or NaN.
 * @param {number} pid
 * @param {string} field
 */
export function procStatusKb(pid, field) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Seconds of CPU (user + system) the process has used so far. @param {number} pid */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5), utime and stime; `fields` starts at field 3.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** A process is idle when it used at most one clock tick of CPU in this long. */
const QUIET_MS = 100;

/**
 * Waits until the process is idle, at most `maxMs`: the requests a load generator left
 * in flight when it stopped are then decided, and none runs beside the next run's.
 * Returns false when it was still busy (or /proc cannot tell).
 * @param {number} pid
 * @param {number} [maxMs]
 */
export async function settle(pid, maxMs = 5000) {
  const end = performance.now() + maxMs;
  let before = cpuSeconds(pid);
  while (Number.isFinite(before) && performance.now() < end) {
    await sleep(QUIET_MS);
    const now = cpuSeconds(pid);
    if (Math.round((now - before) * CLOCK_TICKS) <= 1) return true;
    before = now;
  }
  return false;
}

/** Starts VmHWM (the peak of VmRSS) afresh; false when the system does not let us. @param {number} pid */
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Watches a process while a load runs: its CPU use, and its peak resident memory
 * (VmHWM started afresh, or else the highest VmRSS sampled every 100 ms).
 * @param {number} pid
 */
export function watch(pid) {
  const peakWasReset = resetPeak(pid);
  let sampledKb = procStatusKb(pid, 'VmRSS');
  const timer = setInterval(() => {
    sampledKb = Math.max(sampledKb, procStatusKb(pid, 'VmRSS'));
  }, 100).unref();
  let cpu = { server: NaN, client: process.cpuUsage(), at: performance.now() };
  return {
    /** The CPU share is measured from here on (after the warm-up). */
    start() {
      cpu = { server: cpuSeconds(pid), client: process.cpuUsage(), at: performance.now() };
    },
    /** @returns {import('./types.js').Usage} */
    stop() {
      clearInterval(timer);
      const seconds = (performance.now() - cpu.at) / 1000;
      const client = process.cpuUsage(cpu.client);
      const serverCpuSeconds = cpuSeconds(pid) - cpu.server;
      return {
        serverCpu: serverCpuSeconds / seconds,
        serverCpuSeconds,
        clientCpu: (client.user + client.system) / 1e6 / seconds,
        peakRssKb: peakWasReset
          ? procStatusKb(pid, 'VmHWM')
          : Math.max(sampledKb, procStatusKb(pid, 'VmRSS')),
      };
    },
  };
}
