import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/sequencer.js';

export default defineConfig({
  test: {
    // the benchmark is not a test: `npm run bench` (and `npm run bench:check` for its quick smoke run)
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    sequence: { sequencer: LongestFirst },
    // CI shares two cores: a page or a background job may take seconds to show what is polled for
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
