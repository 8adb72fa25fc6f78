// The status parsers and verdict without hosts: readiness from node conditions, workloads from
// Deployment/StatefulSet/CronJob JSON with stuck pods named, and the snapshot's problems.
import { describe, expect, it } from 'vitest';
import { nodeReadiness, parseClusterOutput, workloadState } from '../../src/status/cluster.js';
import { formatSnapshot, problemsOf } from '../../src/status/snapshot.js';
import { mergeKubeconfig, renameAdminConf } from '../../src/kubeconfig/merge.js';

const deployment = (name: string, status: Record<string, unknown>, replicas = 1) => ({
  kind: 'Deployment',
  metadata: { name, namespace: 'default', generation: 2 },
  spec: { replicas },
  status: { observedGeneration: 2, ...status },
});

describe('status parsing', () => {
  it('node readiness: Ready, NotReady with reason and message, cordoned', () => {
    expect(nodeReadiness({ metadata: { name: 'a' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } })).toEqual({ name: 'a', ready: true, unschedulable: false });
    expect(nodeReadiness({ metadata: { name: 'b' }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }] } })).toEqual({
      name: 'b',
      ready: false,
      unschedulable: true,
      reason: 'NodeStatusUnknown: Kubelet stopped posting node status.',
    });
  });

  it('a Deployment rolled out is available; one with a pod in ImagePullBackOff is not, with the reason', () => {
    const ok = workloadState(deployment('bot', { replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 }), []);
    expect(ok).toMatchObject({ name: 'bot', kind: 'Deployment', ready: 1, desired: 1, updated: 1, available: true });
    const pods = [{ metadata: { name: 'blog-x', labels: { 'app.kubernetes.io/name': 'blog' } }, status: { containerStatuses: [{ name: 'app', restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ghcr.io/me/blog:9"' } } }] } }];
    const stuck = workloadState(deployment('blog', { replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 }, 2), pods);
    expect(stuck).toMatchObject({ ready: 1, desired: 2, available: false, reason: 'ImagePullBackOff: Back-off pulling image "ghcr.io/me/blog:9"' });
  });

  it('parses the three sections; a CronJob is available unless its pods are stuck', () => {
    const out = [
      JSON.stringify({ items: [{ metadata: { name: 'cp1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }] }),
      '#workloads',
      JSON.stringify({ items: [{ kind: 'CronJob', metadata: { name: 'cleanup' }, spec: {}, status: { lastScheduleTime: '2026-09-01T03:00:00Z' } }] }),
      '#pods',
      JSON.stringify({ items: [] }),
    ].join('\n');
    const state = parseClusterOutput(out);
    expect(state.nodes.map((n) => n.name)).toEqual(['cp1']);
    expect(state.workloads[0]).toMatchObject({ kind: 'CronJob', available: true, lastScheduleTime: Date.parse('2026-09-01T03:00:00Z') });
  });

  it("a database's dump CronJob: the age of its last successful dump, overdue when older than twice its schedule", () => {
    const dumpJob = (lastSuccessfulTime?: string) => ({
      kind: 'CronJob',
      metadata: { name: 'mysql-dump', namespace: 'default', creationTimestamp: '2026-11-20T10:00:00Z', labels: { 'hobbykube.dev/dump-of': 'mysql' } },
      spec: { schedule: '0 3 * * *' },
      status: lastSuccessfulTime ? { lastSuccessfulTime } : {},
    });
    const now = Date.parse('2026-11-28T09:00:00Z');
    const fresh = workloadState(dumpJob('2026-11-28T03:00:30Z'), [], now);
    expect(fresh.dump).toEqual({ database: 'mysql', overdue: false, text: 'last dump 5h 59m ago (2026-11-28T03:00:30Z)', lastSuccess: Date.parse('2026-11-28T03:00:30Z') });
    const stale = workloadState(dumpJob('2026-11-25T03:00:30Z'), [], now);
    expect(stale.dump).toMatchObject({ overdue: true });
    const never = workloadState(dumpJob(), [], now);
    expect(never.dump).toMatchObject({ overdue: true, text: expect.stringMatching(/^no successful dump in the 7d 23h since it was set up/) });
    // An owner's own CronJob is not a dump: no verdict about it.
    expect(workloadState({ kind: 'CronJob', metadata: { name: 'cleanup' }, spec: { schedule: '0 3 * * *' }, status: {} }, [], now)).not.toHaveProperty('dump');

    const base = { cluster: 'home', time: now, nodes: [] };
    const problems = problemsOf({ ...base, workloads: [fresh, stale] });
    expect(problems).toEqual(['dumps of mysql: last dump 3d 5h ago (2026-11-25T03:00:30Z): older than twice its schedule (0 3 * * * UTC); the dumps are failing or not running']);
    const text = formatSnapshot({ ...base, workloads: [fresh], problems: [] }).join('\n');
    expect(text).toMatch(/mysql-dump +CronJob +0 act +- +ok, last dump 5h 59m ago \(2026-11-28T03:00:30Z\)/);
    expect(formatSnapshot({ ...base, workloads: [stale], problems }).join('\n')).toContain('DUMPS OVERDUE, last dump 3d 5h ago');
  });

  it('problems: unreachable, not joined, NotReady and unavailable workloads; none when healthy', () => {
    const base = { cluster: 'home', time: 0 };
    const ready = { name: 'cp1', ready: true, unschedulable: false };
    expect(problemsOf({ ...base, nodes: [{ name: 'cp1', address: 'a', role: 'control-plane', readiness: ready }], workloads: [] })).toEqual([]);
    const problems = problemsOf({
      ...base,
      nodes: [
        { name: 'cp1', address: 'a', role: 'control-plane', readiness: ready },
        { name: 'w1', address: 'b', role: 'worker', memoryError: 'connection refused' },
        { name: 'w2', address: 'c', role: 'worker', readiness: { name: 'w2', ready: false, unschedulable: false, reason: 'KubeletNotReady' } },
      ],
      workloads: [{ name: 'bot', kind: 'Deployment', ready: 0, desired: 1, updated: 1, available: false }],
    });
    expect(problems).toEqual([
      'w1: unreachable: connection refused',
      'w1: not a member of the cluster (not joined yet, or removed)',
      'w2: NotReady (KubeletNotReady)',
      'deployment bot: not available (0/1 ready, 1 updated)',
    ]);
    const text = formatSnapshot({ ...base, nodes: [], workloads: [], problems }).join('\n');
    expect(text).toContain('4 problems:\n  - w1: unreachable: connection refused');
  });
});

describe('kubeconfig merge', () => {
  const admin = `apiVersion: v1
clusters:
- cluster: {certificate-authority-data: Q0E=, server: 'https://203.0.113.10:6443'}
  name: kubernetes
contexts:
- context: {cluster: kubernetes, user: kubernetes-admin}
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
users:
- name: kubernetes-admin
  user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ}
`;
  it('renames kubeadm\'s generic names after the cluster', () => {
    const kc = renameAdminConf(admin, 'home');
    expect(kc.clusters.map((c) => c.name)).toEqual(['home']);
    expect(kc.users.map((c) => c.name)).toEqual(['home']);
    expect(kc.contexts).toEqual([{ name: 'home', context: { cluster: 'home', user: 'home' } }]);
    expect(kc['current-context']).toBe('home');
  });

  it('into nothing: our config, current; into a file with another cluster named alike only ours changes', () => {
    const ours = renameAdminConf(admin, 'home');
    expect(mergeKubeconfig(undefined, ours)).toMatchObject({ replaced: false, madeCurrent: true });
    const first = mergeKubeconfig('clusters: []\n', ours);
    expect(first.madeCurrent).toBe(true);
    const again = mergeKubeconfig(first.text, ours);
    expect(again.replaced).toBe(true);
    expect(again.text).toBe(first.text);
  });
});
