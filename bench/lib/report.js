// @ts-check
// The two tables: every load run (autocannon, same settings for each), and the summary
// of measures, yardsticks, ratios and targets; then what qualifies or spoils them.
import { fmt, machine, markdownTable, mb, percent } from './format.js';
import { isLoadRun } from './load.js';

/** @typedef {import('./types.js').Figure<any, any>} AnyScenario */
/** @typedef {import('./types.js').Outcome} Outcome */
/** @typedef {import('./types.js').LoadRun} LoadRun */

/** @param {LoadRun} run */
const loadRow = (run) => [
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
];

/** Every load run, yardsticks first, each once. @param {Outcome[]} outcomes */
function loadRuns(outcomes) {
  const runs = new Set(outcomes.flatMap(({ yardstick, run }) => [yardstick, run]));
  return [...runs].filter(isLoadRun);
}

/** The passwords the server hashed (a directory user's password is the directory's). @param {import('./types.js').Bench} bench */
const argon2Hashes = ({ users }) =>
  Object.entries(users)
    .filter(([kind]) => kind !== 'directory')
    .flatMap(([, list]) => list)
    .filter((user) => user.password !== undefined).length;

/**
 * Prints the tables; false when a run measured something else (the bench then fails).
 * @param {import('./types.js').Bench} bench
 * @param {AnyScenario[]} scenarios
 * @param {Map<string, Outcome>} outcomes
 */
export function printReport(bench, scenarios, outcomes) {
  const done = scenarios.flatMap((scenario) => {
    const outcome = outcomes.get(scenario.name);
    return outcome ? [{ scenario, outcome }] : [];
  });
  const { settings } = bench;
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
      loadRuns(done.map(({ outcome }) => outcome)).map(loadRow),
    ),
  );
  console.log(
    [
      '',
      'CPU: 100 % = one core busy for the whole measured run; "bench CPU" is the load',
      'generator. Peak RSS: VmHWM of the server from the warm-up to the end of the run.',
      `Resident memory, idle after start: Pforte ${fmt(mb(bench.idleKb.server))} MB, bare ` +
        `Fastify ${fmt(mb(bench.idleKb.bare))} MB.`,
      `Pforte's peak while the users were created (${argon2Hashes(bench)} argon2id hashes): ` +
        `${fmt(mb(bench.provisioningPeakKb))} MB.`,
    ].join('\n'),
  );
  for (const { scenario, outcome } of done) {
    for (const note of scenario.notes?.(outcome) ?? []) console.log(note);
  }

  console.log(
    `\nSummary (${machine(bench.cores)}; ${settings.connections} connections, ` +
      `${settings.duration} s per run):\n`,
  );
  console.log(
    markdownTable(
      ['Measure', 'Result', 'Target', ''],
      done.flatMap(({ scenario, outcome }) => scenario.rows(outcome)),
      ['left', 'left', 'left', 'left'],
    ),
  );

  // A run whose requests were not accepted measured something else: say so.
  const broken = done
    .map(({ outcome }) => outcome.run)
    .filter(isLoadRun)
    .filter((run) => !(run.accepted >= 0.99) || run.errors);
  for (const run of broken) {
    console.error(
      `\nwarning: ${run.label}: only ${fmt(run.accepted, 3)} of the answers were accept ` +
        `(${run.answers.reject} reject, ${run.answers.other} other, ${run.errors} errors); ` +
        'the numbers above do not measure sign-ins.',
    );
  }
  let ok = broken.length === 0;
  for (const { scenario, outcome } of done) {
    const problems = scenario.problems?.(outcome) ?? [];
    if (problems.length > 0) {
      console.error(`\nwarning: ${scenario.name}: ${problems.join('; ')}.`);
      ok = false;
    }
  }
  return ok;
}
