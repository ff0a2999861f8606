// `npm run bench`: how fast is a real Pforte server, measured against yardsticks run
// on the same machine in the same run.
//
//   1. OTP validations per second (POST /api/v1/validate, passcode only, HOTP codes
//      that are always fresh) against a bare Fastify JSON route: ratio, target ≥ 0.4.
//   2. Password + passcode sign-ins per second against the raw argon2id verify rate
//      with as many verifies in parallel as there are cores: ratio, target ≥ 0.8.
//   2b. Portal sign-ins per second (the sign-in form posted with its CSRF token, password
//      and passcode; answered with a new session) against the same raw rate: target ≥ 0.7.
//   2c. Directory sign-ins per second (users from a local OpenLDAP slapd: search, bind as
//      the user, passcode) against raw ldapts binds per second (a new connection, one
//      bind, as the sign-in makes) with as many in parallel: ratio, target ≥ 0.8.
//   3. The server's peak resident memory (VmHWM) under that load: target < 200 MB.
//   4. Bulk enrollment of BENCH_ENROLL_USERS users (POST /api/v1/enrollments/bulk) to a
//      loopback SMTP server, on a fresh server and data folder, in mails per second
//      against nodemailer's own pooled send rate of messages of about the same size
//      to the same SMTP server: ratio, target ≥ 0.5; and the server's peak memory.
//
// Everything runs on 127.0.0.1 with ports picked by the system, in a fresh temporary
// data folder (SQLite), for a bounded time; every child process is stopped at the end,
// also when something fails.
//
// On Linux with taskset, the load generator (this process) runs on the first CPU and
// the servers on the others while requests/s are compared: a tightly coupled client
// and server otherwise often share one core, and the bare route then measured anywhere
// between 40 % and 100 % of what it does. For the password run every process gets
// every CPU again, as argon2 needs them all.
//
// Settings (environment): BENCH_DURATION (seconds per run, 10), BENCH_WARMUP (seconds,
// 2), BENCH_CONNECTIONS (10), BENCH_USERS (500), BENCH_PASSWORD_USERS (50),
// BENCH_ENROLL_USERS (10000), BENCH_PIN (0: no CPU pinning), BENCH_CPU_PROF (a folder: the server writes a V8 CPU profile
// there when it stops).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { Client as LdapClient } from 'ldapts';
import nodemailer from 'nodemailer';
import { HOTP, Secret } from 'otpauth';
import { SMTPServer } from 'smtp-server';
import { SERVICE_DN, SERVICE_PASSWORD, startSlapd } from '../scripts/lib/slapd.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PFORTE = path.join(ROOT, 'bin', 'pforte.js');

const DURATION = setting('BENCH_DURATION', 10, 1);
const WARMUP = setting('BENCH_WARMUP', 2, 0);
const CONNECTIONS = setting('BENCH_CONNECTIONS', 10, 1);
const OTP_USERS = setting('BENCH_USERS', 500, 1);
const PASSWORD_USERS = setting('BENCH_PASSWORD_USERS', 50, 1);
const ENROLL_USERS = setting('BENCH_ENROLL_USERS', 10_000, 1);
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF || undefined;
const PIN = process.env.BENCH_PIN !== '0';
const CORES = os.availableParallelism();
if (OTP_USERS < CONNECTIONS || PASSWORD_USERS < CONNECTIONS) {
  // Fewer users than connections would send one user's codes in parallel, and the
  // later code accepted first makes the earlier one a replay.
  usageError('BENCH_USERS and BENCH_PASSWORD_USERS must be at least BENCH_CONNECTIONS');
}

const TARGETS = {
  otpRatio: 0.4,
  passwordRatio: 0.8,
  portalRatio: 0.7,
  directoryRatio: 0.8,
  memoryMB: 200,
  enrollRatio: 0.5,
};

function setting(name, fallback, minimum) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) {
    usageError(`${name} must be a whole number of at least ${minimum}`);
  }
  return value;
}

function usageError(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------
// Child processes: started with node itself (so the pid is the server's own), their
// output drained (a full pipe would stall them), and always stopped.

const children = new Set();

function startProcess(name, args, env, ready, cpus) {
  // taskset executes node in its own place, so the pid is still the server's.
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
  const log = [];
  const remember = (chunk) => {
    log.push(...String(chunk).split('\n').filter(Boolean));
    if (log.length > 40) log.splice(0, log.length - 40);
  };
  child.stderr.on('data', remember);
  const proc = { name, child, url: '', log };
  return new Promise((resolve, reject) => {
    let started = false;
    let seen = '';
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
        proc.url = match[1];
        resolve(proc);
      }
    });
  });
}

function assertRunning(proc) {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(
      `${proc.name} died (${child.signalCode ?? child.exitCode})\n  ${proc.log.join('\n  ')}`,
    );
  }
}

async function stopProcess(proc) {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

const tempDirs = new Set();

function killAll() {
  for (const child of children) child.kill('SIGKILL');
}
process.on('exit', () => {
  killAll();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

const execFileAsync = promisify(execFile);

async function pforteCli(args, env) {
  try {
    const { stdout } = await execFileAsync(process.execPath, [PFORTE, ...args], { cwd: ROOT, env });
    return stdout;
  } catch (error) {
    throw new Error(`pforte ${args.join(' ')} failed: ${error.stderr || error.message}`);
  }
}

// ---------------------------------------------------------------------------------
// CPU pinning with taskset (util-linux), when there is more than one CPU to pin to.

function cpuList(text) {
  return text.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

/** { client: [cpu], servers: [cpus…], all: [cpus…] }, or undefined when not pinning. */
function planPinning() {
  if (!PIN) return undefined;
  try {
    const out = execFileSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' });
    const all = cpuList(out.slice(out.lastIndexOf(':') + 1).trim());
    if (all.length < 2 || all.some((cpu) => !Number.isInteger(cpu))) return undefined;
    return { client: all.slice(0, 1), servers: all.slice(1), all };
  } catch {
    return undefined;
  }
}

/** Pins every thread of a process to `cpus`. */
function pin(pid, cpus) {
  execFileSync('taskset', ['-a', '-pc', cpus.join(','), String(pid)], { stdio: 'ignore' });
}

// ---------------------------------------------------------------------------------
// What the server process uses, from /proc (Linux; elsewhere the numbers are n/a).

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function procStatusKb(pid, field) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** Seconds of CPU (user + system) the process has used so far. */
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

/** Starts VmHWM (the peak of VmRSS) afresh; false when the system does not let us. */
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
 */
function watch(pid) {
  const peakWasReset = resetPeak(pid);
  let sampledKb = procStatusKb(pid, 'VmRSS');
  const timer = setInterval(() => {
    sampledKb = Math.max(sampledKb, procStatusKb(pid, 'VmRSS'));
  }, 100).unref();
  let cpu;
  return {
    /** The CPU share is measured from here on (after the warm-up). */
    start() {
      cpu = { server: cpuSeconds(pid), client: process.cpuUsage(), at: performance.now() };
    },
    stop() {
      clearInterval(timer);
      const seconds = (performance.now() - cpu.at) / 1000;
      const client = process.cpuUsage(cpu.client);
      return {
        serverCpu: (cpuSeconds(pid) - cpu.server) / seconds,
        clientCpu: (client.user + client.system) / 1e6 / seconds,
        peakRssKb: peakWasReset
          ? procStatusKb(pid, 'VmHWM')
          : Math.max(sampledKb, procStatusKb(pid, 'VmRSS')),
      };
    },
  };
}

// ---------------------------------------------------------------------------------
// Data: users with HOTP tokens whose counters the bench tracks, so that every request
// carries the next valid code (never a replay; reordering stays within the look-ahead).

function makeUsers(prefix, count, withPassword) {
  return Array.from({ length: count }, (_, i) => {
    const username = `${prefix}-${String(i).padStart(5, '0')}`;
    return {
      username,
      secret: new Secret({ size: 20 }),
      counter: 0,
      ...(withPassword ? { password: `bench password ${username}` } : {}),
    };
  });
}

async function api(base, key, method, pathname, body) {
  const response = await globalThis.fetch(`${base}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function inParallel(items, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function provision(base, adminKey, users) {
  await inParallel(users, 8, async (user) => {
    await api(base, adminKey, 'POST', '/api/v1/users', {
      username: user.username,
      email: `${user.username}@bench.example.org`,
      ...(user.password ? { password: user.password } : {}),
    });
    await addHotpToken(base, adminKey, user);
  });
}

/** A HOTP token with the user's secret; the bench counts codes on from its counter. */
async function addHotpToken(base, adminKey, user) {
  const token = await api(base, adminKey, 'POST', '/api/v1/tokens', {
    username: user.username,
    secret: user.secret.base32,
    type: 'hotp',
  });
  user.counter = token.counter ?? 0;
}

/** An autocannon setupRequest: the next user, round-robin, with their next code. */
function signInBodies(users, withPassword) {
  let next = 0;
  return (request) => {
    const user = users[next++ % users.length];
    const otp = HOTP.generate({ secret: user.secret, counter: user.counter++ });
    const body = withPassword
      ? { username: user.username, password: user.password, otp }
      : { username: user.username, otp };
    return { ...request, body: JSON.stringify(body) };
  };
}

/** Directory users: their enrollment takes them in from the directory; then a token. */
async function provisionDirectoryUsers(base, adminKey, users) {
  await inParallel(users, 8, async (user) => {
    await api(base, adminKey, 'POST', '/api/v1/enrollments', {
      username: user.username,
      sendMail: false,
    });
    await addHotpToken(base, adminKey, user);
  });
}

/** ldapts alone: a new connection and one bind as a user, `concurrency` at a time. */
async function rawLdapBinds(url, people, seconds, concurrency) {
  process.stdout.write(`  raw ldapts bind, ${concurrency} in parallel: measuring ${seconds} s … `);
  let binds = 0;
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const person = people[next++ % people.length];
      const client = new LdapClient({ url });
      await client.bind(`uid=${person.uid},ou=people,dc=example,dc=test`, person.password);
      await client.unbind();
      binds++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const perSecond = binds / ((performance.now() - started) / 1000);
  console.log(`${fmt(perSecond, 1)} binds/s`);
  return { perSecond };
}

/** An autocannon setupRequest for the portal's form: the next user, their next code. */
function portalBodies(users, csrfToken) {
  let next = 0;
  return (request) => {
    const user = users[next++ % users.length];
    const otp = HOTP.generate({ secret: user.secret, counter: user.counter++ });
    const form = { _csrf: csrfToken, username: user.username, otp, password: user.password };
    return { ...request, body: new globalThis.URLSearchParams(form).toString() };
  };
}

/** The CSRF cookie and form token a browser gets with the sign-in page (reusable). */
async function portalForm(base) {
  const response = await globalThis.fetch(`${base}/login`);
  const cookie = response.headers.getSetCookie().find((c) => c.includes('pforte-csrf='));
  const token = /name="_csrf" value="([^"]+)"/.exec(await response.text())?.[1];
  if (!cookie || !token) throw new Error('the sign-in page has no CSRF cookie or token');
  return { cookie: cookie.split(';')[0], token };
}

/** A response header from autocannon: an object, or a flat [name, value, …] list. */
function headerValue(headers, name) {
  if (!Array.isArray(headers)) return headers?.[name];
  for (let i = 0; i < headers.length; i += 2) {
    if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
  }
  return undefined;
}

/**
 * For the bare route: one body of the same size, made the same way. A fixed body is
 * built once, so the load generator does as little as it can where requests are
 * cheapest (with a fresh body each time, it limits the bare route before the server).
 */
function cannedBody(users) {
  return signInBodies(
    users.map((user) => ({ ...user, counter: 0 })),
    false,
  )({}).body;
}

// ---------------------------------------------------------------------------------
// Load runs.

async function load({ base, key, request, seconds, portal }) {
  const answers = { accept: 0, reject: 0, other: 0, samples: [] };
  const onResponse = (status, body, context, headers) => {
    // The portal answers a sign-in with a redirect to the services page, a failure with 401.
    const accepted = portal
      ? status === 303 && headerValue(headers, 'location') === '/services'
      : body === '{"result":"accept"}';
    const rejected = portal ? status === 401 : body === '{"result":"reject"}';
    if (accepted) answers.accept += 1;
    else if (rejected) answers.reject += 1;
    else {
      answers.other += 1;
      if (answers.samples.length < 3) answers.samples.push(`${status} ${body.slice(0, 200)}`);
    }
  };
  const instance = autocannon({
    url: portal ? `${base}/login` : `${base}/api/v1/validate`,
    method: 'POST',
    headers: portal
      ? { 'content-type': 'application/x-www-form-urlencoded', cookie: portal.cookie }
      : { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
    requests: [{ ...request, onResponse }],
  });
  const ticks = [];
  instance.on('tick', ({ counter }) => ticks.push(counter));
  const result = await instance;
  // Whole seconds only: the last tick is the moment of stopping.
  return { result, answers, ticks: ticks.slice(0, seconds) };
}

async function measure(label, target, options) {
  const watcher = watch(target.child.pid);
  if (WARMUP > 0) {
    process.stdout.write(`  ${label}: warming up ${WARMUP} s … `);
    await load({ ...options, seconds: WARMUP });
    assertRunning(target);
  } else {
    process.stdout.write(`  ${label}: `);
  }
  process.stdout.write(`measuring ${DURATION} s … `);
  watcher.start();
  const { result, answers, ticks } = await load({ ...options, seconds: DURATION });
  const usage = watcher.stop();
  assertRunning(target);
  const answered = answers.accept + answers.reject + answers.other;
  const run = {
    label,
    perSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    accepted: answered > 0 ? answers.accept / answered : NaN,
    answers,
    slowestSecond: Math.min(...ticks),
    fastestSecond: Math.max(...ticks),
    ...usage,
  };
  console.log(`${fmt(run.perSecond, 1)} req/s`);
  if (answers.samples.length > 0)
    console.log(`    unexpected answers: ${answers.samples.join(' | ')}`);
  return run;
}

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

// ---------------------------------------------------------------------------------
// Bulk enrollment: a loopback SMTP server in this process that counts what it receives,
// per recipient (so a message sent twice shows).

async function startSmtpServer() {
  const counts = { messages: 0, bytes: 0, perRecipient: new Map() };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      let bytes = 0;
      stream.on('data', (chunk) => {
        bytes += chunk.length;
      });
      stream.on('end', () => {
        counts.messages += 1;
        counts.bytes += bytes;
        for (const { address } of session.envelope.rcptTo) {
          const key = address.toLowerCase();
          counts.perRecipient.set(key, (counts.perRecipient.get(key) ?? 0) + 1);
        }
        cb();
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Errors of single connections must not end the bench; the counts tell.
  server.on('error', () => {});
  return {
    url: `smtp://127.0.0.1:${server.server.address().port}`,
    counts,
    reset() {
      counts.messages = 0;
      counts.bytes = 0;
      counts.perRecipient.clear();
    },
    /** Recipients that received more than one message. */
    duplicates: () => [...counts.perRecipient.values()].filter((n) => n > 1).length,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** About 3 kB of text and HTML, like an enrollment mail (sizes are compared below). */
function rawMail(i) {
  const link = `http://127.0.0.1/enroll/${randomBytes(24).toString('base64url')}`;
  const paragraph =
    'Your organisation uses Pforte for sign-in with one-time passcodes. Open the link ' +
    'below on this device and follow the steps to add a passcode app or token. ';
  const text = `Hello Employee ${i},\n\n${paragraph.repeat(7)}\n\n${link}\n\n${paragraph}\n`;
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in setup</title></head>` +
    `<body><p>Hello Employee ${i},</p><p>${paragraph.repeat(7)}</p>` +
    `<p><a href="${link}">${link}</a></p><p>${paragraph}</p></body></html>`;
  return {
    from: 'Pforte <pforte@localhost>',
    to: { name: `Employee ${i}`, address: `raw${i}@example.org` },
    subject: 'Set up sign-in with a one-time passcode',
    text,
    html,
  };
}

/** nodemailer's own rate: `count` messages handed to a pooled transport at once. */
async function rawSendRate(smtp, count) {
  process.stdout.write(`  raw nodemailer pooled send, ${count} messages … `);
  smtp.reset();
  const mails = Array.from({ length: count }, (_, i) => rawMail(i));
  // The options go in one object with the URL: as a second argument beside a URL
  // string they are message defaults, and nodemailer then opens one connection per
  // message with no pool (10 000 at once never get their greeting).
  const transport = nodemailer.createTransport({
    url: smtp.url,
    pool: true,
    maxConnections: 5,
    maxMessages: Infinity,
  });
  try {
    const began = performance.now();
    await Promise.all(mails.map((mail) => transport.sendMail(mail)));
    const seconds = (performance.now() - began) / 1000;
    const run = {
      perSecond: count / seconds,
      seconds,
      received: smtp.counts.messages,
      duplicates: smtp.duplicates(),
      bytesPerMail: smtp.counts.bytes / smtp.counts.messages,
    };
    console.log(
      `${fmt(run.perSecond)} mails/s (${fmt(seconds, 1)} s, ` +
        `${fmt(run.bytesPerMail)} bytes per message)`,
    );
    return run;
  } finally {
    transport.close();
  }
}

/** POST with no time limit (fetch gives up on headers after 300 s). */
function postJson(url, key, body) {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const request = http.request(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'content-length': payload.length,
      },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode !== 200) {
          reject(new Error(`POST ${url}: ${response.statusCode} ${text.slice(0, 500)}`));
        } else {
          resolve(JSON.parse(text));
        }
      });
    });
    request.end(payload);
  });
}

/** A fresh server and data folder: POST /api/v1/enrollments/bulk with `count` rows. */
async function bulkEnrollment(baseEnv, smtp, count, processes) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pforte-bench-enroll-'));
  tempDirs.add(dataDir);
  try {
    const env = {
      ...baseEnv,
      PFORTE_DATA_DIR: dataDir,
      PFORTE_SMTP_URL: smtp.url,
      PFORTE_LOG_LEVEL: 'warn',
      PFORTE_PUBLIC_URL: 'http://127.0.0.1',
    };
    const key = JSON.parse(
      await pforteCli(['apikey', 'create', 'bench', '--scope', 'admin', '--json'], env),
    ).key;
    const server = await startProcess(
      'pforte serve (enrollment)',
      [PFORTE, 'serve', '--port', '0', '--host', '127.0.0.1'],
      env,
      /Pforte listening on (http:\/\/[^\s"]+)/,
    );
    processes.push(server);
    try {
      const rows = Array.from({ length: count }, (_, i) => ({
        username: `user${i}`,
        email: `user${i}@example.org`,
        name: `Employee ${i}`,
        lang: 'de',
      }));
      process.stdout.write(`  bulk enrollment, ${count} users (pid ${server.child.pid}) … `);
      smtp.reset();
      const watcher = watch(server.child.pid);
      watcher.start();
      const began = performance.now();
      const summary = await postJson(`${server.url}/api/v1/enrollments/bulk`, key, { rows });
      const seconds = (performance.now() - began) / 1000;
      const usage = watcher.stop();
      assertRunning(server);
      const run = {
        summary,
        seconds,
        perSecond: summary.sent / seconds,
        received: smtp.counts.messages,
        duplicates: smtp.duplicates(),
        bytesPerMail: smtp.counts.bytes / smtp.counts.messages,
        ...usage,
      };
      console.log(
        `${fmt(run.perSecond)} mails/s (${fmt(seconds, 1)} s; sent ${summary.sent}, ` +
          `received ${run.received}, ${fmt(run.bytesPerMail)} bytes per message)`,
      );
      return run;
    } finally {
      await stopProcess(server);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    tempDirs.delete(dataDir);
  }
}

// ---------------------------------------------------------------------------------
// Output.

function fmt(value, digits = 0) {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

const mb = (kb) => (kb * 1024) / 1e6;
/** 10000 → "10 000". */
const spaced = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
const percent = (share) => `${fmt(share * 100)} %`;
const verdict = (ok) => (ok ? 'met' : '**missed**');
/** Two decimals, or three where two would round onto the target. */
const ratio = (value, target) => fmt(value, Math.abs(value - target) < 0.005 ? 3 : 2);

/** A markdown table; columns are right-aligned (numbers) except the first, by default. */
function markdownTable(header, rows, align = header.map((_, i) => (i === 0 ? 'left' : 'right'))) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(align.map((a) => (a === 'left' ? '---' : '---:'))),
    ...rows.map(line),
  ].join('\n');
}

function machine() {
  const cpu = os.cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return `Node ${process.version}, ${os.platform()} ${os.arch()}, ${CORES} cores (${cpu})`;
}

// ---------------------------------------------------------------------------------

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'pforte-bench-'));
  tempDirs.add(dataDir);
  const processes = [];
  const pinning = planPinning();
  let smtp;
  let ldap;
  try {
    // The environment: only what the bench sets, nothing from a PFORTE_* the caller has.
    const baseEnv = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('PFORTE_')),
    );
    const env = { ...baseEnv };
    Object.assign(env, {
      PFORTE_DATA_DIR: dataDir,
      PFORTE_LOG_LEVEL: 'warn',
      // The per-address request limit stays on, but far above the load.
      PFORTE_RATE_LIMIT_PER_MINUTE: '10000000',
      // Back-off stays on too; no request of the bench should fail, but a stray one
      // (a request cut off at the end of a run) must not throttle the next run.
      PFORTE_BACKOFF_USER_FREE_FAILURES: '1000',
      PFORTE_BACKOFF_USER_TOTAL_FREE_FAILURES: '100000',
      PFORTE_BACKOFF_ADDRESS_FREE_FAILURES: '100000',
    });
    // The directory users' passwords live in a local slapd.
    const directoryPeople = Array.from({ length: PASSWORD_USERS }, (_, i) => {
      const uid = `ldap-${String(i).padStart(5, '0')}`;
      return {
        uid,
        password: `bench password ${uid}`,
        name: uid,
        mail: `${uid}@bench.example.org`,
      };
    });
    ldap = await startSlapd(directoryPeople);
    env.PFORTE_DIRECTORIES = JSON.stringify([
      {
        name: 'bench',
        urls: [ldap.url],
        bindDn: SERVICE_DN,
        bindPassword: SERVICE_PASSWORD,
        baseDn: 'ou=people,dc=example,dc=test',
        userFilter: '(uid={username})',
        poolSize: CONNECTIONS,
      },
    ]);

    console.log(`Pforte bench: ${machine()}`);
    console.log(
      `  ${CONNECTIONS} connections, ${DURATION} s per run after ${WARMUP} s warm-up; ` +
        `${OTP_USERS} OTP-only users, ${PASSWORD_USERS} password users, ` +
        `${ENROLL_USERS} enrollments; SQLite in ${dataDir}`,
    );
    console.log(
      pinning
        ? `  load generator on CPU ${pinning.client}, servers on CPU ${pinning.servers} ` +
            `(all CPUs for the password run)`
        : '  no CPU pinning (needs Linux, taskset and 2 or more CPUs; BENCH_PIN=0 turns it off)',
    );

    // API keys with the CLI, before the server starts (as an administrator would).
    const adminKey = JSON.parse(
      await pforteCli(['apikey', 'create', 'bench-admin', '--scope', 'admin', '--json'], env),
    ).key;
    const serviceKey = JSON.parse(
      await pforteCli(['apikey', 'create', 'bench-service', '--scope', 'validate', '--json'], env),
    ).key;

    const serverArgs = [
      ...(CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(CPU_PROFILE_DIR)}`] : []),
      PFORTE,
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
    ];
    const started = await Promise.allSettled([
      startProcess(
        'pforte serve',
        serverArgs,
        env,
        /Pforte listening on (http:\/\/[^\s"]+)/,
        pinning?.servers,
      ),
      startProcess(
        'bare Fastify',
        [path.join(ROOT, 'bench', 'bare-server.js')],
        env,
        /listening on (http:\/\/\S+)/,
        pinning?.servers,
      ),
    ]);
    for (const outcome of started)
      if (outcome.status === 'fulfilled') processes.push(outcome.value);
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    const [server, bare] = processes;
    console.log(`  Pforte at ${server.url} (pid ${server.child.pid}), bare Fastify at ${bare.url}`);
    const idleKb = { server: procStatusKb(server.child.pid, 'VmRSS') };
    idleKb.bare = procStatusKb(bare.child.pid, 'VmRSS');

    // Users and tokens through the REST API: one process start per user would be slow.
    const otpUsers = makeUsers('otp', OTP_USERS, false);
    const passwordUsers = makeUsers('pwd', PASSWORD_USERS, true);
    const portalUsers = makeUsers('web', PASSWORD_USERS, true);
    const provisioning = performance.now();
    await provision(server.url, adminKey, [...otpUsers, ...passwordUsers, ...portalUsers]);
    const directoryUsers = directoryPeople.map((person) => ({
      username: person.uid,
      secret: new Secret({ size: 20 }),
      counter: 0,
      password: person.password,
    }));
    await provisionDirectoryUsers(server.url, adminKey, directoryUsers);
    const provisioningPeakKb = procStatusKb(server.child.pid, 'VmHWM');
    console.log(
      `  ${OTP_USERS + 3 * PASSWORD_USERS} users with HOTP tokens created in ` +
        `${fmt((performance.now() - provisioning) / 1000, 1)} s`,
    );

    if (pinning) pin(process.pid, pinning.client);
    // The bare route gets bodies of the same size, made the same way beforehand.
    const bareRun = await measure('bare Fastify JSON route', bare, {
      base: bare.url,
      key: serviceKey,
      request: { body: cannedBody(otpUsers) },
    });
    const otpRun = await measure('OTP validate (passcode only)', server, {
      base: server.url,
      key: serviceKey,
      request: { setupRequest: signInBodies(otpUsers, false) },
    });

    if (pinning) {
      pin(server.child.pid, pinning.all);
      pin(process.pid, pinning.all);
    }
    // The raw verify rate is measured half before and half after the sign-ins, so that
    // a machine whose speed drifts (shared virtual machines do) is compared fairly.
    const rawBefore = await rawArgon2(DURATION / 2, CORES, 'before');
    const passwordRun = await measure('password + passcode sign-in', server, {
      base: server.url,
      key: serviceKey,
      request: { setupRequest: signInBodies(passwordUsers, true) },
    });
    const form = await portalForm(server.url);
    const portalRun = await measure('portal sign-in (form, CSRF, password, passcode)', server, {
      base: server.url,
      portal: { cookie: form.cookie },
      request: { setupRequest: portalBodies(portalUsers, form.token) },
    });
    const rawAfter = await rawArgon2(DURATION / 2, CORES, 'after');
    const directoryRun = await measure('directory sign-in (LDAP password, passcode)', server, {
      base: server.url,
      key: serviceKey,
      request: { setupRequest: signInBodies(directoryUsers, true) },
    });
    const rawBinds = await rawLdapBinds(ldap.url, directoryPeople, DURATION, CONNECTIONS);
    const raw = {
      perSecond: (rawBefore.verifies + rawAfter.verifies) / (rawBefore.seconds + rawAfter.seconds),
      perCpuSecond:
        (rawBefore.verifies + rawAfter.verifies) / (rawBefore.cpuSeconds + rawAfter.cpuSeconds),
      params: rawAfter.params,
    };

    // Bulk enrollment, on a fresh server (the one above stops first: its memory and
    // CPU are out of the way) with its own data folder, after nodemailer's own rate.
    await stopProcess(server);
    smtp = await startSmtpServer();
    const rawMailRun = await rawSendRate(smtp, ENROLL_USERS);
    const enrollRun = await bulkEnrollment(baseEnv, smtp, ENROLL_USERS, processes);
    const enrollRatio = enrollRun.perSecond / rawMailRun.perSecond;
    const enrollPeakMB = mb(enrollRun.peakRssKb);

    const otpRatio = otpRun.perSecond / bareRun.perSecond;
    const passwordRatio = passwordRun.perSecond / raw.perSecond;
    // The same ratios per CPU-second used: what each request costs, whether or not the
    // server was saturated, and less sensitive to a machine whose speed drifts.
    const perCpu = (run) => run.perSecond / run.serverCpu;
    const otpCpuRatio = perCpu(otpRun) / perCpu(bareRun);
    const passwordCpuRatio = perCpu(passwordRun) / raw.perCpuSecond;
    const portalRatio = portalRun.perSecond / raw.perSecond;
    const portalCpuRatio = perCpu(portalRun) / raw.perCpuSecond;
    const directoryRatio = directoryRun.perSecond / rawBinds.perSecond;
    const peakMB = mb(Math.max(otpRun.peakRssKb, passwordRun.peakRssKb, portalRun.peakRssKb));

    console.log('\nLoad runs (autocannon, same settings for each):\n');
    console.log(
      markdownTable(
        [
          'Run',
          'req/s',
          'p50 ms',
          'p99 ms',
          'requests',
          'non-2xx',
          'errors',
          'accepted',
          'slowest–fastest second',
          'server CPU',
          'bench CPU',
          'peak RSS MB',
        ],
        [bareRun, otpRun, passwordRun, portalRun, directoryRun].map((run) => [
          run.label,
          fmt(run.perSecond, 1),
          fmt(run.p50),
          fmt(run.p99),
          fmt(run.total),
          fmt(run.non2xx),
          fmt(run.errors),
          fmt(run.accepted, 3),
          `${fmt(run.slowestSecond)}–${fmt(run.fastestSecond)}`,
          percent(run.serverCpu),
          percent(run.clientCpu),
          fmt(mb(run.peakRssKb)),
        ]),
      ),
    );
    console.log(
      [
        '',
        'CPU: 100 % = one core busy for the whole measured run; "bench CPU" is the load',
        'generator. Peak RSS: VmHWM of the server from the warm-up to the end of the run.',
        `Resident memory, idle after start: Pforte ${fmt(mb(idleKb.server))} MB, bare ` +
          `Fastify ${fmt(mb(idleKb.bare))} MB.`,
        `Pforte's peak while the users were created (${PASSWORD_USERS} argon2id hashes): ` +
          `${fmt(mb(provisioningPeakKb))} MB.`,
      ].join('\n'),
    );
    for (const run of [bareRun, otpRun]) {
      if (run.serverCpu < 0.9) {
        console.log(
          `note: during "${run.label}" the server used only ${percent(run.serverCpu)} of a ` +
            'core, so its req/s is a lower bound: too few connections (BENCH_CONNECTIONS), ' +
            'or a machine busy with something else or throttled.',
        );
      }
    }

    console.log(`\nSummary (${machine()}; ${CONNECTIONS} connections, ${DURATION} s per run):\n`);
    const check = (value, ok) => (Number.isFinite(value) ? verdict(ok) : 'n/a');
    console.log(
      markdownTable(
        ['Measure', 'Result', 'Target', ''],
        [
          [
            'OTP validations/s (passcode only)',
            `${fmt(otpRun.perSecond)} (p50 ${fmt(otpRun.p50)} ms, p99 ${fmt(otpRun.p99)} ms)`,
            '',
            '',
          ],
          [
            'Bare Fastify JSON route, req/s',
            `${fmt(bareRun.perSecond)} (p50 ${fmt(bareRun.p50)} ms, p99 ${fmt(bareRun.p99)} ms)`,
            '',
            '',
          ],
          [
            '**OTP validations ÷ bare route**',
            `**${ratio(otpRatio, TARGETS.otpRatio)}** (per CPU-second: ${fmt(otpCpuRatio, 2)})`,
            `≥ ${TARGETS.otpRatio}`,
            check(otpRatio, otpRatio >= TARGETS.otpRatio),
          ],
          [
            'Password + passcode sign-ins/s',
            `${fmt(passwordRun.perSecond, 1)} (${fmt(passwordRun.perSecond / CORES, 1)} per core; ` +
              `p50 ${fmt(passwordRun.p50)} ms, p99 ${fmt(passwordRun.p99)} ms)`,
            '',
            '',
          ],
          [
            `Raw argon2id verifies/s (${CORES} in parallel, ${raw.params.replace(/^.*\$/, '')})`,
            `${fmt(raw.perSecond, 1)} (${fmt(raw.perSecond / CORES, 1)} per core)`,
            '',
            '',
          ],
          [
            '**Sign-ins ÷ raw verifies**',
            `**${ratio(passwordRatio, TARGETS.passwordRatio)}** ` +
              `(per CPU-second: ${fmt(passwordCpuRatio, 2)})`,
            `≥ ${TARGETS.passwordRatio}`,
            check(passwordRatio, passwordRatio >= TARGETS.passwordRatio),
          ],
          [
            'Portal sign-ins/s (form post with CSRF, password, passcode)',
            `${fmt(portalRun.perSecond, 1)} (${fmt(portalRun.perSecond / CORES, 1)} per core; ` +
              `p50 ${fmt(portalRun.p50)} ms, p99 ${fmt(portalRun.p99)} ms)`,
            '',
            '',
          ],
          [
            '**Portal sign-ins ÷ raw verifies**',
            `**${ratio(portalRatio, TARGETS.portalRatio)}** ` +
              `(per CPU-second: ${fmt(portalCpuRatio, 2)})`,
            `≥ ${TARGETS.portalRatio}`,
            check(portalRatio, portalRatio >= TARGETS.portalRatio),
          ],
          [
            'Directory sign-ins/s (LDAP search + bind as the user, passcode)',
            `${fmt(directoryRun.perSecond, 1)} (p50 ${fmt(directoryRun.p50)} ms, p99 ${fmt(directoryRun.p99)} ms)`,
            '',
            '',
          ],
          [
            `Raw ldapts binds/s (${CONNECTIONS} in parallel, a new connection each)`,
            `${fmt(rawBinds.perSecond, 1)}`,
            '',
            '',
          ],
          [
            '**Directory sign-ins ÷ raw binds**',
            `**${ratio(directoryRatio, TARGETS.directoryRatio)}**`,
            `≥ ${TARGETS.directoryRatio}`,
            check(directoryRatio, directoryRatio >= TARGETS.directoryRatio),
          ],
          [
            '**Peak server memory under sign-in load (VmHWM)**',
            `**${fmt(peakMB)} MB**`,
            `< ${TARGETS.memoryMB} MB`,
            check(peakMB, peakMB < TARGETS.memoryMB),
          ],
          [
            `Bulk enrollment, ${spaced(ENROLL_USERS)} users`,
            `${fmt(enrollRun.perSecond)} mails/s (${fmt(enrollRun.seconds, 1)} s for the ` +
              `request; sent ${enrollRun.summary.sent}, SMTP received ${enrollRun.received}, ` +
              `${enrollRun.duplicates} twice; ${fmt(enrollRun.bytesPerMail)} bytes per mail)`,
            '',
            '',
          ],
          [
            'Raw nodemailer send rate (pooled, 5 connections)',
            `${fmt(rawMailRun.perSecond)} mails/s (${fmt(rawMailRun.seconds, 1)} s; ` +
              `${fmt(rawMailRun.bytesPerMail)} bytes per mail)`,
            '',
            '',
          ],
          [
            '**Bulk enrollment ÷ raw send rate**',
            `**${ratio(enrollRatio, TARGETS.enrollRatio)}**`,
            `≥ ${TARGETS.enrollRatio}`,
            check(enrollRatio, enrollRatio >= TARGETS.enrollRatio),
          ],
          [
            '**Peak server memory during bulk enrollment (VmHWM)**',
            `**${fmt(enrollPeakMB)} MB**`,
            '',
            '',
          ],
        ],
        ['left', 'left', 'left', 'left'],
      ),
    );

    // A run whose requests were not accepted measured something else: say so.
    const broken = [otpRun, passwordRun, portalRun, directoryRun].filter(
      (run) => !(run.accepted >= 0.99) || run.errors,
    );
    for (const run of broken) {
      console.error(
        `\nwarning: ${run.label}: only ${fmt(run.accepted, 3)} of the answers were accept ` +
          `(${run.answers.reject} reject, ${run.answers.other} other, ${run.errors} errors); ` +
          'the numbers above do not measure sign-ins.',
      );
    }
    if (broken.length > 0) process.exitCode = 1;

    // Every mail handed over once: a bulk run that lost or doubled mail measured
    // something else.
    const s = enrollRun.summary;
    const mailProblems = [
      s.sent !== ENROLL_USERS && `sent ${s.sent} of ${ENROLL_USERS}`,
      s.stored !== 0 && `${s.stored} stored in the outbox`,
      s.skipped.length > 0 && `${s.skipped.length} skipped (${s.skipped[0].reason})`,
      s.failed.length > 0 && `${s.failed.length} failed (${s.failed[0].reason})`,
      enrollRun.received !== ENROLL_USERS &&
        `the SMTP server received ${enrollRun.received} messages`,
      enrollRun.duplicates > 0 && `${enrollRun.duplicates} recipients got more than one`,
      rawMailRun.received !== ENROLL_USERS &&
        `the raw nodemailer run delivered ${rawMailRun.received} messages`,
    ].filter(Boolean);
    if (mailProblems.length > 0) {
      console.error(`\nwarning: bulk enrollment: ${mailProblems.join('; ')}.`);
      process.exitCode = 1;
    }
  } finally {
    await ldap?.close();
    await Promise.all(processes.map(stopProcess));
    killAll();
    await smtp?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  console.error(`\nbench failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
}
