// @ts-check
// What every hand-made load generator (RADIUS, the OpenID flows) records: each answer's
// latency, and how many came in each whole second of the run.
import { clearInterval, setInterval } from 'node:timers';

/** Starts counting; `stop` ends the seconds and gives the percentiles and the per-second counts. */
export function latencyRecorder() {
  /** @type {number[]} */
  const latencies = [];
  /** @type {number[]} */
  const ticks = [];
  let counted = 0;
  const ticker = setInterval(() => {
    ticks.push(latencies.length - counted);
    counted = latencies.length;
  }, 1000);
  return {
    latencies,
    /** No more whole seconds are counted. */
    stopTicking: () => clearInterval(ticker),
    /** @param {number} seconds the run's length: its whole seconds */
    summary(seconds) {
      clearInterval(ticker);
      const sorted = Float64Array.from(latencies).sort();
      /** @param {number} share */
      const percentile = (share) => sorted[Math.floor(share * (sorted.length - 1))] ?? NaN;
      return { p50: percentile(0.5), p99: percentile(0.99), ticks: ticks.slice(0, seconds) };
    },
  };
}
