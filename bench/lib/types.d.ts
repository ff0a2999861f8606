// The shapes the bench harness passes around. Types only: the harness is JavaScript
// (Node runs it as it is), checked by `tsc --noEmit -p bench` through these names.
import type { ChildProcess } from 'node:child_process';
import type { Secret } from 'otpauth';
import type { Person, TestDirectory } from '../../scripts/lib/slapd.js';

export type { Person };

/** The environment settings (BENCH_*), read once. */
export interface Settings {
  /** Seconds per measured run. */
  duration: number;
  warmup: number;
  connections: number;
  otpUsers: number;
  passwordUsers: number;
  enrollUsers: number;
  /** Users and audit events the console's lists are measured with. */
  consoleUsers: number;
  consoleEvents: number;
  /** A folder for the server's V8 CPU profile, or undefined. */
  cpuProfileDir: string | undefined;
  pin: boolean;
  /** Names of the scenarios to run (BENCH_ONLY); empty: all of them. */
  only: string[];
  /** A PostgreSQL server the bench may create a database on (BENCH_POSTGRES_URL), or undefined. */
  postgresUrl: string | undefined;
}

/** A child process of the bench: started with node, its output drained. */
export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  url: string;
  /** Its last lines of output, for the message when it fails. */
  log: string[];
}

export interface Pinning {
  client: number[];
  servers: number[];
  all: number[];
}

/** What a process used while a load ran. */
export interface Usage {
  /** Share of one core: CPU seconds per second of the run. */
  serverCpu: number;
  /** CPU seconds (user + system, from /proc/<pid>/stat) over the measured run. */
  serverCpuSeconds: number;
  clientCpu: number;
  peakRssKb: number;
}

export interface Answers {
  accept: number;
  reject: number;
  other: number;
  samples: string[];
}

/** One autocannon run, a row of the load table. */
export interface LoadRun extends Usage {
  label: string;
  perSecond: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  accepted: number;
  answers: Answers;
  slowestSecond: number;
  fastestSecond: number;
  /** When the measured run began, and when the server was idle after it (epoch ms). */
  from: number;
  until: number;
}

/** A user with a HOTP token whose counter the bench tracks. */
export interface BenchUser {
  username: string;
  secret: Secret;
  counter: number;
  password?: string;
}

/** The loopback SMTP server that counts what it receives. */
export interface Smtp {
  url: string;
  counts: { messages: number; bytes: number; perRecipient: Map<string, number> };
  reset(): void;
  duplicates(): number;
  close(): Promise<void>;
}

/** A RADIUS client of the server (PFORTE_RADIUS_CLIENTS), as the bench plays it. */
export interface RadiusClientSetup {
  name: string;
  /** The loopback address the bench sends from: the server tells its clients by it. */
  address: string;
  secret: string;
  mode: 'passcode' | 'password+passcode';
  requestsPerSecond: number;
}

/** The server's RADIUS face: where it listens, and the bench's two clients. */
export interface RadiusSetup {
  host: string;
  port: number;
  passcode: RadiusClientSetup;
  password: RadiusClientSetup;
}

/** What every scenario shares: the servers, the keys, the users (lib/setup.js). */
export interface Bench {
  settings: Settings;
  cores: number;
  pinning: Pinning | undefined;
  /** The caller's environment without any PFORTE_*. */
  baseEnv: NodeJS.ProcessEnv;
  dataDir: string;
  /** Every server started, stopped at the end. */
  processes: Proc[];
  server: Proc;
  bare: Proc;
  ldap: TestDirectory;
  people: Person[];
  serviceKey: string;
  /** An API key with the admin scope, e.g. for the audit log. */
  adminKey: string;
  radius: RadiusSetup;
  users: {
    otp: BenchUser[];
    password: BenchUser[];
    portal: BenchUser[];
    directory: BenchUser[];
    /** Passcode-only users for RADIUS and its REST yardstick. */
    radius: BenchUser[];
    radiusPassword: BenchUser[];
    /** Signed in through the OpenID Connect code flow. */
    oidc: BenchUser[];
  };
  idleKb: { server: number; bare: number };
  provisioningPeakKb: number;
  smtp: Smtp | undefined;
}

/** A row of the summary table: measure, result, target, verdict. */
export type Row = [string, string, string, string];

export interface Outcome<R = unknown, Y = unknown> {
  run: R;
  yardstick: Y;
  bench: Bench;
}

/** A bound the scenario's measure must keep: a ratio ≥ value, memory < value MB, CPU ≤ value ms. */
export interface Target {
  bound: '≥' | '≤' | '<';
  value: number;
  unit?: string;
  /** Decimals of a measure with a unit (0 when not given). */
  digits?: number;
}

/**
 * What a scenario is compared with, measured on the same machine in the same run.
 * `measure` runs before the first scenario that uses it; `finish`, when there is one,
 * after the last (the raw argon2 rate is measured half before and half after, so that
 * a machine whose speed drifts is compared fairly) and returns the whole.
 */
export interface Yardstick<Y = unknown> {
  name: string;
  measure(bench: Bench): Promise<Y>;
  finish?(bench: Bench, first: Y): Promise<Y>;
}

/**
 * One measure of the bench: its run, its yardstick, and the rows it adds to the
 * summary (a Scenario also has its target). `cpus`: the load generator on its own CPU ("split") or every process
 * on every CPU ("all"), when pinning.
 */
export interface Figure<R = unknown, Y = unknown> {
  name: string;
  cpus: 'split' | 'all';
  yardstick: Yardstick<Y> | undefined;
  run(bench: Bench, earlier: Map<string, Outcome>): Promise<R>;
  rows(outcome: Outcome<R, Y>): Row[];
  /** Printed below the load table: what qualifies the numbers. */
  notes?(outcome: Outcome<R, Y>): string[];
  /** What makes the run measure something else: warnings, and the bench fails. */
  problems?(outcome: Outcome<R, Y>): string[];
}

/** A figure with a bound the issues set: its rows say whether it is met. */
export interface Scenario<R = unknown, Y = unknown> extends Figure<R, Y> {
  target: Target;
}
