// The escape hatch (lesson 4): kubeadm reset on chosen nodes, workers before the control plane.
// Resetting one worker of a running cluster first drains it and deletes its Node object on the
// control plane, so the cluster forgets it cleanly and the machine can rejoin later.
import type { NodeFacts } from '../facts/types.js';
import type { ClusterSpec, NodeSpec } from '../spec/types.js';
import { clusterFirewall } from './firewall.js';
import { firewallStep } from './render/firewall.js';
import { quote } from '../shell/quote.js';
import { controlPlaneOf } from './plan.js';
import { resetStep, script } from './render/index.js';
import { fromScripts, scriptStep, type Step } from './step.js';

/** Drains a worker and deletes its Node object, run on the control plane. */
function forgetNode(cp: NodeSpec, worker: NodeSpec): Step {
  const kc = `kubectl --kubeconfig /etc/kubernetes/admin.conf`;
  const name = quote(worker.name);
  return scriptStep({
    id: `${worker.name}/drain`,
    node: worker.name,
    runsOn: cp.name,
    title: `Drain ${worker.name} and remove it from the cluster (on ${cp.name})`,
    doneReason: `the cluster has no node ${worker.name}`,
    probe: script(`
      [ -f /etc/kubernetes/admin.conf ] || exit 0
      ${kc} get node ${name} >/dev/null 2>&1 || exit 0
      exit 1`),
    action: script(`
      ${kc} drain ${name} --ignore-daemonsets --delete-emptydir-data --force --timeout=120s
      ${kc} delete node ${name} --ignore-not-found`),
    timeoutMs: 5 * 60_000,
  });
}

export interface ResetOptions {
  /**
   * remove-worker: the cluster as it stays (the spec without the removed nodes) and the facts of
   * its nodes. Once the removed nodes are reset, every remaining node's firewall stops letting them
   * in (the allowed-peer set is the cluster's nodes).
   */
  remaining?: { spec: ClusterSpec; facts: ReadonlyMap<string, NodeFacts> };
}

export function buildResetPlan(spec: ClusterSpec, nodeNames: readonly string[], options: ResetOptions = {}): Step[] {
  const cp = controlPlaneOf(spec);
  const chosen = spec.spec.nodes.filter((n) => nodeNames.includes(n.name));
  const wholeCluster = chosen.some((n) => n.role === 'control-plane');
  const steps: Step[] = [];
  const workerResets: string[] = [];
  for (const node of chosen.filter((n) => n.role === 'worker')) {
    const after: string[] = [];
    if (!wholeCluster) {
      const drain = forgetNode(cp, node);
      steps.push(drain);
      after.push(drain.id);
    }
    const id = `${node.name}/reset`;
    steps.push(fromScripts(id, node.name, resetStep('worker'), { after, doneReason: 'nothing of Kubernetes is left on it' }));
    workerResets.push(id);
  }
  if (wholeCluster) {
    steps.push(fromScripts(`${cp.name}/reset`, cp.name, resetStep('control-plane'), { after: workerResets, doneReason: 'nothing of Kubernetes is left on it' }));
  }
  if (options.remaining && !wholeCluster) {
    const removed = chosen.map((n) => n.name).join(', ');
    for (const fw of clusterFirewall(options.remaining.spec, options.remaining.facts).nodes) {
      steps.push(
        fromScripts(`${fw.node}/firewall`, fw.node, firewallStep(fw, { describe: `Host firewall: stop letting ${removed} in` }), {
          after: workerResets,
          doneReason: 'the firewall allows exactly the remaining nodes',
          retry: true,
        }),
      );
    }
  }
  return steps;
}
