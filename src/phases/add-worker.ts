// `add-worker`: the spec with the new worker (checked by the command layer with the spec file's own
// rules) is saved, then the apply phases run for that worker alone: the control plane and the new
// worker are set up; the other workers are read and get one step only, their host firewall
// letting the new worker in (firewall.ts). If the join does not finish, the worker stays in the spec and the
// owner is told how to finish or undo it.
import { saveSpec } from '../spec/file.js';
import type { NodeSpec } from '../spec/types.js';
import { APPLY_PHASES, applyScope, type ApplyState } from './apply.js';
import { runPhases, type Phase } from './phase.js';

export interface AddWorkerState extends ApplyState {
  readonly specPath: string;
  readonly worker: NodeSpec;
  /** The worker is new to the spec (not already there with the same settings). */
  readonly added: boolean;
  /** The spec file with the new worker has been written. */
  saved?: boolean;
}

const saveWorker: Phase<AddWorkerState> = {
  title: 'save the new worker in the spec',
  run(state) {
    const { operator, specPath, worker, spec } = state;
    if (state.added) {
      const { backup } = saveSpec(specPath, spec);
      state.saved = true;
      operator.out.write(`Added worker ${worker.name} (${worker.address}) to ${specPath}${backup ? ` (the old file is kept as ${backup})` : ''}.\n`);
    } else {
      operator.out.write(`${worker.name} is already in ${specPath}: checking that it has joined (steps already done are skipped).\n`);
    }
    const others = spec.spec.nodes.filter((n) => n.role === 'worker' && n.name !== worker.name).map((n) => n.name);
    if (others.length > 0) {
      const one = others.length === 1;
      operator.out.write(
        `The control plane and ${worker.name} are set up; ${others.join(', ')} ${one ? 'gets' : 'get'} one step only: ${one ? 'its' : 'their'} host firewall lets ${worker.name} in (after a read-only check of ${one ? 'its' : 'their'} addresses).\n`,
      );
    }
  },
  cleanup(state, outcome) {
    if (outcome.ok || !state.saved) return;
    const { worker, specPath } = state;
    state.operator.err.write(
      `${worker.name} stays in ${specPath}: rerun \`hobbykube add-worker\` with the same options, or \`hobbykube apply\`, to finish joining it (or \`hobbykube remove-worker --name ${worker.name}\` to take it out).\n`,
    );
  },
};

export const ADD_WORKER_PHASES: ReadonlyArray<Phase<AddWorkerState>> = [saveWorker, ...APPLY_PHASES];

export function runAddWorker(base: Omit<AddWorkerState, 'nodes' | 'options'>): Promise<number> {
  const options = { workers: [base.worker.name], question: `Join ${base.worker.name} to cluster ${base.spec.metadata.name}?` };
  return runPhases(ADD_WORKER_PHASES, { ...base, options, nodes: applyScope(base, options) });
}
