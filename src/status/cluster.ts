// What `hobbykube status` asks the control plane: node readiness and the managed workloads'
// rollout state, in one small read-only command per poll (three `kubectl get -o json` calls),
// parsed here into the progress store's shapes. Pure except for `pollCluster`.
import type { Host } from '../ssh/types.js';
import { quote } from '../shell/quote.js';
import type { WorkloadStatus } from '../progress/state.js';
import { MANAGED_BY, MANAGED_BY_LABEL, NAMESPACE } from '../workloads/labels.js';
import { deploymentStatus, statefulSetStatus, stuckPods } from '../workloads/rollout.js';
import { DUMP_OF_LABEL, dumpFreshness } from '../workloads/dump.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

const KUBECTL = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';
const SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;

/** Run as root on the control plane; sections separated by marker lines. */
export const CLUSTER_SCRIPT = [
  'set -u',
  `[ -f /etc/kubernetes/admin.conf ] || { echo 'no /etc/kubernetes/admin.conf: the control plane is not installed' >&2; exit 3; }`,
  `${KUBECTL} get nodes -o json || exit 4`,
  `echo '#workloads'`,
  `${KUBECTL} get deployments,statefulsets,cronjobs -n ${NAMESPACE} -l ${quote(SELECTOR)} -o json || exit 5`,
  `echo '#pods'`,
  `${KUBECTL} get pods -n ${NAMESPACE} -l ${quote(SELECTOR)} -o json || exit 6`,
  '',
].join('\n');

export interface NodeReadiness {
  name: string;
  ready: boolean;
  /** Why not ready (the Ready condition's reason and message), or "unschedulable". */
  reason?: string;
  /** Cordoned (SchedulingDisabled). */
  unschedulable: boolean;
  /** The kubelet's version as the node reports it ("v1.37.1"). */
  version?: string;
}

export interface WorkloadState extends WorkloadStatus {
  /** Fully rolled out and serving (Deployment/StatefulSet), or not stuck (CronJob). */
  available: boolean;
}

export interface ClusterState {
  nodes: NodeReadiness[];
  workloads: WorkloadState[];
}

function items(text: string): Json[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const parsed = obj(JSON.parse(trimmed));
  if (Array.isArray(parsed.items)) return parsed.items.map(obj);
  return parsed.kind ? [parsed] : [];
}

export function nodeReadiness(node: Json): NodeReadiness {
  const metadata = obj(node.metadata);
  const conditions = (obj(node.status).conditions as Json[] | undefined) ?? [];
  const ready = conditions.map(obj).find((c) => c.type === 'Ready');
  const unschedulable = obj(node.spec).unschedulable === true;
  const isReady = ready?.status === 'True';
  const why = ready ? [ready.reason, ready.message].filter((x) => typeof x === 'string' && x !== '').join(': ') : 'no Ready condition yet';
  const version = obj(obj(node.status).nodeInfo).kubeletVersion;
  return {
    name: String(metadata.name ?? ''),
    ready: isReady,
    unschedulable,
    ...(!isReady ? { reason: why || `Ready is ${String(ready?.status)}` } : {}),
    ...(typeof version === 'string' && version !== '' ? { version } : {}),
  };
}

/** One managed object as a row of the workloads table. */
export function workloadState(o: Json, pods: Json[], now: number = Date.now()): WorkloadState {
  const metadata = obj(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const name = String(metadata.name ?? '');
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const kind = String(o.kind ?? '');
  const stuck = stuckPods(pods).filter((p) => p.workload === name);
  const stuckReason = stuck[0] ? `${stuck[0].reason}${stuck[0].reason === 'CrashLoopBackOff' ? ` (${stuck[0].restarts} restarts)` : ''}${stuck[0].message ? `: ${stuck[0].message}` : ''}` : undefined;
  const base = { name, kind, ...(namespace ? { namespace } : {}) };
  if (kind === 'CronJob') {
    const last = typeof status.lastScheduleTime === 'string' ? Date.parse(status.lastScheduleTime) : NaN;
    const active = Array.isArray(status.active) ? status.active.length : 0;
    const suspended = spec.suspend === true;
    const reason = stuckReason ?? (suspended ? 'suspended' : undefined);
    const labels = obj(metadata.labels);
    const database = typeof labels[DUMP_OF_LABEL] === 'string' ? labels[DUMP_OF_LABEL] : undefined;
    let dump: WorkloadState['dump'];
    if (database !== undefined && typeof spec.schedule === 'string') {
      const success = typeof status.lastSuccessfulTime === 'string' ? Date.parse(status.lastSuccessfulTime) : NaN;
      const created = typeof metadata.creationTimestamp === 'string' ? Date.parse(metadata.creationTimestamp) : NaN;
      const f = dumpFreshness(spec.schedule, Number.isFinite(success) ? success : undefined, Number.isFinite(created) ? created : undefined, now);
      dump = { database, overdue: f.overdue, text: f.text, ...(f.lastSuccess !== undefined ? { lastSuccess: f.lastSuccess } : {}) };
    }
    return { ...base, ready: active, desired: 0, updated: 0, ...(reason ? { reason } : {}), ...(Number.isFinite(last) ? { lastScheduleTime: last } : {}), ...(dump ? { dump } : {}), available: !stuckReason };
  }
  const desired = spec.replicas === undefined ? 1 : num(spec.replicas);
  const ready = num(status.readyReplicas);
  const updated = num(status.updatedReplicas);
  const rollout = kind === 'StatefulSet' ? statefulSetStatus(o) : deploymentStatus(o);
  const availableReplicas = kind === 'StatefulSet' ? ready : num(status.availableReplicas);
  const available = rollout.done && availableReplicas >= desired && !stuckReason;
  const reason = stuckReason ?? (rollout.failed ? rollout.message : undefined);
  return { ...base, ready, desired, updated, ...(reason ? { reason } : {}), available };
}

export function parseClusterOutput(stdout: string, now: number = Date.now()): ClusterState {
  const [nodesPart = '', rest = ''] = stdout.split(/^#workloads$/m);
  const [workloadsPart = '', podsPart = ''] = rest.split(/^#pods$/m);
  const pods = items(podsPart);
  const order = { Deployment: 0, StatefulSet: 1, CronJob: 2 } as Record<string, number>;
  const workloads = items(workloadsPart)
    .map((o) => workloadState(o, pods, now))
    .sort((a, b) => a.name.localeCompare(b.name) || (order[a.kind] ?? 9) - (order[b.kind] ?? 9));
  return { nodes: items(nodesPart).map(nodeReadiness), workloads };
}

export class ClusterQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterQueryError';
  }
}

/** One poll of the control plane. */
export async function pollCluster(cp: Host, timeoutMs = 20_000, now: () => number = Date.now): Promise<ClusterState> {
  const result = await cp.run(CLUSTER_SCRIPT, { sudo: true, timeoutMs });
  if (result.code !== 0) {
    const last = (result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? '';
    throw new ClusterQueryError(`could not ask the cluster on ${cp.node} (exit code ${result.code})${last ? `: ${last}` : ''}`);
  }
  try {
    return parseClusterOutput(result.stdout, now());
  } catch (error) {
    throw new ClusterQueryError(`the cluster's answer on ${cp.node} could not be read: ${(error as Error).message}`);
  }
}
