import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Renderer components under test use the automatic JSX runtime, as tsconfig.web.json does.
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The last line is "N passed, N failed, N skipped": skips are never counted as passes.
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
