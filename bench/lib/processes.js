// @ts-check
// Child processes: started with node itself (so the pid is the server's own), their
// output drained (a full pipe would stall them), and always stopped, also when the
// bench fails or is interrupted; with them the temporary data folders.
import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { clearTimeout, setTimeout } from 'node:timers';
import { promisify } from 'node:util';
import { PFORTE, ROOT } from './settings.js';

/** @typedef {import('./types.js').Proc} Proc */

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
/** Folders removed when the process exits, whatever happened. */
export const tempDirs = new Set();

/**
 * Starts `node args…` and waits for `ready` in its output; `ready`'s first group is the
 * process's URL. With `cpus`, the process runs pinned to them (taskset).
 * @param {string} name
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @param {RegExp} ready
 * @param {number[]} [cpus]
 * @returns {Promise<Proc>}
 */
export function startProcess(name, args, env, ready, cpus) {
  // taskset executes node in its own place, so the pid is still the server's.
  /** @type {[string, string[]]} */
  const [command, commandArgs] = cpus
    ? ['taskset', ['-c', cpus.join(','), process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, commandArgs, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  /** @type {string[]} */
  const log = [];
  /** @param {unknown} chunk */
  const remember = (chunk) => {
    log.push(...String(chunk).split('\n').filter(Boolean));
    if (log.length > 40) log.splice(0, log.length - 40);
  };
  child.stderr.on('data', remember);
  /** @type {Proc} */
  const proc = { name, child, pid: child.pid ?? -1, url: '', log };
  return new Promise((resolve, reject) => {
    let started = false;
    let seen = '';
    /** @param {string} message */
    const fail = (message) => {
      if (started) return;
      started = true;
      clearTimeout(timer);
      reject(new Error(`${message}\n  ${log.join('\n  ')}`));
    };
    const timer = setTimeout(() => fail(`${name} did not start within 30 s`), 30_000);
    child.on('error', (error) => fail(`${name}: ${error.message}`));
    child.on('exit', (code, signal) =>
      fail(`${name} exited (${signal ?? code}) before it was ready`),
    );
    child.stdout.on('data', (chunk) => {
      remember(chunk);
      if (started) return;
      seen += chunk;
      const match = ready.exec(seen);
      if (match) {
        started = true;
        clearTimeout(timer);
        proc.url = match[1] ?? '';
        resolve(proc);
      }
    });
  });
}

/** @param {Proc} proc */
export function assertRunning(proc) {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(
      `${proc.name} died (${child.signalCode ?? child.exitCode})\n  ${proc.log.join('\n  ')}`,
    );
  }
}

/** SIGTERM, and SIGKILL after 15 s. @param {Proc} proc */
export async function stopProcess(proc) {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export function killAll() {
  for (const child of children) child.kill('SIGKILL');
}

process.on('exit', () => {
  killAll();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

export const execFileAsync = promisify(execFile);

/**
 * `pforte args…` with the bench's environment; its standard output.
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
export async function pforteCli(args, env) {
  try {
    const { stdout } = await execFileAsync(process.execPath, [PFORTE, ...args], { cwd: ROOT, env });
    return stdout;
  } catch (error) {
    const { stderr, message } = /** @type {{ stderr?: string, message: string }} */ (error);
    throw new Error(`pforte ${args.join(' ')} failed: ${stderr || message}`);
  }
}
