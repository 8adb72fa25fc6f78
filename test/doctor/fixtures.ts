// Inputs for doctor's pure judgements: a spec like the source document's cluster, node probes,
// and cluster JSON as kubectl prints it (trimmed to the fields doctor reads).
import type { ClusterView, Json } from '../../src/doctor/cluster-query.js';
import type { NodeProbe } from '../../src/doctor/node-probe.js';
import type { MemorySample } from '../../src/monitor/memory.js';
import type { ClusterSpec, NodeSpec } from '../../src/spec/types.js';
import { healthyFacts } from '../facts/helpers.js';

export { healthyFacts };

export const NOW = Date.parse('2026-11-28T12:00:00Z');
export const iso = (ms: number) => new Date(ms).toISOString();

export function node(name: string, role: NodeSpec['role'] = 'worker'): NodeSpec {
  return { name, address: name === 'cp1' ? '203.0.113.10' : name === 'w1' ? '203.0.113.11' : '203.0.113.12', role, schedulable: false, ssh: { user: 'ubuntu' }, acceptUndersized: role === 'control-plane' };
}

export function sourceSpec(): ClusterSpec {
  return {
    apiVersion: 'hobbykube.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'source' },
    spec: {
      kubernetesVersion: '1.37',
      nodes: [node('cp1', 'control-plane'), node('w1'), node('w2')],
      dns: { upstream: ['1.1.1.1', '9.9.9.9'] },
      ingress: { node: 'w1', email: 'me@example.com', acme: 'production' },
      workloads: [
        { kind: 'worker', name: 'chatbot', image: 'ghcr.io/me/ruboty:2.6', memory: '96Mi', env: {}, secretEnv: [], replicas: 1 },
        { kind: 'database', name: 'mysql', node: 'w2', storage: '5Gi', memory: '256Mi', image: 'mysql:8.4' },
        { kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: 3000, domain: 'blog.example.com', memory: '192Mi', env: {}, secretEnv: [], replicas: 1, healthPath: '/' },
        { kind: 'cron', name: 'renew', schedule: '0 4 * * *', image: 'ghcr.io/me/acmesmith:1', memory: '64Mi', env: {}, secretEnv: [] },
      ],
    },
  };
}

export function probe(overrides: Partial<NodeProbe> = {}): NodeProbe {
  return {
    complete: true,
    kubeletConfig: { kind: 'KubeletConfiguration', resolvConf: '/run/systemd/resolve/resolv.conf' },
    kubeletResolvConf: { path: '/run/systemd/resolve/resolv.conf', nameservers: ['1.1.1.1', '9.9.9.9'], missing: false },
    units: { kubelet: { state: 'active', journal: [] }, containerd: { state: 'active', journal: [] } },
    swaps: [],
    fstabSwap: [],
    rss: { pods: 0, kubelet: 0, containerd: 0, shims: 0, other: 0 },
    processes: {},
    certificates: [],
    opensslMissing: false,
    ...overrides,
  };
}

export function sample(totalMiB: number, availableMiB: number, top: MemorySample['top'] = []): MemorySample {
  return { time: NOW, totalMiB, availableMiB, freeMiB: Math.round(availableMiB / 2), usedMiB: totalMiB - availableMiB, swapTotalMiB: 0, swapUsedMiB: 0, top };
}

export function nodeJson(name: string, ready: Json = { type: 'Ready', status: 'True', reason: 'KubeletReady' }, extra: Json[] = [], version = 'v1.37.1'): Json {
  return {
    kind: 'Node',
    metadata: { name },
    spec: {},
    status: {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'DiskPressure', status: 'False' }, { type: 'PIDPressure', status: 'False' }, ...extra, ready],
      nodeInfo: { kubeletVersion: version },
    },
  };
}

export interface PodInput {
  name: string;
  namespace?: string;
  workload?: string;
  node?: string;
  phase?: string;
  reason?: string;
  message?: string;
  labels?: Record<string, string>;
  containers?: Json[];
  statuses?: Json[];
  conditions?: Json[];
  owner?: Json;
  created?: string;
}

export function pod(p: PodInput): Json {
  return {
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace ?? 'default',
      labels: p.labels ?? (p.workload ? { 'app.kubernetes.io/name': p.workload, 'app.kubernetes.io/managed-by': 'hobbykube' } : {}),
      ...(p.owner ? { ownerReferences: [p.owner] } : {}),
      creationTimestamp: p.created ?? iso(NOW - 86_400_000 * 3),
    },
    spec: { ...(p.node ? { nodeName: p.node } : {}), containers: p.containers ?? [{ name: 'main', image: 'ghcr.io/me/app:1', resources: { limits: { memory: '192Mi' } } }] },
    status: {
      phase: p.phase ?? 'Running',
      ...(p.reason ? { reason: p.reason } : {}),
      ...(p.message ? { message: p.message } : {}),
      conditions: p.conditions ?? [{ type: 'Ready', status: 'True' }],
      containerStatuses: p.statuses ?? [{ name: 'main', ready: true, restartCount: 0, state: { running: {} } }],
    },
  };
}

export function deployment(name: string, ready: boolean, kind = 'Deployment'): Json {
  return {
    kind,
    metadata: { name, namespace: 'default', generation: 1 },
    spec: { replicas: 1 },
    status: ready
      ? { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1, ...(kind === 'StatefulSet' ? { currentRevision: 'r1', updateRevision: 'r1', currentReplicas: 1 } : {}) }
      : { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 0, availableReplicas: 0, ...(kind === 'StatefulSet' ? { currentRevision: 'r1', updateRevision: 'r1' } : {}) },
  };
}

export function view(overrides: Partial<ClusterView> = {}): ClusterView {
  return {
    nodes: [nodeJson('cp1'), nodeJson('w1'), nodeJson('w2')],
    pods: [],
    workloads: [],
    corefile: '.:53 {\n    errors\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . 1.1.1.1 9.9.9.9\n    cache 30\n}\n',
    serverVersion: 'v1.37.1',
    errors: {},
    ...overrides,
  };
}
