// `reset [--node NAME]`: wipe Kubernetes from one node or the whole cluster (src/install/reset.ts)
// after a confirmation that names exactly what is wiped on which node. The phases:
//
//   say what is wiped, and confirm
//   open the session, lock the cluster
//   plan the reset           workers first, drained when the control plane stays
//   run the plan             journal, plain lines
//   report failures
//   forget the kubeconfigs   the whole cluster is gone: its kubeconfigs name nothing
//   say what is next
//
// remove-worker.ts reuses all but the first and the last two.
import { unlinkSync } from 'node:fs';
import { buildResetPlan, type ResetOptions } from '../install/reset.js';
import { resetWipes } from '../install/render/index.js';
import { EXIT_FAILURE } from '../exit.js';
import type { FlowState } from './flow.js';
import { confirmOrStop } from './confirm.js';
import { lockCluster } from './lock.js';
import { openSession } from './open-session.js';
import { need, runPhases, type Phase } from './phase.js';
import { writeFailures } from './report.js';
import { runSteps } from './run-steps.js';

export interface ResetState extends FlowState {
  readonly specPath: string;
  /** remove-worker: the cluster as it stays, read first; their firewalls stop letting the removed node in. */
  remaining?: ResetOptions['remaining'];
}

/** The control plane is among the nodes: the whole cluster goes. */
export const wholeCluster = (state: FlowState): boolean => state.nodes.some((n) => n.role === 'control-plane');

export const planReset: Phase<ResetState> = {
  title: 'plan the reset',
  run(state) {
    state.steps = buildResetPlan(state.spec, state.nodes.map((n) => n.name), state.remaining ? { remaining: state.remaining } : {});
  },
};

/** Each failed node with its last lines; a failed reset ends the flow (`then`: one more line first). */
export function reportResetFailures<S extends FlowState>(then?: (state: S) => string): Phase<S> {
  return {
    title: 'report failures',
    run(state) {
      const summary = need(state.summary, 'a run summary', this.title);
      writeFailures(state.operator, summary, false);
      if (summary.ok) return;
      if (then) state.operator.err.write(`${then(state)}\n`);
      state.exitCode = EXIT_FAILURE;
    },
  };
}

const confirmReset: Phase<ResetState> = {
  title: 'say what is wiped, and confirm',
  async run(state) {
    const { operator, spec, nodes } = state;
    const only = wholeCluster(state) ? undefined : nodes[0]!.name;
    const lines = [only === undefined ? `This deletes cluster ${spec.metadata.name}: every workload and its data on the cluster's disks.` : `This removes ${only} from cluster ${spec.metadata.name}.`];
    for (const node of [...nodes.filter((n) => n.role === 'worker'), ...nodes.filter((n) => n.role === 'control-plane')]) {
      lines.push(`On ${operator.style.bold(`${node.name} (${node.address}, ${node.role})`)} it wipes:`);
      for (const wipe of resetWipes(node.role)) lines.push(`  - ${wipe}`);
    }
    operator.out.write(`${lines.join('\n')}\n`);
    const question = only === undefined ? `Reset ${nodes.length === 1 ? 'the only node' : `all ${nodes.length} nodes`} of ${spec.metadata.name}?` : `Reset ${only}?`;
    await confirmOrStop(state, question, 'Not reset. Nothing was changed.');
  },
};

const forgetKubeconfigs: Phase<ResetState> = {
  title: 'forget the kubeconfigs',
  shouldRun: wholeCluster,
  run(state) {
    const { paths } = need(state.session, 'a session', this.title);
    for (const file of [paths.kubeconfig, paths.userKubeconfig]) {
      try {
        unlinkSync(file); // it names a cluster that no longer exists
      } catch {
        // never fetched
      }
    }
  },
};

const sayResetDone: Phase<ResetState> = {
  title: 'say what is next',
  run(state) {
    const { operator } = state;
    const next = wholeCluster(state)
      ? 'Run `hobbykube apply` to build the cluster again.'
      : `Run \`hobbykube apply\` to join ${state.nodes[0]!.name} again, or remove it from ${state.specPath}.`;
    operator.out.write(`${operator.style.green('Reset done.')} ${next}\n`);
  },
};

export const RESET_PHASES: ReadonlyArray<Phase<ResetState>> = [
  confirmReset,
  openSession,
  lockCluster,
  planReset,
  runSteps,
  reportResetFailures(),
  forgetKubeconfigs,
  sayResetDone,
];

export function runReset(state: ResetState): Promise<number> {
  return runPhases(RESET_PHASES, state);
}
