import { defineConfig } from 'vitest/config';

// Tests that wait for pictures to be read: the engine runs at nice 19 by design, so a test
// running beside them would starve it. They run first, one file at a time.
const READING_PICTURES = ['test/**/*ocr*.test.ts'];

export default defineConfig({
  // Renderer components under test use the automatic JSX runtime, as tsconfig.web.json does.
  esbuild: { jsx: 'automatic' },
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The last line is "N passed, N failed, N skipped": skips are never counted as passes.
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'reading-pictures',
          include: READING_PICTURES,
          maxWorkers: 1,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'everything-else',
          include: ['test/**/*.test.ts'],
          exclude: READING_PICTURES,
          // Two files at a time: vitest's default on a 2-core machine is one, and most test
          // time is spent waiting on child processes (the CLI, Chromium, tools).
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
