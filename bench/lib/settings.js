// @ts-check
// The bench's settings, from the environment, read once; and where things are.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PFORTE = path.join(ROOT, 'bin', 'pforte.js');
export const CORES = os.availableParallelism();
/** The connections of the OTP run whose latency is held to a target (issue 17: p99 < 5 ms). */
export const MANY_CONNECTIONS = 50;

/** @returns {import('./types.js').Settings} */
export function readSettings() {
  const settings = {
    duration: setting('BENCH_DURATION', 10, 1),
    warmup: setting('BENCH_WARMUP', 2, 0),
    connections: setting('BENCH_CONNECTIONS', 10, 1),
    otpUsers: setting('BENCH_USERS', 500, 1),
    passwordUsers: setting('BENCH_PASSWORD_USERS', 50, 1),
    enrollUsers: setting('BENCH_ENROLL_USERS', 10_000, 1),
    consoleUsers: setting('BENCH_CONSOLE_USERS', 50_000, 1),
    consoleEvents: setting('BENCH_CONSOLE_EVENTS', 1_000_000, 1),
    cpuProfileDir: process.env.BENCH_CPU_PROF || undefined,
    pin: process.env.BENCH_PIN !== '0',
    only: (process.env.BENCH_ONLY ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    postgresUrl: process.env.BENCH_POSTGRES_URL || undefined,
  };
  if (
    settings.otpUsers < Math.max(settings.connections, MANY_CONNECTIONS) ||
    settings.passwordUsers < settings.connections
  ) {
    // Fewer users than connections would send one user's codes in parallel, and the
    // later code accepted first makes the earlier one a replay.
    usageError(
      `BENCH_USERS must be at least BENCH_CONNECTIONS and ${MANY_CONNECTIONS}, ` +
        'BENCH_PASSWORD_USERS at least BENCH_CONNECTIONS',
    );
  }
  return settings;
}

/**
 * @param {string} name
 * @param {number} fallback
 * @param {number} minimum
 */
function setting(name, fallback, minimum) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) {
    usageError(`${name} must be a whole number of at least ${minimum}`);
  }
  return value;
}

/**
 * @param {string} message
 * @returns {never}
 */
function usageError(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
