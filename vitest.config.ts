import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { localesByLanguage } from './web/build/locale-split.js';
import LongestFirst from './test/support/sequencer.js';

export default defineConfig({
  // the web's tests load a language's texts as the browser does
  plugins: [localesByLanguage(path.join(path.dirname(fileURLToPath(import.meta.url)), 'web', 'src', 'locales'))],
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
