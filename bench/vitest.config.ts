import { defineConfig } from 'vitest/config';

/** The benchmark's quick smoke run (`npm run bench:check`), kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ['bench/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
