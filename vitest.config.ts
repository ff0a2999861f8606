import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // argon2id at 19 MiB and real child processes take longer than vitest's default.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Browser tests wait for what the user would see; a loaded machine can take seconds.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
