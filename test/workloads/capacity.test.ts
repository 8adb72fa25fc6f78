import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/file.js';
import type { Workload } from '../../src/spec/types.js';
import type { NodeFacts } from '../../src/facts/types.js';
import { addonPods } from '../../src/workloads/addons.js';
import { capacityInput, checkCapacity, controlPlaneExcessMiB, formatCapacity, type CapacityNode } from '../../src/workloads/capacity.js';
import { fullSpec } from './helpers.js';

// The README's example spec (test/fixtures/specs/valid-full.yaml): cp1 1 GB, w1 and w2 512 MB.
const readme = loadSpec(join(import.meta.dirname, '../fixtures/specs/valid-full.yaml'));

// MemTotal as the nodes report it: a "1 GB" VPS shows about 970 MiB, a "512 MB" one about 481.
const small: CapacityNode[] = [
  { name: 'cp1', role: 'control-plane', schedulable: false, memTotalMiB: 970 },
  { name: 'w1', role: 'worker', schedulable: false, memTotalMiB: 481 },
  { name: 'w2', role: 'worker', schedulable: false, memTotalMiB: 481 },
];

// The source document's cluster (issue 13): a 970 MiB control plane, two 470 MiB workers.
const sourceNodes: CapacityNode[] = [
  { name: 'cp1', role: 'control-plane', schedulable: false, memTotalMiB: 970 },
  { name: 'w1', role: 'worker', schedulable: false, memTotalMiB: 470 },
  { name: 'w2', role: 'worker', schedulable: false, memTotalMiB: 470 },
];
const source = loadSpec(join(import.meta.dirname, '../../examples/source-cluster.yaml'));

describe('capacity check', () => {
  it("the source document's cluster fits, surge pods included: the exact tables", () => {
    const report = checkCapacity({ nodes: sourceNodes, workloads: source.spec.workloads, addons: addonPods(source) });
    expect(report.problems).toEqual([]);
    expect(report.fits).toBe(true);
    expect(formatCapacity(report).join('\n')).toBe(
      [
        'Memory per node (MiB), pods counted by their memory requests:',
        'node role          memory reserved allocatable system add-ons workloads surge free',
        'cp1  control-plane    970      314         656    496       0         0     0  160',
        'w1   worker           470      202         268     70      48       118    32    0',
        'w2   worker           470      202         268     70       0        86    64   48',
        '',
        'cp1: kube-apiserver 240, etcd 64, kube-controller-manager 48, kube-scheduler 24, coredns 50, flannel 50, kube-proxy 20',
        'w1: flannel 50, kube-proxy 20, traefik 48/144, blog 64/192, chatbot 32/96, renew 22/64, chatbot (surge) 32/96',
        'w2: flannel 50, kube-proxy 20, mysql 86/256, blog (surge) 64/192',
        '',
        'If every pod used its memory limit at once (MiB, swap as LimitedSwap allows it):',
        'node  pods  limits  RAM for pods  swap for pods  spare',
        'cp1   7/24     616           656              0     40',
        'w1    7/11     662           268            402      8',
        'w2    4/11     518           268            305     55',
        '',
        'Reserved for the system (MiB):',
        '  cp1 (small-node profile, maxPods 24): kernel and operating system 80 + kubelet 40 + containerd 24 + containerd-shim x 24 pods 70 + hard eviction threshold 100 = 314',
        '  w1 (small-node profile, swap 960 MiB LimitedSwap, maxPods 11): kernel and operating system 80 + kubelet 40 + containerd 24 + containerd-shim x 11 pods 38 + hard eviction threshold 20 = 202',
        '  w2 (small-node profile, swap 960 MiB LimitedSwap, maxPods 11): kernel and operating system 80 + kubelet 40 + containerd 24 + containerd-shim x 11 pods 38 + hard eviction threshold 20 = 202',
        "Memory requests: a third of each workload's memory on nodes with swap (its swap share covers the rest), memory elsewhere; memoryRequest overrides.",
        '',
        'Fits: every workload has room, with one extra pod per Deployment for rolling updates.',
      ].join('\n'),
    );
    // What the renderer gets: a third of each memory as request, the memory as written as limit.
    expect(Object.fromEntries([...report.memory].map(([name, m]) => [name, `${m.request}/${m.limit} ${m.rule}`]))).toEqual({
      chatbot: '32Mi/96Mi swap',
      mysql: '86Mi/256Mi swap',
      blog: '64Mi/192Mi swap',
      renew: '22Mi/64Mi swap',
    });
  });

  it('every pod at its limit: the RAM for pods plus each Burstable pod\'s LimitedSwap share hold the limits', () => {
    const report = checkCapacity({ nodes: sourceNodes, workloads: source.spec.workloads, addons: addonPods(source) });
    for (const r of report.rows) {
      expect(r.limitsMiB).toBe(r.pods.reduce((sum, p) => sum + p.limitMiB, 0));
      expect(r.podSwapMiB).toBe(r.pods.reduce((sum, p) => sum + p.swapMiB, 0));
      for (const p of r.pods) {
        // request / MemTotal x swapfile size, system pods (high priority) never swap.
        expect(p.swapMiB).toBe(p.role === 'system' || r.swapMiB === 0 ? 0 : Math.floor((p.memoryMiB * r.swapMiB) / r.memTotalMiB));
        // With swap = 2 x RAM, a request of a third of the limit covers the whole limit.
        if (p.swapMiB > 0) expect(p.memoryMiB + p.swapMiB + 2).toBeGreaterThanOrEqual(p.limitMiB);
      }
      expect(r.spareAtLimitsMiB).toBe(r.allocatableMiB + r.podSwapMiB - r.limitsMiB);
      expect(r.spareAtLimitsMiB).toBeGreaterThanOrEqual(0);
    }
  });

  it('the same cluster before this profile (GKE reservations, cert-manager, request = limit) did not fit: 15, 1 and 17 MiB free', () => {
    // Recorded from the previous release (docs/PERFORMANCE.md, row 6): 6 problems. Now: the same
    // workloads, no problem, 160 / 0 / 48 MiB free by request.
    const report = checkCapacity({ nodes: sourceNodes, workloads: source.spec.workloads, addons: addonPods(source) });
    expect(report.rows.map((r) => r.freeMiB)).toEqual([160, 0, 48]);
  });

  it('the README example on 481 MiB workers: only the chatbot surge pod is short, by 8 MiB', () => {
    const report = checkCapacity({ nodes: small, workloads: readme.spec.workloads, addons: addonPods(readme) });
    expect(report.problems.map((p) => [p.kind, p.workload, p.node, p.missingMiB])).toEqual([['no-surge-room', 'chatbot', 'w2', 8]]);
    expect(report.onlySurgeProblems).toBe(true);
    expect(report.proceed).toBe(false);
    const accepted = checkCapacity({ nodes: small, workloads: readme.spec.workloads, addons: addonPods(readme), accept: true });
    expect(accepted.strategies.get('chatbot')).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(formatCapacity(accepted).at(-1)).toBe('Accepted by the owner; updated with maxSurge 0: chatbot.');
  });

  it('a 2 GiB database on a 512 MB worker is refused with the exact shortfall', () => {
    const workloads = fullSpec([{ kind: 'database', name: 'mysql', node: 'w1', memory: '2Gi' }]).spec.workloads;
    const report = checkCapacity({ nodes: sourceNodes, workloads });
    expect(report.fits).toBe(false);
    // 2048 / 3 = 683 MiB of request; w1 has 268 allocatable - 70 system.
    expect(report.problems.map((p) => [p.kind, p.workload, p.node, p.missingMiB, p.message])).toEqual([
      ['pinned-no-room', 'mysql', 'w1', 485, 'mysql (database) needs 683 MiB on w1, which has 198 MiB free: 485 MiB missing.'],
    ]);
  });

  it('a 300 MiB worker is refused: the source cluster does not fit on it', () => {
    const nodes = sourceNodes.map((n) => (n.name === 'w2' ? { ...n, memTotalMiB: 300 } : n));
    const report = checkCapacity({ nodes, workloads: source.spec.workloads, addons: addonPods(source) });
    expect(report.fits).toBe(false);
    const mysql = report.problems.find((p) => p.workload === 'mysql')!;
    expect(mysql).toMatchObject({ kind: 'pinned-no-room', node: 'w2' });
    // 300 - 80 OS - 94 (kubelet, containerd, 8 shims) - 20 eviction = 106 allocatable, 70 for flannel and kube-proxy.
    expect(mysql.message).toBe('mysql (database) needs 86 MiB on w2, which has 36 MiB free: 50 MiB missing.');
  });

  it('overcommit without swap is a problem: limits beyond what RAM holds, named per node', () => {
    const nodes: CapacityNode[] = [
      { name: 'cp1', role: 'control-plane', schedulable: false, memTotalMiB: 4096 },
      { name: 'w1', role: 'worker', schedulable: false, memTotalMiB: 1500 },
    ];
    const workloads = fullSpec([{ kind: 'worker', name: 'hog', image: 'hog:1', memory: '1Gi', memoryRequest: '100Mi', replicas: 2 }]).spec.workloads;
    const report = checkCapacity({ nodes, workloads });
    // By request everything fits (3 x 100 MiB); at their limits three pods need 3 GiB on a node
    // without swap: 3072 + 50 flannel + 20 kube-proxy - 1153 allocatable.
    expect(report.problems.map((p) => [p.kind, p.node, p.missingMiB])).toEqual([['over-limits', 'w1', 1989]]);
    expect(report.problems[0]!.message).toBe(
      'w1: if every pod used its memory limit at once they would need 3142 MiB, and w1 has 1153 MiB of RAM for pods and no swap: 1989 MiB missing. Lower the memory of the workloads there, or raise their memoryRequest so less memory is promised beyond what the node holds.',
    );
    expect(report.onlySurgeProblems).toBe(false);
  });

  it("small nodes hold at most their maxPods pods: the kubelet's limit is counted", () => {
    const nodes: CapacityNode[] = [
      { name: 'cp1', role: 'control-plane', schedulable: false, memTotalMiB: 970 },
      { name: 'w1', role: 'worker', schedulable: false, memTotalMiB: 470 },
    ];
    // 11 pods at most on w1, 2 of them flannel and kube-proxy: 9 tiny replicas fit, the 10th does not.
    const workloads = fullSpec([{ kind: 'worker', name: 'tiny', image: 'tiny:1', memory: '6Mi', replicas: 10 }]).spec.workloads;
    const report = checkCapacity({ nodes, workloads });
    expect(report.rows[1]!.pods).toHaveLength(11);
    expect(report.problems.map((p) => [p.kind, p.message])).toEqual([
      ['no-room', 'tiny replica 10 of 10 (worker) needs 2 MiB and no node has that much free: every node already runs its maximum number of pods, 2 MiB missing.'],
    ]);
  });

  it('a schedulable control plane of 2 GiB or more still counts its unrequested components (standard profile)', () => {
    expect(controlPlaneExcessMiB(2048)).toBe(54);
    expect(controlPlaneExcessMiB(4096)).toBe(54);
    const report = checkCapacity({ nodes: [{ name: 'cp1', role: 'control-plane', schedulable: true, memTotalMiB: 4096 }], workloads: [] });
    expect(report.rows[0]!.pods.map((p) => `${p.name} ${p.memoryMiB}`)).toEqual(['control-plane components beyond their reservation 54', 'etcd 100', 'coredns x2 140', 'flannel 50']);
  });

  it('2 GB workers (small profile, no swap) fit everything, surge pods included; requests equal memory there', () => {
    const nodes = small.map((n) => (n.role === 'worker' ? { ...n, memTotalMiB: 1970 } : n));
    const report = checkCapacity({ nodes, workloads: readme.spec.workloads, addons: addonPods(readme) });
    expect(report.problems).toEqual([]);
    expect(report.fits).toBe(true);
    expect([...report.memory.values()].map((m) => m.rule)).toEqual(['limit', 'limit', 'limit', 'limit']);
    expect(formatCapacity(report)).not.toContain("Memory requests: a third of each workload's memory on nodes with swap (its swap share covers the rest), memory elsewhere; memoryRequest overrides.");
    expect(formatCapacity(report).at(-1)).toBe('Fits: every workload has room, with one extra pod per Deployment for rolling updates.');
  });

  it('a database pinned to a control plane that runs no workloads (a second line of defence: the spec refuses it first)', () => {
    const workloads: Workload[] = [{ kind: 'database', name: 'db', node: 'cp1', memory: '64Mi', storage: '5Gi', image: 'mysql:8.4' }];
    expect(checkCapacity({ nodes: small, workloads }).problems.map((p) => p.message)).toEqual([
      'db (database) is pinned to cp1, which runs no workloads (control plane with schedulable: false).',
    ]);
  });

  it("builds its input from the spec and the nodes' facts", () => {
    const facts = new Map(['cp1', 'w1', 'w2'].map((n) => [n, { memory: { totalMiB: n === 'cp1' ? 970 : 481 } } as NodeFacts]));
    const input = capacityInput(readme, facts);
    expect(input.nodes).toEqual(small);
    expect(input.addons!.map((a) => [a.name, a.memoryMiB, a.limitMiB, a.node])).toEqual([['traefik', 48, 144, 'w1'], ['mysql-dump', 32, 64, 'w2']]);
    expect(() => capacityInput(readme, new Map())).toThrow('memory of cp1, w1, w2 is unknown (no facts): cannot check capacity');
  });
});
