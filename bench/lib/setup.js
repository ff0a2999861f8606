// @ts-check
// What every scenario shares, made once: a temporary data folder (SQLite), a local
// slapd with the directory users, API keys made with the CLI before the server starts
// (as an administrator would), the Pforte server (with its RADIUS face) and the bare
// Fastify route, and the users with their tokens. Everything on loopback with ports
// picked by the system.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigSchema } from '../../dist/config/schema.js';
import { SERVICE_DN, SERVICE_PASSWORD, startSlapd } from '../../scripts/lib/slapd.js';
import { fmt, machine } from './format.js';
import { planPinning } from './pinning.js';
import { procStatusKb } from './proc-stats.js';
import { FLOW_WORKERS_PER_CONNECTION, oidcClientsEnv } from './oidc.js';
import { radiusEnv, radiusSetup } from './radius.js';
import { killAll, pforteCli, startProcess, stopProcess, tempDirs } from './processes.js';
import { CORES, PFORTE, ROOT } from './settings.js';
import { directoryUsers, makeUsers, provision, provisionDirectoryUsers } from './users.js';

/** @typedef {import('./types.js').Bench} Bench */
/** @typedef {import('./types.js').Settings} Settings */
/** @typedef {import('./types.js').Proc} Proc */

/**
 * The server's environment: only what the bench sets, nothing from a PFORTE_* the
 * caller has.
 * @param {string} dataDir
 */
export function serverEnv(dataDir) {
  const baseEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('PFORTE_')),
  );
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...baseEnv,
    PFORTE_DATA_DIR: dataDir,
    PFORTE_LOG_LEVEL: 'warn',
    // The per-address request limit stays on, but far above the load.
    PFORTE_RATE_LIMIT_PER_MINUTE: '10000000',
    // Back-off stays on too; no request of the bench should fail, but a stray one
    // (a request cut off at the end of a run) must not throttle the next run.
    PFORTE_BACKOFF_USER_FREE_FAILURES: '1000',
    PFORTE_BACKOFF_USER_TOTAL_FREE_FAILURES: '100000',
    PFORTE_BACKOFF_ADDRESS_FREE_FAILURES: '100000',
  };
  return { baseEnv, env };
}

/** The directory users' passwords live in a local slapd. @param {number} count */
function directoryPeople(count) {
  return Array.from({ length: count }, (_, i) => {
    const uid = `ldap-${String(i).padStart(5, '0')}`;
    return {
      uid,
      password: `bench password ${uid}`,
      name: uid,
      mail: `${uid}@bench.example.org`,
    };
  });
}

/** The most service connections a directory may hold, as the server's schema says. */
const MAX_DIRECTORY_POOL = ConfigSchema.properties.directories.items.properties.poolSize.maximum;

/**
 * One service connection per bench connection, up to the schema's maximum: with more
 * connections than that, searches wait for a free one, as they would in production.
 * @param {Settings} settings
 * @param {string} ldapUrl
 */
function directoriesEnv(settings, ldapUrl) {
  return JSON.stringify([
    {
      name: 'bench',
      urls: [ldapUrl],
      bindDn: SERVICE_DN,
      bindPassword: SERVICE_PASSWORD,
      baseDn: 'ou=people,dc=example,dc=test',
      userFilter: '(uid={username})',
      poolSize: Math.min(settings.connections, MAX_DIRECTORY_POOL),
    },
  ]);
}

/**
 * @param {Settings} settings
 * @param {import('./types.js').Pinning | undefined} pinning
 * @param {string} dataDir
 */
function printPlan(settings, pinning, dataDir) {
  console.log(`Pforte bench: ${machine(CORES)}`);
  console.log(
    `  ${settings.connections} connections, ${settings.duration} s per run after ` +
      `${settings.warmup} s warm-up; ` +
      `${settings.otpUsers} OTP-only users, ${settings.passwordUsers} password users, ` +
      `${settings.enrollUsers} enrollments; SQLite in ${dataDir}`,
  );
  console.log(
    pinning
      ? `  load generator on CPU ${pinning.client}, servers on CPU ${pinning.servers} ` +
          `(all CPUs for the password run)`
      : '  no CPU pinning (needs Linux, taskset and 2 or more CPUs; BENCH_PIN=0 turns it off)',
  );
}

/**
 * An API key made with the CLI, as an administrator would before the server starts.
 * @param {string} name
 * @param {string} scope
 * @param {NodeJS.ProcessEnv} env
 */
export async function createKey(name, scope, env) {
  // Only `pforte migrate` (or a server start) makes the schema; other commands just check.
  await pforteCli(['migrate'], env);
  const out = await pforteCli(['apikey', 'create', name, '--scope', scope, '--json'], env);
  return /** @type {string} */ (JSON.parse(out).key);
}

/**
 * `pforte serve` on loopback, on a port the system picks; on `cpus` when pinning, and
 * writing a V8 CPU profile when asked (BENCH_CPU_PROF).
 * @param {string} name
 * @param {Settings} settings
 * @param {NodeJS.ProcessEnv} env
 * @param {number[] | undefined} cpus
 */
export function startPforte(name, settings, env, cpus) {
  const args = [
    ...(settings.cpuProfileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(settings.cpuProfileDir)}`]
      : []),
    PFORTE,
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
  ];
  return startProcess(name, args, env, /Pforte listening on (http:\/\/[^\s"]+)/, cpus);
}

/**
 * The Pforte server and the bare Fastify route, both on the servers' CPUs.
 * @param {Settings} settings
 * @param {NodeJS.ProcessEnv} env
 * @param {number[] | undefined} cpus
 * @param {Proc[]} processes every process started goes here, to be stopped
 */
async function startServers(settings, env, cpus, processes) {
  const started = await Promise.allSettled([
    startPforte('pforte serve', settings, env, cpus),
    startProcess(
      'bare Fastify',
      [path.join(ROOT, 'bench', 'bare-server.js')],
      env,
      /listening on (http:\/\/\S+)/,
      cpus,
    ),
  ]);
  for (const outcome of started) if (outcome.status === 'fulfilled') processes.push(outcome.value);
  for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
  const [server, bare] = /** @type {[Proc, Proc]} */ (processes);
  console.log(`  Pforte at ${server.url} (pid ${server.pid}), bare Fastify at ${bare.url}`);
  return { server, bare };
}

/**
 * Makes the shared setup; `cleanup` is filled as it goes, so that a failure half-way
 * still stops what was started.
 * @param {Settings} settings
 * @param {{ bench?: Partial<Bench>, dataDir?: string }} cleanup
 * @returns {Promise<Bench>}
 */
export async function startBench(settings, cleanup) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pforte-bench-'));
  tempDirs.add(dataDir);
  /** @type {Proc[]} */
  const processes = [];
  /** @type {Partial<Bench>} */
  const partial = { processes };
  cleanup.bench = partial;
  cleanup.dataDir = dataDir;
  const pinning = planPinning(settings.pin);
  const { baseEnv, env } = serverEnv(dataDir);
  const people = directoryPeople(settings.passwordUsers);
  const ldap = (partial.ldap = await startSlapd(people));
  env.PFORTE_DIRECTORIES = directoriesEnv(settings, ldap.url);
  const radius = await radiusSetup();
  Object.assign(env, radiusEnv(radius));
  env.PFORTE_OIDC_CLIENTS = oidcClientsEnv();
  printPlan(settings, pinning, dataDir);

  const adminKey = await createKey('bench-admin', 'admin', env);
  const serviceKey = await createKey('bench-service', 'validate', env);
  const { server, bare } = await startServers(settings, env, pinning?.servers, processes);
  const idleKb = {
    server: procStatusKb(server.pid, 'VmRSS'),
    bare: procStatusKb(bare.pid, 'VmRSS'),
  };

  const users = {
    otp: makeUsers('otp', settings.otpUsers, false),
    password: makeUsers('pwd', settings.passwordUsers, true),
    portal: makeUsers('web', settings.passwordUsers, true),
    directory: directoryUsers(people),
    radius: makeUsers('rad', settings.otpUsers, false),
    radiusPassword: makeUsers('radpwd', settings.passwordUsers, true),
    // One at least per sign-in in flight: a user's codes are never decided at once.
    oidc: makeUsers(
      'oidc',
      Math.max(settings.passwordUsers, FLOW_WORKERS_PER_CONNECTION * settings.connections),
      true,
    ),
  };
  const provisioning = performance.now();
  const { directory, ...local } = users;
  await provision(server.url, adminKey, Object.values(local).flat());
  await provisionDirectoryUsers(server.url, adminKey, directory);
  const provisioningPeakKb = procStatusKb(server.pid, 'VmHWM');
  console.log(
    `  ${Object.values(users).flat().length} users with HOTP tokens created in ` +
      `${fmt((performance.now() - provisioning) / 1000, 1)} s`,
  );
  const bench = {
    settings,
    cores: CORES,
    pinning,
    baseEnv,
    dataDir,
    processes,
    server,
    bare,
    ldap,
    people,
    serviceKey,
    adminKey,
    radius,
    users,
    idleKb,
    provisioningPeakKb,
    smtp: undefined,
  };
  cleanup.bench = bench;
  return bench;
}

/**
 * Stops everything the setup and the scenarios started, and removes the data folder.
 * @param {{ bench?: Partial<Bench>, dataDir?: string }} cleanup
 */
export async function closeBench({ bench, dataDir }) {
  await bench?.ldap?.close();
  await Promise.all((bench?.processes ?? []).map(stopProcess));
  killAll();
  await bench?.smtp?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
