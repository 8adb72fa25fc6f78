// The install plan for the nodes in scope (src/install/plan.ts), with the workload steps when the
// spec has workloads or an ingress and this is not add-worker: the workloads' memory requests
// depend on every node's memory (src/workloads/memory.ts), and add-worker gives the other workers
// their firewall step only.
import { buildInstallPlan } from '../install/plan.js';
import { memoryForRender, workloadSteps } from '../workloads/index.js';
import type { ApplyState } from './apply-state.js';
import { need, type Phase } from './phase.js';

export const planInstall: Phase<ApplyState> = {
  title: 'plan the install',
  run(state) {
    const facts = need(state.facts, "the nodes' facts", this.title);
    const { spec, options } = state;
    const withWorkloads = !options.workers && (spec.spec.workloads.length > 0 || spec.spec.ingress !== undefined);
    const secrets = withWorkloads ? need(state.secrets, 'the secrets', this.title) : undefined;
    state.steps = buildInstallPlan({
      spec,
      facts,
      encryptionKeys: need(state.encryptionKeys, 'the encryption keys', this.title),
      ...(options.workers ? { workers: options.workers } : {}),
      ...(secrets
        ? {
            workloadSteps: workloadSteps({
              spec,
              secrets,
              ...(state.strategies ? { strategies: state.strategies } : {}),
              memory: state.memory ?? memoryForRender(spec, facts),
              ...(options.prune ? { prune: true } : {}),
            }),
          }
        : {}),
    });
  },
};
