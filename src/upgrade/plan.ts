// The upgrade plan: a pure function of the spec, the nodes' facts and the target, as steps the
// install runner walks (journal, probes, resume). The control plane first: kubeadm, `kubeadm
// upgrade plan`, `kubeadm upgrade apply`, its kubelet and kubectl, Ready with the new kubelet.
// Meanwhile every worker gets the new repository and kubeadm (nothing runs differently yet).
// Then one worker at a time: drain, `kubeadm upgrade node`, kubelet and kubectl, Ready with the
// new kubelet, uncordon; the next worker's drain waits for the previous one's uncordon, so two
// nodes are never out at once. The control plane is not drained: it runs no workloads unless
// `schedulable: true`, and a kubelet restart leaves running containers alone.
//
//   cp1/upgrade.kubeadm -> cp1/upgrade.plan -> cp1/upgrade.apply -> cp1/upgrade.kubelet -> cp1/upgrade.ready
//                  |                                     \-> cp1/kubeconfig (admin.conf was renewed)
//                  +-> w1/upgrade.kubeadm, w2/upgrade.kubeadm ...
//   cp1/upgrade.ready + w1/upgrade.kubeadm -> w1/upgrade.drain -> w1/upgrade.node -> w1/upgrade.kubelet -> w1/upgrade.ready -> w1/upgrade.uncordon
//   w1/upgrade.uncordon + w2/upgrade.kubeadm -> w2/upgrade.drain -> ...
import type { NodeFacts } from '../facts/types.js';
import { clusterAddressing } from '../facts/addressing.js';
import { controlPlaneOf, fetchKubeconfig } from '../install/plan.js';
import { parseKubeadmVersion, parseKubernetesVersion } from '../install/render/index.js';
import { exitFailure, fromScripts, runAction, runQuick, ACTION_TIMEOUT_MS, StepFailure, type Step, type StepContext } from '../install/step.js';
import type { ClusterSpec } from '../spec/types.js';
import { upgradeApplyStep, upgradePlanStep } from './render/control-plane.js';
import { renewCertificatesStep, restartControlPlaneStep } from './render/certs.js';
import { drainStep, DRAIN_TIMEOUT_SECONDS, uncordonStep, waitUpgradedStep } from './render/drain.js';
import { kubeadmPackageStep } from './render/kubeadm-package.js';
import { kubeletPackageStep } from './render/kubelet-package.js';
import { upgradeNodeStep } from './render/node-config.js';

export interface UpgradeTarget {
  /** "1.37". */
  minor: string;
  /** "1.37.2" when the owner asked for that release; else the repository's newest. */
  patch?: string;
}

export interface UpgradePlanInput {
  spec: ClusterSpec;
  facts: ReadonlyMap<string, NodeFacts>;
  target: UpgradeTarget;
}

/** How long `kubeadm upgrade apply` may take: it replaces each static pod and waits up to 5 minutes for each (kubeadm's own limit), on a slow small node. */
export const UPGRADE_APPLY_TIMEOUT_MS = 25 * 60_000;
/** A node's wait for Ready with its new kubelet (the script's own limit is 300 s). */
const WAIT_TIMEOUT_MS = 6 * 60_000;

const memTotal = (facts: NodeFacts | undefined, node: string): number => {
  const mib = facts?.memory.totalMiB;
  if (mib === undefined) throw new Error(`the memory of ${node} is unknown (no facts): its kubelet patch cannot be written`);
  return mib;
};
const resolvedStub = (facts: NodeFacts | undefined): boolean => facts?.dns.resolver === 'systemd-stub';

/**
 * A worker's kubeadm, pinned at run time to the release the control plane's kubeadm has (read
 * there with `kubeadm version -o short`), so the whole cluster ends on one release: a patch
 * release published during the upgrade, or an owner's `--to 1.37.2`, cannot split it.
 */
function workerKubeadm(node: string, cp: string, minor: string, after: string[]): Step {
  const base = fromScripts(`${node}/upgrade.kubeadm`, node, kubeadmPackageStep({ minor }), { after, retry: true });
  /** The control plane's kubeadm release ("1.37.1"), when it is of this minor. */
  const cpRelease = async (ctx: StepContext): Promise<string | undefined> => {
    const read = await runQuick(await ctx.host(cp), 'kubeadm version -o short');
    const version = read.code === 0 ? parseKubeadmVersion(read.stdout) : undefined;
    return version !== undefined && parseKubernetesVersion(version).minor === minor ? version.slice(1) : undefined;
  };
  return {
    ...base,
    title: `Switch to pkgs.k8s.io's v${minor} repository and upgrade kubeadm to ${cp}'s release (unhold, install, hold)`,
    async probe(ctx) {
      const pin = await cpRelease(ctx);
      const result = await runQuick(await ctx.host(node), kubeadmPackageStep({ minor, ...(pin ? { pin } : {}) }).probe);
      if (result.code === 0) return { done: true, reason: `kubeadm ${pin ?? minor} from pkgs.k8s.io is installed and held` };
      if (result.code === 1) return { done: false, reason: '' };
      throw exitFailure(ctx, `the check before upgrading kubeadm on ${node} failed with exit code ${result.code}`, result, 'output');
    },
    async run(ctx, output) {
      const pin = await cpRelease(ctx);
      if (pin === undefined) throw new StepFailure(`${cp}'s kubeadm is not of ${minor}: its own kubeadm step did not finish`);
      output(`pinning kubeadm to ${cp}'s release, v${pin}`, 'stdout');
      await runAction(ctx, await ctx.host(node), kubeadmPackageStep({ minor, pin }).action, output);
    },
  };
}

export function buildUpgradePlan(input: UpgradePlanInput): Step[] {
  const { spec, facts, target } = input;
  const cp = controlPlaneOf(spec);
  const workers = spec.spec.nodes.filter((n) => n.role === 'worker');
  const cpFacts = facts.get(cp.name);
  const id = (node: string, what: string) => `${node}/upgrade.${what}`;
  const steps: Step[] = [];

  steps.push(
    fromScripts(id(cp.name, 'kubeadm'), cp.name, kubeadmPackageStep({ minor: target.minor, ...(target.patch ? { pin: target.patch } : {}) }), {
      retry: true,
      doneReason: `kubeadm ${target.patch ?? target.minor} from pkgs.k8s.io is installed and held`,
    }),
    fromScripts(id(cp.name, 'plan'), cp.name, upgradePlanStep(target.minor), { after: [id(cp.name, 'kubeadm')], retry: true, doneReason: 'the control plane already runs kubeadm\'s release' }),
    fromScripts(id(cp.name, 'apply'), cp.name, upgradeApplyStep({ memTotalMiB: memTotal(cpFacts, cp.name), resolvedStub: resolvedStub(cpFacts), minor: target.minor }), {
      after: [id(cp.name, 'plan')],
      timeoutMs: UPGRADE_APPLY_TIMEOUT_MS,
      doneReason: 'the control plane already runs kubeadm\'s release',
    }),
    fetchKubeconfig(cp, clusterAddressing(spec, facts, spec.spec.nodes).ownerServer, [id(cp.name, 'apply')]),
    fromScripts(id(cp.name, 'kubelet'), cp.name, kubeletPackageStep(cp.name, 'admin', target.minor), { after: [id(cp.name, 'apply')], retry: true, doneReason: 'its kubelet runs kubeadm\'s release' }),
    fromScripts(id(cp.name, 'ready'), cp.name, waitUpgradedStep(cp.name, target.minor), { after: [id(cp.name, 'kubelet')], retry: true, timeoutMs: WAIT_TIMEOUT_MS, doneReason: 'Ready with the new kubelet' }),
  );

  let previous: string | undefined;
  for (const w of workers) {
    const f = facts.get(w.name);
    steps.push(
      workerKubeadm(w.name, cp.name, target.minor, [id(cp.name, 'kubeadm')]),
      fromScripts(id(w.name, 'drain'), w.name, drainStep(w.name, target.minor), {
        runsOn: cp.name,
        after: [id(w.name, 'kubeadm'), id(cp.name, 'ready'), ...(previous ? [previous] : [])],
        timeoutMs: (DRAIN_TIMEOUT_SECONDS + 60) * 1000,
        doneReason: 'drained, or already upgraded',
      }),
      fromScripts(id(w.name, 'node'), w.name, upgradeNodeStep({ nodeName: w.name, memTotalMiB: memTotal(f, w.name), resolvedStub: resolvedStub(f), minor: target.minor }), {
        after: [id(w.name, 'drain')],
        doneReason: 'it already runs the new kubelet',
      }),
      fromScripts(id(w.name, 'kubelet'), w.name, kubeletPackageStep(w.name, 'kubelet', target.minor), { after: [id(w.name, 'node')], retry: true, doneReason: 'its kubelet runs kubeadm\'s release' }),
      fromScripts(id(w.name, 'ready'), w.name, waitUpgradedStep(w.name, target.minor), { runsOn: cp.name, after: [id(w.name, 'kubelet')], retry: true, timeoutMs: WAIT_TIMEOUT_MS, doneReason: 'Ready with the new kubelet' }),
      fromScripts(id(w.name, 'uncordon'), w.name, uncordonStep(w.name, target.minor), { runsOn: cp.name, after: [id(w.name, 'ready')], doneReason: 'it is schedulable' }),
    );
    previous = id(w.name, 'uncordon');
  }
  return steps;
}

/** `upgrade --renew-certs`: the control plane's certificates renewed, its components restarted on them, the owner's kubeconfig fetched again. */
export function buildRenewPlan(spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>): Step[] {
  const cp = controlPlaneOf(spec);
  const renew = `${cp.name}/certs.renew`;
  const restart = `${cp.name}/certs.restart`;
  return [
    fromScripts(renew, cp.name, renewCertificatesStep(), { doneReason: 'every certificate was renewed in the last few days' }),
    fromScripts(restart, cp.name, restartControlPlaneStep(), { after: [renew], retry: true, timeoutMs: ACTION_TIMEOUT_MS, doneReason: 'the control plane already runs on these certificates' }),
    fetchKubeconfig(cp, clusterAddressing(spec, facts, [cp]).ownerServer, [restart]),
  ];
}
