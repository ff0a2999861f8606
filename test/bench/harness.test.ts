// The bench harness (bench/lib): the order in which scenarios and their yardsticks run,
// how a measure is judged against its target, and what the load sends. The load runs
// themselves are only run by `npm run bench`.
import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { signInBodies } from '../../bench/lib/bodies.js';
import { runScenarios } from '../../bench/lib/run-scenarios.js';
import { targetRow } from '../../bench/lib/targets.js';
import type { Bench, BenchUser, Scenario, Yardstick } from '../../bench/lib/types.js';

// No pinning, nothing started: the runner only needs to know that.
const bench = { pinning: undefined } as unknown as Bench;

/** A scenario that logs when it runs and returns its name. */
function scenario(
  name: string,
  log: string[],
  yardstick?: Yardstick<string>,
): Scenario<string, string> {
  return {
    name,
    cpus: 'all',
    yardstick,
    async run(_bench, earlier) {
      log.push(`run ${name} after ${[...earlier.keys()].join(',') || 'none'}`);
      return name;
    },
    target: { bound: '≥', value: 0.5 },
    rows: () => [],
  };
}

describe('runScenarios', () => {
  it('measures a shared yardstick before its first scenario and finishes it after its last', async () => {
    const log: string[] = [];
    const shared: Yardstick<string> = {
      name: 'shared',
      async measure() {
        log.push('measure shared');
        return 'half';
      },
      async finish(_bench, first) {
        log.push(`finish shared from ${first}`);
        return 'whole';
      },
    };
    const single: Yardstick<string> = {
      name: 'single',
      async measure() {
        log.push('measure single');
        return 'once';
      },
    };
    const outcomes = await runScenarios(bench, [
      scenario('a', log, single),
      scenario('b', log, shared),
      scenario('c', log, shared),
      scenario('d', log),
    ]);
    expect(log).toEqual([
      'measure single',
      'run a after none',
      'measure shared',
      'run b after a',
      // b's outcome waits for the shared yardstick: c does not see it yet.
      'run c after a',
      'finish shared from half',
      'run d after a,b,c',
    ]);
    expect([...outcomes.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect(outcomes.get('a')?.yardstick).toBe('once');
    expect(outcomes.get('b')?.yardstick).toBe('whole');
    expect(outcomes.get('c')?.yardstick).toBe('whole');
    expect(outcomes.get('d')?.yardstick).toBeUndefined();
  });
});

describe('targetRow', () => {
  it('prints a ratio with two decimals, and says whether it meets its target', () => {
    expect(
      targetRow('A ÷ B', 0.5512, { bound: '≥', value: 0.4 }, '(per CPU-second: 0.60)'),
    ).toEqual(['**A ÷ B**', '**0.55** (per CPU-second: 0.60)', '≥ 0.4', 'met']);
    expect(targetRow('A ÷ B', 0.31, { bound: '≥', value: 0.4 })).toEqual([
      '**A ÷ B**',
      '**0.31**',
      '≥ 0.4',
      '**missed**',
    ]);
  });

  it('prints three decimals where two would round onto the target', () => {
    expect(targetRow('A ÷ B', 0.7968, { bound: '≥', value: 0.8 })[1]).toBe('**0.797**');
  });

  it('prints memory in MB against an upper bound', () => {
    expect(targetRow('Peak', 123.4, { bound: '<', value: 200, unit: 'MB' })).toEqual([
      '**Peak**',
      '**123 MB**',
      '< 200 MB',
      'met',
    ]);
    expect(targetRow('Peak', 200, { bound: '<', value: 200, unit: 'MB' })[3]).toBe('**missed**');
  });

  it('prints a measure with its unit and decimals against an upper bound it may reach', () => {
    const cpu = { bound: '≤', value: 0.4, unit: 'ms', digits: 2 } as const;
    expect(targetRow('CPU', 0.4, cpu)).toEqual(['**CPU**', '**0.40 ms**', '≤ 0.4 ms', 'met']);
    expect(targetRow('CPU', 0.41, cpu)[3]).toBe('**missed**');
  });

  it('says n/a when the measure could not be taken', () => {
    expect(targetRow('Peak', NaN, { bound: '<', value: 200, unit: 'MB' })).toEqual([
      '**Peak**',
      '**n/a MB**',
      '< 200 MB',
      'n/a',
    ]);
  });
});

describe('signInBodies', () => {
  const users = (count: number): BenchUser[] =>
    Array.from({ length: count }, (_, i) => ({
      username: `u${i}`,
      secret: new Secret({ size: 20 }),
      counter: 0,
    }));
  /** Sets up one request as a connection does; its body and the context it keeps. */
  const send = (request: ReturnType<typeof signInBodies>) => {
    const context = {};
    const body = JSON.parse(request.setupRequest!({}, context).body!);
    return { body, context };
  };

  it('passes over a user whose last code is unanswered, so no two codes of one token run at once', () => {
    const request = signInBodies(users(3));
    const first = send(request);
    expect([first.body.username, send(request).body.username]).toEqual(['u0', 'u1']);
    request.onResponse!(200, '{"result":"accept"}', send(request).context, {});
    // u0 and u1 are still in flight: the round passes them for u2, which was answered.
    expect(send(request).body.username).toBe('u2');
    request.onResponse!(200, '{"result":"accept"}', first.context, {});
    expect(send(request).body.username).toBe('u0');
  });

  it('sends every user again once what an earlier run left unanswered is forgotten', () => {
    const request = signInBodies(users(2));
    send(request);
    send(request);
    request.forgetUnanswered!();
    expect(send(request).body.username).toBe('u0');
  });

  it("carries the end user's address when asked, one per user", () => {
    const request = signInBodies(users(2), { clientAddress: true });
    expect([send(request).body, send(request).body]).toMatchObject([
      { username: 'u0', clientAddress: '198.18.0.0' },
      { username: 'u1', clientAddress: '198.18.0.1' },
    ]);
    expect(send(signInBodies(users(1))).body).not.toHaveProperty('clientAddress');
  });
});
