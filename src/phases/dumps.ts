// Where and when each database is dumped (src/workloads/dump.ts), shown before the plan, so the
// owner sees where the copies of the data go (and when they stay on the database's own node).
import { describeDumps } from '../workloads/dump.js';
import type { ApplyState } from './apply-state.js';
import type { Phase } from './phase.js';

export const showDumps: Phase<ApplyState> = {
  title: 'show the database dumps',
  // add-worker deploys no workloads.
  shouldRun: (state) => !state.options.workers,
  run(state) {
    const lines = describeDumps(state.spec).map((l) => `  ${l}`);
    if (lines.length === 0) return;
    state.operator.out.write(`Database dumps:\n${lines.join('\n')}\n\n`);
    state.log?.line(`Database dumps:\n${lines.join('\n')}`);
  },
};
