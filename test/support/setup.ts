// Loaded before every test file (vitest.config.ts `setupFiles`): processes a test started are
// stopped when it ends, even when it timed out while awaiting them (test/support/children.ts).
import { afterAll, afterEach, beforeEach } from 'vitest';
import { installProcessHooks, stopEverything, testFinished, testStarted } from './children.js';

installProcessHooks();
beforeEach(() => testStarted());
afterEach(() => {
  const stopped = testFinished();
  if (stopped > 0) process.stderr.write(`[test/support] stopped ${stopped} process${stopped === 1 ? '' : 'es'} the test left running\n`);
});
afterAll(() => {
  stopEverything();
});
