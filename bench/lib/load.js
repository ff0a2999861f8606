// @ts-check
// Load runs with autocannon: a warm-up, then a measured run, the server watched.
import autocannon from 'autocannon';
import { fmt } from './format.js';
import { assertRunning } from './processes.js';
import { watch } from './proc-stats.js';

/** @typedef {import('./types.js').Answers} Answers */
/** @typedef {import('./types.js').LoadRun} LoadRun */

/**
 * Where and what to send: the validate endpoint with a key, or the portal's form with
 * its CSRF cookie.
 * @typedef {object} LoadOptions
 * @property {string} base
 * @property {string} [key]
 * @property {{ cookie: string }} [portal]
 * @property {import('autocannon').Request} request
 */

/**
 * A response header from autocannon: an object, or a flat [name, value, …] list.
 * @param {unknown} headers
 * @param {string} name
 */
function headerValue(headers, name) {
  if (!Array.isArray(headers)) {
    return /** @type {Record<string, string> | undefined} */ (headers)?.[name];
  }
  for (let i = 0; i < headers.length; i += 2) {
    if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
  }
  return undefined;
}

/**
 * @param {LoadOptions & { seconds: number, connections: number }} options
 */
async function load({ base, key, request, seconds, portal, connections }) {
  /** @type {Answers} */
  const answers = { accept: 0, reject: 0, other: 0, samples: [] };
  /** @type {NonNullable<import('autocannon').Request['onResponse']>} */
  const onResponse = (status, body, _context, headers) => {
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
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 30,
    requests: [{ ...request, onResponse }],
  });
  /** @type {number[]} */
  const ticks = [];
  instance.on('tick', ({ counter }) => ticks.push(counter));
  const result = await instance;
  // Whole seconds only: the last tick is the moment of stopping.
  return { result, answers, ticks: ticks.slice(0, seconds) };
}

/**
 * A warm-up, then the measured run against `target`, watched from /proc.
 * @param {string} label
 * @param {import('./types.js').Proc} target
 * @param {import('./types.js').Settings} settings
 * @param {LoadOptions} options
 * @returns {Promise<LoadRun>}
 */
export async function measure(label, target, settings, options) {
  const { warmup, duration, connections } = settings;
  const watcher = watch(target.pid);
  if (warmup > 0) {
    process.stdout.write(`  ${label}: warming up ${warmup} s … `);
    await load({ ...options, seconds: warmup, connections });
    assertRunning(target);
  } else {
    process.stdout.write(`  ${label}: `);
  }
  process.stdout.write(`measuring ${duration} s … `);
  watcher.start();
  const { result, answers, ticks } = await load({ ...options, seconds: duration, connections });
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

/**
 * A load run's shape, for the runner that collects the rows of the load table.
 * @param {unknown} value
 * @returns {value is LoadRun}
 */
export function isLoadRun(value) {
  return typeof value === 'object' && value !== null && 'answers' in value && 'p50' in value;
}
