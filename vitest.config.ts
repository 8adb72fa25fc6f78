import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    reporters: ['default', './test/support/count-reporter.ts'],
    // Processes a test starts are stopped when it ends, also on a timeout (test/support/children.ts).
    setupFiles: ['./test/support/setup.ts'],
    // Limits for a hung test, not measures of speed: the suite must pass on a 2-CPU machine that
    // other test runs and a CPU hog share (docs/PERFORMANCE.md, "Under load"). A file of sshd
    // tests took ~100 s alone and several times that under load; speed is measured by `npm run bench`.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // Integration tests start real sshd hosts; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
  },
});
