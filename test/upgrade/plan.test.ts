// The upgrade plan (pure): the control plane first, then one worker at a time, the patches passed
// to kubeadm again, every script through shellcheck; and what each drain does to the workloads.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { NodeFacts } from '../../src/facts/types.js';
import { checkPlan } from '../../src/install/runner.js';
import type { Step } from '../../src/install/step.js';
import { drainImpacts, formatDrainImpacts } from '../../src/upgrade/drain-impact.js';
import { buildRenewPlan, buildUpgradePlan } from '../../src/upgrade/plan.js';
import { kubeadmPackageStep } from '../../src/upgrade/render/kubeadm-package.js';
import { healthyFacts } from '../facts/helpers.js';
import { requires, shellcheckMissing } from '../support/requires.js';
import { SOURCE_DRAIN_LINES } from './support.js';
import { specOf } from '../workloads/helpers.js';

const example = parse(readFileSync(new URL('../../examples/source-cluster.yaml', import.meta.url), 'utf8'));
const source = specOf({ ...example, spec: { ...example.spec, kubernetesVersion: '1.36' } });
const facts = (memory: Record<string, number>): Map<string, NodeFacts> =>
  new Map(Object.entries(memory).map(([name, totalMiB]) => [name, healthyFacts({ memory: { totalMiB, availableMiB: totalMiB - 90, freeMiB: 100 } })]));
const SMALL = facts({ cp1: 970, w1: 470, w2: 470 });

/** Every step id the given step waits for, directly or not. */
function ancestors(steps: Step[], id: string): Set<string> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const walk = (x: string) => {
    for (const dep of byId.get(x)!.after) if (!seen.has(dep)) (seen.add(dep), walk(dep));
  };
  walk(id);
  return seen;
}

describe('the upgrade plan', () => {
  const steps = buildUpgradePlan({ spec: source, facts: SMALL, target: { minor: '1.37' } });

  it('upgrades the control plane first, then each worker in turn, never two drained at once', () => {
    checkPlan(steps);
    expect(steps.map((s) => s.id)).toEqual([
      'cp1/upgrade.kubeadm', 'cp1/upgrade.plan', 'cp1/upgrade.apply', 'cp1/kubeconfig', 'cp1/upgrade.kubelet', 'cp1/upgrade.ready',
      'w1/upgrade.kubeadm', 'w1/upgrade.drain', 'w1/upgrade.node', 'w1/upgrade.kubelet', 'w1/upgrade.ready', 'w1/upgrade.uncordon',
      'w2/upgrade.kubeadm', 'w2/upgrade.drain', 'w2/upgrade.node', 'w2/upgrade.kubelet', 'w2/upgrade.ready', 'w2/upgrade.uncordon',
    ]);
    // A worker is drained only once the control plane runs the new version...
    expect(ancestors(steps, 'w1/upgrade.drain')).toContain('cp1/upgrade.ready');
    expect(ancestors(steps, 'w1/upgrade.drain')).toContain('cp1/upgrade.apply');
    // ... and the next worker only once the previous one is back.
    expect(ancestors(steps, 'w2/upgrade.drain')).toContain('w1/upgrade.uncordon');
    // A worker's kubeadm may come early (nothing runs differently), after the control plane's.
    expect(ancestors(steps, 'w2/upgrade.kubeadm')).toEqual(new Set(['cp1/upgrade.kubeadm']));
    // Uncordon comes after the node is Ready with its new kubelet.
    expect([...ancestors(steps, 'w1/upgrade.uncordon')]).toEqual(expect.arrayContaining(['w1/upgrade.ready', 'w1/upgrade.kubelet', 'w1/upgrade.node', 'w1/upgrade.drain']));
  });

  it("passes hobbykube's patches to kubeadm upgrade apply and node, with each node's own kubelet settings", () => {
    const art = (id: string, name: string) => steps.find((s) => s.id === id)!.artifacts.find((a) => a.name === name)?.content;
    expect(art('cp1/upgrade.apply', 'action.sh')).toContain('kubeadm upgrade apply "$target" --yes --patches /etc/hobbykube/kubeadm-patches');
    expect(art('w1/upgrade.node', 'action.sh')).toContain('kubeadm upgrade node --patches /etc/hobbykube/kubeadm-patches');
    // The small control plane's static pod requests and CoreDNS, and its kubelet settings.
    expect(parse(art('cp1/upgrade.apply', 'file_etc_hobbykube_kubeadm-patches_kube-apiserver+strategic.yaml')!)).toEqual({ spec: { containers: [{ name: 'kube-apiserver', resources: { requests: { memory: '240Mi' } } }] } });
    expect(parse(art('cp1/upgrade.apply', 'file_etc_hobbykube_kubeadm-patches_corednsdeployment+strategic.yaml')!).spec.replicas).toBe(1);
    // A 470 MiB worker keeps its swap: without these the kubelet would not start with swap on.
    const w1 = parse(art('w1/upgrade.node', 'file_etc_hobbykube_kubeadm-patches_kubeletconfiguration+merge.yaml')!);
    expect(w1).toMatchObject({ failSwapOn: false, memorySwap: { swapBehavior: 'LimitedSwap' }, maxPods: 11 });
  });

  it('pins the kubelet and kubectl to the installed kubeadm, and a patch release when asked', () => {
    expect(steps.find((s) => s.id === 'w1/upgrade.kubelet')!.artifacts[1]!.content).toContain('apt_get install -y --allow-change-held-packages "kubelet=$release-*" "kubectl=$release-*"');
    const pinned = buildUpgradePlan({ spec: source, facts: SMALL, target: { minor: '1.37', patch: '1.37.0' } });
    expect(pinned.find((s) => s.id === 'cp1/upgrade.kubeadm')!.artifacts[1]!.content).toContain("apt_get install -y --allow-change-held-packages 'kubeadm=1.37.0-*'");
    expect(() => kubeadmPackageStep({ minor: '1.37', pin: '1.36.2' })).toThrow('kubeadm 1.36.2 is not of minor 1.37');
  });

  it('every script passes shellcheck', requires(shellcheckMissing()), () => {
    const scripts = [
      ...[...steps, ...buildRenewPlan(source, SMALL)].flatMap((s) => s.artifacts.filter((a) => a.name.endsWith('.sh')).map((a) => [`${s.id} ${a.name}`, a.content] as const)),
      ['worker kubeadm, pinned', kubeadmPackageStep({ minor: '1.37', pin: '1.37.1' }).action] as const,
    ];
    expect(scripts.length).toBeGreaterThan(30);
    for (const [name, text] of scripts) {
      const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: text, encoding: 'utf8' });
      expect(r.status, `${name}\n${r.stdout}`).toBe(0);
    }
  });
});

describe('what each drain does', () => {
  it("on the source document's cluster: Traefik is down with w1, the database with w2", () => {
    const impacts = drainImpacts(source, SMALL);
    expect(formatDrainImpacts(source, impacts)).toEqual(SOURCE_DRAIN_LINES);
  });

  it('nothing is down where the other nodes have room, and fewer replicas are said as such', () => {
    const roomy = facts({ cp1: 1970, w1: 1970, w2: 1970 });
    const spec = specOf({ ...example, spec: { ...example.spec, ingress: undefined, workloads: [{ kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: 3000, replicas: 2, memory: '192Mi' }] } });
    expect(formatDrainImpacts(spec, drainImpacts(spec, roomy)).slice(1)).toEqual(['  w1: its pods move to the other nodes; nothing is down.', '  w2: its pods move to the other nodes; nothing is down.']);
    const tight = facts({ cp1: 970, w1: 470, w2: 470 });
    // Two replicas that never swap (request = memory): one per worker, and the other worker holds only one.
    const two = specOf({ ...example, spec: { ...example.spec, ingress: undefined, workloads: [{ kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: 3000, replicas: 2, memory: '150Mi', memoryRequest: '150Mi' }] } });
    const w1 = drainImpacts(two, tight)[0]!;
    expect(w1.down).toEqual([]);
    expect(w1.fewer.map((f) => f.what)).toEqual(['app blog: 1 of 2 replicas find room elsewhere']);
  });
});
