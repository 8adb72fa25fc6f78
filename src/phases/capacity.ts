// The workloads' memory against each node's allocatable memory, surge pods included, before
// anything rolls out (src/workloads/capacity.ts). Too little room for a surge pod only: the owner
// may accept maxSurge 0 for those workloads; any other shortfall stops the flow.
import { CommandError } from '../exit.js';
import { capacityInput, checkCapacity as check, formatCapacity, type CapacityInput, type CapacityReport } from '../workloads/index.js';
import type { ApplyState } from './apply-state.js';
import type { Operator } from './flow.js';
import { need, type Phase } from './phase.js';

/**
 * Prints the tables and decides: everything fits; only surge pods lack room and the owner accepts
 * maxSurge 0 for them; or the flow stops. `input(accept)` builds the check's input.
 */
export async function decideCapacity(operator: Operator, input: (accept: boolean) => CapacityInput): Promise<CapacityReport> {
  let report = check(input(false));
  operator.out.write(`${formatCapacity(report).join('\n')}\n\n`);
  if (report.proceed) return report;
  if (!report.onlySurgeProblems) {
    throw new CommandError('the workloads do not fit (see above): lower their memory, move the database, or add a worker (`hobbykube add-worker`). Nothing was changed.');
  }
  const accepted = await operator.confirm('Roll out with maxSurge 0 where there is no room for a surge pod (each update then stops the old pod before the new one starts)?');
  if (!accepted) throw new CommandError('not rolled out. Nothing was changed.');
  report = check(input(true));
  return report;
}

export const checkCapacity: Phase<ApplyState> = {
  title: 'check the memory',
  // add-worker only joins nodes: the workloads are not re-applied (src/workloads/memory.ts).
  shouldRun: (state) => state.spec.spec.workloads.length > 0 && !state.options.workers,
  async run(state) {
    const facts = need(state.facts, "the nodes' facts", this.title);
    const report = await decideCapacity(state.operator, (accept) => capacityInput(state.spec, facts, accept));
    state.strategies = report.strategies;
    state.memory = report.memory;
  },
};
