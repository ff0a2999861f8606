// @ts-check
// The console's lists with BENCH_CONSOLE_USERS users (50,000) and BENCH_CONSOLE_EVENTS
// audit events (1,000,000), and again with 50 users and 1,000 events: p50/p99 per page,
// one request at a time from an administrator signed in through the portal, beside the
// bare Fastify route asked the same way. The pages: the users' first page, a prefix
// search, a page a few `rel="next"` links deep, the audit log's first page, a later one,
// the sign-ins only, and an action it holds none of. Each page's queries are also checked on the database (plans
// and rows walked, lib/console-plans.js): no page may read more than one page of rows.
import { performance } from 'node:perf_hooks';
import { readPlans } from '../lib/console-plans.js';
import { fmt } from '../lib/format.js';
import { plainRow, targetRow } from '../lib/targets.js';
import { startConsoleServer } from '../lib/console-server.js';

/** @typedef {import('../lib/types.js').Bench} Bench */
/** @typedef {import('../lib/console-plans.js').PageReading} PageReading */
/** @typedef {{ p50: number, p99: number, count: number }} Latency */
/** @typedef {{ users: number, events: number, seedSeconds: number, pages: Record<string, Latency>, readings: Record<string, PageReading> }} SizeRun */

/** The console's page size (src/http/console/user-list.ts, audit.ts). */
const PAGE_SIZE = 50;
/** How many `rel="next"` links deep the later pages are (at most). */
const DEPTH = 5;
/** A name's first letters, as a help-desk operator types them. */
const SEARCH = 'emma';

/**
 * Times `request` one at a time for `seconds` (at least 20 requests).
 * @param {() => Promise<void>} request
 * @param {number} seconds
 * @returns {Promise<Latency>}
 */
async function timeRequests(request, seconds) {
  /** @type {number[]} */
  const times = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end || times.length < 20) {
    const began = performance.now();
    await request();
    times.push(performance.now() - began);
  }
  times.sort((a, b) => a - b);
  /** @param {number} q */
  const at = (q) =>
    /** @type {number} */ (times[Math.min(times.length - 1, Math.floor(q * times.length))]);
  return { p50: at(0.5), p99: at(0.99), count: times.length };
}

/** Seconds per page: the run's duration spread over the pages of both sizes. @param {Bench} bench */
const perPage = (bench) => Math.max(0.5, bench.settings.duration / 4);

/**
 * The URL of the page DEPTH `rel="next"` links after `first`, or of the last page where
 * there are fewer (the 50 users fill two pages).
 * @param {(url: string) => Promise<string>} get
 * @param {string} first
 */
async function followNext(get, first) {
  let url = first;
  for (let i = 0; i < DEPTH; i++) {
    const match = /<a href="([^"]+)" rel="next">/.exec(await get(url));
    if (!match) break;
    url = /** @type {string} */ (match[1]).replaceAll('&amp;', '&');
  }
  return url;
}

/** @param {string} url */
const cursorOf = (url) => new URL(url, 'http://x').searchParams.get('cursor') ?? undefined;

/**
 * One size: a fresh server over seeded data, each page timed and its queries read.
 * @param {Bench} bench
 * @param {number} users
 * @param {number} events
 * @returns {Promise<SizeRun>}
 */
async function measureSize(bench, users, events) {
  const server = await startConsoleServer(bench, users, events);
  try {
    const later = await followNext(server.get, '/admin/users');
    const laterAudit = await followNext(server.get, '/admin/audit');
    /** @type {Record<string, [string, import('../lib/console-plans.js').PageQuery]>} */
    const pages = {
      'users, first page': ['/admin/users', { list: 'users' }],
      [`users, search "${SEARCH}"`]: [`/admin/users?q=${SEARCH}`, { list: 'users', q: SEARCH }],
      [`users, page ${DEPTH + 1}`]: [later, { list: 'users', cursor: cursorOf(later) }],
      'audit, first page': ['/admin/audit', { list: 'audit' }],
      [`audit, page ${DEPTH + 1}`]: [laterAudit, { list: 'audit', cursor: cursorOf(laterAudit) }],
      'audit, sign-ins only': ['/admin/audit?action=signin', { list: 'audit', action: 'signin' }],
      // An action the log holds none of: what a help desk looking for unlocks meets.
      'audit, unlocks only': [
        '/admin/audit?action=token.unlock',
        { list: 'audit', action: 'token.unlock' },
      ],
    };
    process.stdout.write(`  console lists, ${fmt(users)} users, ${fmt(events)} events: `);
    /** @type {Record<string, Latency>} */
    const timed = {};
    for (const [name, [url]] of Object.entries(pages)) {
      timed[name] = await timeRequests(() => server.get(url).then(() => undefined), perPage(bench));
      process.stdout.write('.');
    }
    console.log(' done');
    const readings = await readPlans(
      server.dataDir,
      Object.fromEntries(Object.entries(pages).map(([name, [, query]]) => [name, query])),
      PAGE_SIZE,
    );
    return { users, events, seedSeconds: server.seedSeconds, pages: timed, readings };
  } finally {
    await server.close();
  }
}

/** @type {import('../lib/types.js').Scenario<{ small: SizeRun, large: SizeRun }, Latency>} */
export const consoleLists = {
  name: 'console lists',
  cpus: 'split',
  yardstick: {
    name: 'bare Fastify route, one request at a time',
    measure: (bench) =>
      timeRequests(async () => {
        const response = await globalThis.fetch(`${bench.bare.url}/api/v1/validate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        await response.text();
      }, perPage(bench)),
  },
  async run(bench) {
    const small = await measureSize(bench, 50, 1000);
    const large = await measureSize(
      bench,
      bench.settings.consoleUsers,
      bench.settings.consoleEvents,
    );
    return { small, large };
  },
  // The slowest page with many rows against itself with few: a list that reads one page
  // costs the same, whatever the table holds.
  target: { bound: '<', value: 2 },
  rows({ run: { small, large }, yardstick: bare }) {
    // Pages that show as many rows with few users as with many (the 50 users' later page
    // is short, and cheaper for it).
    const alike = Object.keys(large.pages).filter(
      (name) => large.readings[name]?.returned === small.readings[name]?.returned,
    );
    const worst = Math.max(
      ...alike.map((name) => (large.pages[name]?.p50 ?? NaN) / (small.pages[name]?.p50 ?? NaN)),
    );
    return [
      plainRow(
        'Bare Fastify route, one request at a time',
        `p50 ${fmt(bare.p50, 2)} ms, p99 ${fmt(bare.p99, 2)} ms`,
      ),
      ...Object.entries(large.pages).map(([name, latency]) => {
        const few = /** @type {Latency} */ (small.pages[name]);
        const walked = large.readings[name]?.walked ?? NaN;
        return plainRow(
          `Console ${name} (${fmt(large.users)} users, ${fmt(large.events)} events)`,
          `p50 ${fmt(latency.p50, 1)} ms, p99 ${fmt(latency.p99, 1)} ms; ` +
            `÷ bare p50 ${fmt(latency.p50 / bare.p50, 1)}; ` +
            `${fmt(small.users)} users: p50 ${fmt(few.p50, 1)} ms, p99 ${fmt(few.p99, 1)} ms; ` +
            `${fmt(walked)} rows read`,
        );
      }),
      targetRow('Slowest console page, many rows ÷ few (p50, pages as long)', worst, this.target),
    ];
  },
  notes({ run: { large } }) {
    return [
      `Console data written in ${fmt(large.seedSeconds, 1)} s (${fmt(large.users)} users, ` +
        `${fmt(large.events)} sealed audit events).`,
      ...Object.entries(large.readings).map(
        ([name, reading]) => `  plan of "${name}": ${reading.plan.join(' | ')}`,
      ),
    ];
  },
  // A page that sorts its matches or walks more than a page measured something else.
  problems({ run: { small, large } }) {
    return [...Object.values(large.readings), ...Object.values(small.readings)].flatMap(
      (reading) => reading.problems,
    );
  },
};
