// Small pieces the checks share: ids, how a fix names where to run a command, pods and their
// states in the cluster's JSON, and the words for sizes and times.
import type { Area, CheckDefinition, CheckOutcome } from '../types.js';
import type { Sources } from '../sources.js';
import type { ClusterPaths } from '../../state/paths.js';
import { obj, str, type Json } from '../cluster-query.js';

export interface CheckContext {
  sources: Sources;
  paths: ClusterPaths;
  /** Turns a value from a node or the cluster into text fit for the screen (secrets masked). */
  redact(text: string): string;
  now(): number;
}

/** Node checks get the node's group, cluster checks "cluster". */
export function checkId(group: string, area: Area, name: string): string {
  return `${group}/${area}/${name}`;
}

export function define(fields: Omit<CheckDefinition, 'id'> & { name: string }): CheckDefinition {
  const { name, ...rest } = fields;
  return { id: checkId(fields.node ?? 'cluster', fields.area, name), ...rest };
}

/** kubectl as root on the control plane, the way fixes spell it. */
export const KUBECTL = 'sudo kubectl --kubeconfig /etc/kubernetes/admin.conf';

/** "on cp1: <command>" */
export const onNode = (node: string, command: string): string => `on ${node}: ${command}`;

export const ok = (summary: string): CheckOutcome => ({ summary, findings: [] });

export const mib = (n: number): string => `${Math.round(n)} MiB`;

export function isoMinute(date: Date | number): string {
  return new Date(date).toISOString().replace(/:\d\d(\.\d+)?Z$/, 'Z');
}

export function days(ms: number): string {
  const d = Math.floor(ms / 86_400_000);
  if (Math.abs(ms) < 86_400_000) return `${Math.round(ms / 3_600_000)} h`;
  return `${d} day${d === 1 ? '' : 's'}`;
}

/** Loopback servers (systemd-resolved's 127.0.0.53 stub, 127.0.0.54, dnsmasq on 127.0.0.1, ::1): unreachable from a pod. */
export function isLoopback(server: string): boolean {
  const s = server.replace(/^dns:\/\//, '').replace(/:\d+$/, '');
  return /^127\./.test(s) || s === '::1' || s === 'localhost';
}

// --- pods ---------------------------------------------------------------------------------------

export interface ContainerState {
  name: string;
  image?: string;
  ready: boolean;
  restarts: number;
  waiting?: { reason: string; message: string };
  running?: boolean;
  terminated?: { reason: string; exitCode: number; finishedAt?: number; message?: string };
  lastTerminated?: { reason: string; exitCode: number; finishedAt?: number };
  /** The memory limit in the pod's spec, as written (128Mi). */
  memoryLimit?: string;
}

export interface PodInfo {
  namespace: string;
  name: string;
  node?: string;
  phase: string;
  /** status.reason: Evicted ... */
  reason?: string;
  message?: string;
  labels: Record<string, string>;
  ownerKind?: string;
  ownerName?: string;
  containers: ContainerState[];
  conditions: Array<{ type: string; status: string; reason?: string; message?: string; time?: number }>;
  created?: number;
  startTime?: number;
}

const time = (v: unknown): number | undefined => {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : undefined;
};

function terminatedOf(t: unknown): ContainerState['terminated'] | undefined {
  const x = obj(t);
  if (Object.keys(x).length === 0) return undefined;
  const finishedAt = time(x.finishedAt);
  return {
    reason: str(x.reason) ?? '',
    exitCode: typeof x.exitCode === 'number' ? x.exitCode : -1,
    ...(finishedAt !== undefined ? { finishedAt } : {}),
    ...(str(x.message) ? { message: str(x.message)! } : {}),
  };
}

export function podInfo(pod: Json): PodInfo {
  const metadata = obj(pod.metadata);
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const owner = Array.isArray(metadata.ownerReferences) ? obj(metadata.ownerReferences[0]) : {};
  const specContainers = Array.isArray(spec.containers) ? spec.containers.map(obj) : [];
  const statuses = Array.isArray(status.containerStatuses) ? status.containerStatuses.map(obj) : [];
  const names = new Set([...specContainers.map((c) => str(c.name) ?? ''), ...statuses.map((c) => str(c.name) ?? '')]);
  const containers: ContainerState[] = [...names].filter(Boolean).map((name) => {
    const sc = specContainers.find((c) => c.name === name) ?? {};
    const cs = statuses.find((c) => c.name === name) ?? {};
    const state = obj(cs.state);
    const waiting = obj(state.waiting);
    const terminated = terminatedOf(state.terminated);
    const lastTerminated = terminatedOf(obj(cs.lastState).terminated);
    const limit = str(obj(obj(sc.resources).limits).memory);
    return {
      name,
      ...(str(sc.image) ?? str(cs.image) ? { image: (str(sc.image) ?? str(cs.image))! } : {}),
      ready: cs.ready === true,
      restarts: typeof cs.restartCount === 'number' ? cs.restartCount : 0,
      ...(str(waiting.reason) ? { waiting: { reason: str(waiting.reason)!, message: str(waiting.message) ?? '' } } : {}),
      ...(Object.keys(obj(state.running)).length > 0 || state.running !== undefined ? { running: true } : {}),
      ...(terminated ? { terminated } : {}),
      ...(lastTerminated ? { lastTerminated } : {}),
      ...(limit ? { memoryLimit: limit } : {}),
    };
  });
  const conditions = (Array.isArray(status.conditions) ? status.conditions.map(obj) : []).map((c) => ({
    type: str(c.type) ?? '',
    status: str(c.status) ?? '',
    ...(str(c.reason) ? { reason: str(c.reason)! } : {}),
    ...(str(c.message) ? { message: str(c.message)! } : {}),
    ...(time(c.lastTransitionTime) !== undefined ? { time: time(c.lastTransitionTime)! } : {}),
  }));
  const created = time(metadata.creationTimestamp);
  const startTime = time(status.startTime);
  return {
    namespace: str(metadata.namespace) ?? '',
    name: str(metadata.name) ?? '',
    ...(str(spec.nodeName) ? { node: str(spec.nodeName)! } : {}),
    phase: str(status.phase) ?? 'Unknown',
    ...(str(status.reason) ? { reason: str(status.reason)! } : {}),
    ...(str(status.message) ? { message: str(status.message)! } : {}),
    labels: Object.fromEntries(Object.entries(obj(metadata.labels)).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    ...(str(owner.kind) ? { ownerKind: str(owner.kind)! } : {}),
    ...(str(owner.name) ? { ownerName: str(owner.name)! } : {}),
    containers,
    conditions,
    ...(created !== undefined ? { created } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
  };
}

/** Why a pod is not running, in the scheduler's or the kubelet's words; undefined when it runs. */
export function podTrouble(p: PodInfo): string | undefined {
  const scheduled = p.conditions.find((c) => c.type === 'PodScheduled');
  if (scheduled && scheduled.status === 'False') return `Pending: ${scheduled.reason ?? 'Unschedulable'}${scheduled.message ? `: ${scheduled.message}` : ''}`;
  for (const c of p.containers) {
    if (c.waiting && c.waiting.reason !== 'ContainerCreating') return `${c.waiting.reason}${c.waiting.message ? `: ${c.waiting.message.split('\n')[0]}` : ''}`;
  }
  if (p.phase === 'Pending') return 'Pending';
  if (p.phase === 'Failed') return `Failed${p.reason ? `: ${p.reason}` : ''}${p.message ? ` (${p.message})` : ''}`;
  if (p.phase === 'Running' && p.containers.some((c) => !c.ready)) return `Running but not ready (${p.containers.filter((c) => !c.ready).map((c) => c.name).join(', ')})`;
  return undefined;
}

/** The lines of a section of log output, last `n`, redacted. */
export function lastLines(text: string | undefined, n: number, redact: (s: string) => string): string[] {
  if (!text) return [];
  return text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '')
    .slice(-n)
    .map((l) => redact(l.length > 300 ? `${l.slice(0, 300)}…` : l));
}
