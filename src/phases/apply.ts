// `apply`: make the cluster match the spec. The phases, in order:
//
//   open the session          connections open on first use, all closed at the end
//   lock the cluster          one apply per cluster at a time
//   start the log file        logs/apply-<time>.log
//   catch Ctrl-C              stop cleanly, resume on rerun
//   survey the nodes          facts and preflight of the nodes concerned only
//   show the addresses
//   show the database dumps   where and when each database is dumped
//   fill in the secrets
//   check the memory          workloads against allocatable memory, surge included
//   plan the install
//   show the plan and confirm
//   run the plan              journal, log, live view or plain lines, memory watched
//   report
//
// add-worker runs the same list with `workers: [name]`: only the control plane and that worker are
// contacted (add-worker.ts).
import { controlPlaneOf } from '../install/plan.js';
import { showAddresses } from './addresses.js';
import { showDumps } from './dumps.js';
import type { ApplyOptions, ApplyState } from './apply-state.js';
import { checkCapacity } from './capacity.js';
import { confirmPlan } from './confirm-plan.js';
import type { FlowState } from './flow.js';
import { planInstall } from './install-plan.js';
import { catchInterrupts } from './interrupts.js';
import { lockCluster } from './lock.js';
import { openSession } from './open-session.js';
import { runPhases, type Phase } from './phase.js';
import { reportApply } from './report.js';
import { startRunLog } from './run-log.js';
import { runSteps } from './run-steps.js';
import { fillSecrets } from './secrets.js';
import { surveyNodes } from './survey.js';

export type { ApplyOptions, ApplyState } from './apply-state.js';

export const APPLY_PHASES: ReadonlyArray<Phase<ApplyState>> = [
  openSession,
  lockCluster,
  startRunLog,
  catchInterrupts,
  surveyNodes,
  showAddresses,
  showDumps,
  fillSecrets,
  checkCapacity,
  planInstall,
  confirmPlan<ApplyState>({ question: (state) => state.options.question, declined: 'Not applied. Nothing was changed.' }),
  runSteps,
  reportApply,
];

/** The nodes an apply concerns: all of them, or the control plane and the named workers. */
export function applyScope(state: Pick<FlowState, 'spec'>, options: ApplyOptions): FlowState['nodes'] {
  const { spec } = state;
  if (!options.workers) return spec.spec.nodes;
  const cp = controlPlaneOf(spec);
  return spec.spec.nodes.filter((n) => n === cp || options.workers!.includes(n.name));
}

/** Runs the apply phases; the command layer supplies everything that touches a terminal or a node. */
export function runApply(base: Omit<ApplyState, 'nodes'>): Promise<number> {
  return runPhases(APPLY_PHASES, { ...base, nodes: applyScope(base, base.options) });
}
