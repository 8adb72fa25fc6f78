// `remove-worker --name N`: drain the worker and delete its Node object (on the control plane),
// `kubeadm reset` on it (the same reset plan as `reset --node N`), every remaining node's host
// firewall stops letting it in (the remaining nodes are read first), then drop it from the spec.
// The spec is changed last, so a failed removal can simply be run again.
import { resetWipes } from '../install/render/index.js';
import { saveSpec } from '../spec/file.js';
import type { ClusterSpec } from '../spec/types.js';
import { confirmOrStop } from './confirm.js';
import { readRemainingNodes } from './firewall.js';
import { lockCluster } from './lock.js';
import { openSession } from './open-session.js';
import { runPhases, type Phase } from './phase.js';
import { planReset, reportResetFailures, type ResetState } from './reset.js';
import { runSteps } from './run-steps.js';

export interface RemoveWorkerState extends ResetState {
  /** The spec without the worker (checked by the command layer). */
  readonly next: ClusterSpec;
}

const confirmRemoval: Phase<RemoveWorkerState> = {
  title: 'say what is wiped, and confirm',
  async run(state) {
    const { operator, spec, specPath } = state;
    const node = state.nodes[0]!;
    const lines = [
      `This removes ${node.name} from cluster ${spec.metadata.name}: its pods are evicted (drain) and its Node object deleted on the control plane,`,
      `then on ${operator.style.bold(`${node.name} (${node.address}, worker)`)} it wipes:`,
      ...resetWipes('worker').map((w) => `  - ${w}`),
      `then every remaining node's host firewall stops letting ${node.name} in (${state.next.spec.nodes.map((n) => n.name).join(', ')}),`,
      `and ${node.name} is dropped from ${specPath}.`,
    ];
    operator.out.write(`${lines.join('\n')}\n`);
    await confirmOrStop(state, `Remove ${node.name}?`, 'Not removed. Nothing was changed.');
  },
};

const dropFromSpec: Phase<RemoveWorkerState> = {
  title: 'drop the worker from the spec',
  run(state) {
    const { operator, specPath } = state;
    const name = state.nodes[0]!.name;
    saveSpec(specPath, state.next);
    operator.out.write(`${operator.style.green('Removed.')} ${name} is out of the cluster and of ${specPath}; the machine itself is left running, clean of Kubernetes.\n`);
  },
};

/** A failed reset leaves the worker in the spec; the owner is told how to go on. */
const stillThere = (state: RemoveWorkerState): string => {
  const name = state.nodes[0]!.name;
  return `${name} is still in ${state.specPath}; fix the cause and run \`hobbykube remove-worker --name ${name}\` again (finished steps are skipped).`;
};

export const REMOVE_WORKER_PHASES: ReadonlyArray<Phase<RemoveWorkerState>> = [
  confirmRemoval,
  openSession,
  lockCluster,
  readRemainingNodes,
  planReset,
  runSteps,
  reportResetFailures(stillThere),
  dropFromSpec,
];

export function runRemoveWorker(state: RemoveWorkerState): Promise<number> {
  return runPhases(REMOVE_WORKER_PHASES, state);
}
