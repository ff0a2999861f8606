// @ts-check
// OpenID Connect (issue 16):
//
//   - complete code-flow sign-ins per second (authorize → the portal's form with
//     password and passcode → resume → token → userinfo, a new browser each) beside the
//     portal sign-ins of the same run: ratio, and the same per server CPU-second. The
//     flow's five requests follow one another, so it runs FLOW_WORKERS_PER_CONNECTION
//     sign-ins per connection of the portal run: both are then measured with the
//     server busy;
//   - refresh-token requests per second on existing grants (each answer's new refresh
//     token used next) beside the bare route asked by the same request loop: the
//     client's own cost is in both.
import { portalForm } from '../lib/bodies.js';
import { fmt } from '../lib/format.js';
import { measureLoad } from '../lib/load.js';
import {
  FLOW_WORKERS_PER_CONNECTION,
  HttpClient,
  codeFlow,
  loopLoad,
  tokenRequest,
} from '../lib/oidc.js';
import { plainRow, targetRow } from '../lib/targets.js';
import { signInRow } from './password-sign-in.js';
import { latency, perCpu } from './otp-validate.js';

/** @typedef {import('../lib/types.js').LoadRun} LoadRun */
/** @typedef {import('../lib/types.js').BenchUser} BenchUser */
/**
 * @typedef {LoadRun & { portal: LoadRun | undefined, refreshTokens: string[], workers: number }} CodeFlowRun
 */

/** Milliseconds of the load generator's CPU per request. @param {LoadRun} run @param {number} requests per sign-in */
const clientMs = (run, requests) => fmt((run.clientCpu / run.perSecond / requests) * 1000, 2);

/** @type {import('../lib/types.js').Scenario<CodeFlowRun, undefined>} */
export const oidcCodeFlow = {
  name: 'OpenID Connect code flow',
  cpus: 'all',
  yardstick: undefined,
  async run(bench, earlier) {
    const form = await portalForm(bench.server.url);
    const users = bench.users.oidc;
    const workers = FLOW_WORKERS_PER_CONNECTION * bench.settings.connections;
    // Each worker its own users: one user's codes are never decided at once.
    const own = Array.from({ length: workers }, (_, worker) =>
      users.filter((_, i) => i % workers === worker),
    );
    const turns = new Array(workers).fill(0);
    /** @type {string[]} */
    const refreshTokens = [];
    const client = new HttpClient(bench.server.url, workers);
    try {
      const run = await measureLoad(
        `OpenID code flow (authorize, portal form, token, userinfo; ${workers} in flight)`,
        bench.server,
        bench.settings,
        (seconds) =>
          loopLoad(workers, seconds, async (worker) => {
            const mine = /** @type {BenchUser[]} */ (own[worker]);
            const user = /** @type {BenchUser} */ (mine[turns[worker]++ % mine.length]);
            refreshTokens[worker] = await codeFlow(client, form, user);
          }),
      );
      const portal = earlier.get('portal sign-ins')?.run;
      return {
        ...run,
        portal: /** @type {LoadRun | undefined} */ (portal),
        refreshTokens,
        workers,
      };
    } finally {
      client.close();
    }
  },
  target: { bound: '≥', value: 0.8 },
  rows({
    run,
    bench: {
      cores,
      settings: { connections },
    },
  }) {
    return [
      signInRow(
        `OpenID code-flow sign-ins/s (a new browser each, userinfo included; ${run.workers} in flight)`,
        run,
        cores,
      ),
      run.portal
        ? targetRow(
            `Code-flow sign-ins (${run.workers} in flight) ÷ portal sign-ins (${connections} connections)`,
            run.perSecond / run.portal.perSecond,
            this.target,
            `(per CPU-second: ${fmt(perCpu(run) / perCpu(run.portal), 2)})`,
          )
        : plainRow('Code-flow sign-ins ÷ portal sign-ins', 'n/a (the portal scenario did not run)'),
      plainRow(
        'Load generator CPU per request, code flow (node:http) / portal (autocannon)',
        `${clientMs(run, 5)} / ${run.portal ? clientMs(run.portal, 1) : 'n/a'} ms`,
      ),
    ];
  },
};

/**
 * A load run of `step` by `workers` loops, each one request after the other on a client
 * of its own sockets.
 * @param {string} label
 * @param {import('../lib/types.js').Proc} target
 * @param {import('../lib/types.js').Settings} settings
 * @param {(client: HttpClient, worker: number) => Promise<unknown>} step
 */
async function measureLoop(label, target, settings, step) {
  const client = new HttpClient(target.url, settings.connections);
  try {
    return await measureLoad(label, target, settings, (seconds) =>
      loopLoad(settings.connections, seconds, (worker) => step(client, worker)),
    );
  } finally {
    client.close();
  }
}

/** The bare route asked the way the refresh load asks: one request after the other per worker. */
const bareByLoop = {
  name: 'bare route by the request loop',
  /** @param {import('../lib/types.js').Bench} bench */
  measure: (bench) =>
    measureLoop(
      'bare Fastify route (the same request loop)',
      bench.bare,
      bench.settings,
      async (client) => {
        const answer = await client.send(
          'POST',
          '/api/v1/validate',
          { 'content-type': 'application/json' },
          '{}',
        );
        if (answer.status !== 200) throw new Error(`bare route: ${answer.status}`);
      },
    ),
};

/** @type {import('../lib/types.js').Figure<LoadRun, LoadRun>} */
export const oidcRefresh = {
  name: 'OpenID Connect refresh',
  cpus: 'all',
  yardstick: bareByLoop,
  async run(bench, earlier) {
    const flow = /** @type {CodeFlowRun | undefined} */ (
      earlier.get('OpenID Connect code flow')?.run
    );
    if (!flow || flow.refreshTokens.length < bench.settings.connections) {
      throw new Error('the refresh run needs the code-flow run first (BENCH_ONLY)');
    }
    const tokens = [...flow.refreshTokens];
    return measureLoop(
      'OpenID refresh (token endpoint, rotating)',
      bench.server,
      bench.settings,
      async (client, worker) => {
        const answer = await tokenRequest(client, {
          grant_type: 'refresh_token',
          refresh_token: /** @type {string} */ (tokens[worker]),
        });
        tokens[worker] = /** @type {string} */ (answer.refresh_token);
      },
    );
  },
  rows({ run, yardstick: bare }) {
    return [
      plainRow(
        'OpenID refresh-token requests/s (existing grant)',
        `${fmt(run.perSecond, 1)} ${latency(run)}`,
      ),
      plainRow(
        'Bare Fastify route by the same request loop, req/s',
        `${fmt(bare.perSecond, 1)} ${latency(bare)}`,
      ),
      plainRow(
        'Refresh requests ÷ bare route (same client)',
        fmt(run.perSecond / bare.perSecond, 2),
      ),
    ];
  },
};
