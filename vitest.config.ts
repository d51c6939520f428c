// Two vitest projects: `unit` (in-process tests of the engine, models, runner, charts and kit: the fast
// loop, `npm run test:unit`) and `e2e` (the compiled CLI, the studies' --quick runs, the README and
// notebook checks, sweeps through the built worker: they need `npm run build` first). `npm test` runs
// both. At the end of every run the skipped-summary reporter lists each skipped test with its reason.
import { defineConfig } from 'vitest/config';

const E2E = [
  'test/cli/**/*.test.ts',
  'test/experiments/**/*.test.ts',
  'test/docs/**/*.test.ts',
  'test/notebooks/**/*.test.ts',
  'test/runner/own-study.test.ts',
  'test/e2e/**/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['test/setup.ts'],
    reporters: ['default', './test/reporters/skipped-summary.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: E2E } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
