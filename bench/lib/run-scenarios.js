// @ts-check
// Runs the scenarios in order. A yardstick is measured before the first scenario that
// uses it and, when it has a `finish`, finished after the last one: two scenarios can
// share one yardstick measured around both (the raw argon2 rate). A scenario's outcome
// is complete, and visible to later scenarios, once its yardstick is.
import { usePinning } from './pinning.js';

/** @typedef {import('./types.js').Figure<any, any>} AnyScenario */
/** @typedef {import('./types.js').Yardstick<any>} AnyYardstick */
/** @typedef {import('./types.js').Outcome} Outcome */

/**
 * @param {import('./types.js').Bench} bench
 * @param {AnyScenario[]} scenarios
 * @returns {Promise<Map<string, Outcome>>} by scenario name, in order
 */
export async function runScenarios(bench, scenarios) {
  /** @type {Map<AnyYardstick, number>} */
  const lastUse = new Map();
  scenarios.forEach(({ yardstick }, index) => yardstick && lastUse.set(yardstick, index));
  /** @type {Map<AnyYardstick, unknown>} */
  const measured = new Map();
  /** @type {{ scenario: AnyScenario, run: unknown }[]} */
  let pending = [];
  /** @type {Map<string, Outcome>} */
  const outcomes = new Map();
  for (const [index, scenario] of scenarios.entries()) {
    usePinning(bench, scenario.cpus);
    const { yardstick } = scenario;
    if (yardstick && !measured.has(yardstick)) {
      measured.set(yardstick, await yardstick.measure(bench));
    }
    pending.push({ scenario, run: await scenario.run(bench, outcomes) });
    if (yardstick?.finish && lastUse.get(yardstick) === index) {
      measured.set(yardstick, await yardstick.finish(bench, measured.get(yardstick)));
    }
    /** @param {AnyScenario} done */
    const complete = (done) => !done.yardstick || Number(lastUse.get(done.yardstick)) <= index;
    for (const { scenario: done, run } of pending.filter(({ scenario }) => complete(scenario))) {
      const value = done.yardstick && measured.get(done.yardstick);
      outcomes.set(done.name, { run, yardstick: value, bench });
    }
    pending = pending.filter(({ scenario }) => !complete(scenario));
  }
  return outcomes;
}
