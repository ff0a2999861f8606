/** Ends the run with one plain line, "tests: N passed, N failed", that CI logs can be read by. */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    // A file that failed outside its tests (it did not load, or a beforeAll failed and
    // its tests were skipped) is a failure of its own.
    const failedModules = modules.filter(
      (m) =>
        m.state() === 'failed' &&
        ![...m.children.allTests()].some((t) => t.result().state === 'failed'),
    );
    failed += failedModules.length;
    process.stdout.write(
      `\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    );
  }
}
