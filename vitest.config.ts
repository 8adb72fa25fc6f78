import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    reporters: ['default', './test/support/count-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real sshd hosts; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
  },
});
