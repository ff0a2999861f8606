// @ts-check
// Load runs with autocannon: a warm-up, then a measured run, the server watched.
import autocannon from 'autocannon';
import { fmt } from './format.js';
import { assertRunning } from './processes.js';
import { settle, watch } from './proc-stats.js';

/** @typedef {import('./types.js').Answers} Answers */
/** @typedef {import('./types.js').LoadRun} LoadRun */

/**
 * What autocannon sends, and `forgetUnanswered`, called before each run: measureLoad lets
 * the server go idle between runs, so what an earlier run left unanswered is decided.
 * @typedef {import('autocannon').Request & { forgetUnanswered?: () => void }} LoadRequest
 */

/**
 * Where and what to send: the validate endpoint with a key, or the portal's form with
 * its CSRF cookie.
 * @typedef {object} LoadOptions
 * @property {string} base
 * @property {string} [key]
 * @property {{ cookie: string }} [portal]
 * @property {LoadRequest} request
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
  request.forgetUnanswered?.();
  /** @type {NonNullable<import('autocannon').Request['onResponse']>} */
  const onResponse = (status, body, context, headers) => {
    request.onResponse?.(status, body, context, headers);
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
export function measure(label, target, settings, options) {
  const { connections } = settings;
  return measureLoad(label, target, settings, async (seconds) => {
    const { result, answers, ticks } = await load({ ...options, seconds, connections });
    return {
      perSecond: result.requests.average,
      total: result.requests.total,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
      answers,
      ticks,
    };
  });
}

/**
 * What one load generator measured in `seconds`: the answers judged, requests answered
 * per whole second (`ticks`).
 * @typedef {Omit<LoadRun, 'label' | 'accepted' | 'slowestSecond' | 'fastestSecond' |
 *   'from' | 'until' | keyof import('./types.js').Usage> & { ticks: number[] }} Loaded
 */

/**
 * The frame of every load run, whatever generates the load (autocannon here, a RADIUS
 * client in radius.js): a warm-up, then the measured run against `target`, watched
 * from /proc.
 * @param {string} label
 * @param {import('./types.js').Proc} target
 * @param {import('./types.js').Settings} settings
 * @param {(seconds: number) => Promise<Loaded>} run
 * @returns {Promise<LoadRun>}
 */
export async function measureLoad(label, target, settings, run) {
  const { warmup, duration } = settings;
  const watcher = watch(target.pid);
  if (warmup > 0) {
    process.stdout.write(`  ${label}: warming up ${warmup} s … `);
    await run(warmup);
    assertRunning(target);
    await settleAfter('the warm-up', target);
  } else {
    process.stdout.write(`  ${label}: `);
  }
  process.stdout.write(`measuring ${duration} s … `);
  watcher.start();
  const from = Date.now();
  const { ticks, ...measured } = await run(duration);
  const usage = watcher.stop();
  assertRunning(target);
  await settleAfter('the run', target);
  const until = Date.now();
  const { answers } = measured;
  const answered = answers.accept + answers.reject + answers.other;
  /** @type {LoadRun} */
  const loadRun = {
    label,
    ...measured,
    accepted: answered > 0 ? answers.accept / answered : NaN,
    slowestSecond: Math.min(...ticks),
    fastestSecond: Math.max(...ticks),
    ...usage,
    from,
    until,
  };
  console.log(`${fmt(loadRun.perSecond, 1)} req/s`);
  if (answers.samples.length > 0)
    console.log(`    unexpected answers: ${answers.samples.join(' | ')}`);
  return loadRun;
}

/**
 * Waits until `target` has decided what the load generator left in flight, so that no
 * request of one run is decided beside those of the next.
 * @param {string} what
 * @param {import('./types.js').Proc} target
 */
async function settleAfter(what, target) {
  if (!(await settle(target.pid))) process.stdout.write(`(still busy 5 s after ${what}) `);
}

/**
 * A load run's shape, for the runner that collects the rows of the load table.
 * @param {unknown} value
 * @returns {value is LoadRun}
 */
export function isLoadRun(value) {
  return typeof value === 'object' && value !== null && 'answers' in value && 'p50' in value;
}
