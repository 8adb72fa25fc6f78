// The workloads' memory against each node's allocatable memory, surge pods included, before
// anything rolls out (src/workloads/capacity.ts). Too little room for a surge pod only: the owner
// may accept maxSurge 0 for those workloads; any other shortfall stops the flow.
import { CommandError } from '../exit.js';
import { capacityInput, checkCapacity as check, formatCapacity } from '../workloads/index.js';
import type { ApplyState } from './apply-state.js';
import { need, type Phase } from './phase.js';

export const checkCapacity: Phase<ApplyState> = {
  title: 'check the memory',
  // add-worker only joins nodes: the workloads are not re-applied (src/workloads/memory.ts).
  shouldRun: (state) => state.spec.spec.workloads.length > 0 && !state.options.workers,
  async run(state) {
    const facts = need(state.facts, "the nodes' facts", this.title);
    const { operator, spec } = state;
    let report = check(capacityInput(spec, facts));
    operator.out.write(`${formatCapacity(report).join('\n')}\n\n`);
    if (!report.proceed) {
      if (!report.onlySurgeProblems) {
        throw new CommandError('the workloads do not fit (see above): lower their memory, move the database, or add a worker (`hobbykube add-worker`). Nothing was changed.');
      }
      const accepted = await operator.confirm('Roll out with maxSurge 0 where there is no room for a surge pod (each update then stops the old pod before the new one starts)?');
      if (!accepted) throw new CommandError('not rolled out. Nothing was changed.');
      report = check(capacityInput(spec, facts, true));
    }
    state.strategies = report.strategies;
    state.memory = report.memory;
  },
};
