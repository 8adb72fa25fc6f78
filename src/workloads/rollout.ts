// Following a rollout the way `kubectl rollout status` does, over `kubectl get -o json` snapshots
// (pure: the step in apply.ts polls and feeds this). Deployments: the controller must have seen
// the latest spec (observedGeneration >= generation), every replica must be updated, old replicas
// gone, and updated replicas available; the Progressing condition with reason
// ProgressDeadlineExceeded means it gave up. StatefulSets: observed, ready replicas = spec, and
// the update revision is the current one. Pods stuck pulling their image or crash-looping are
// named with their reason while we wait, and end the wait early once clearly stuck.

type Json = Record<string, unknown>;

export interface WorkloadStatus {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  done: boolean;
  /** The controller gave up (ProgressDeadlineExceeded). */
  failed: boolean;
  message: string;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});

export function deploymentStatus(d: Json): WorkloadStatus {
  const metadata = obj(d.metadata);
  const spec = obj(d.spec);
  const status = obj(d.status);
  const name = String(metadata.name ?? '');
  const base = { kind: 'Deployment' as const, name };
  if (num(metadata.generation) > num(status.observedGeneration)) {
    return { ...base, done: false, failed: false, message: `deployment "${name}": waiting for the spec update to be observed` };
  }
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Json[]) : [];
  const progressing = conditions.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { ...base, done: false, failed: true, message: `deployment "${name}" exceeded its progress deadline` };
  }
  const want = spec.replicas === undefined ? 1 : num(spec.replicas);
  const updated = num(status.updatedReplicas);
  const replicas = num(status.replicas);
  const available = num(status.availableReplicas);
  if (updated < want) return { ...base, done: false, failed: false, message: `deployment "${name}": ${updated} of ${want} new replicas updated` };
  if (replicas > updated) return { ...base, done: false, failed: false, message: `deployment "${name}": ${replicas - updated} old replicas pending termination` };
  if (available < updated) return { ...base, done: false, failed: false, message: `deployment "${name}": ${available} of ${updated} updated replicas available` };
  return { ...base, done: true, failed: false, message: `deployment "${name}" successfully rolled out` };
}

export function statefulSetStatus(s: Json): WorkloadStatus {
  const metadata = obj(s.metadata);
  const spec = obj(s.spec);
  const status = obj(s.status);
  const name = String(metadata.name ?? '');
  const base = { kind: 'StatefulSet' as const, name };
  if (num(status.observedGeneration) === 0 || num(metadata.generation) > num(status.observedGeneration)) {
    return { ...base, done: false, failed: false, message: `statefulset "${name}": waiting for the spec update to be observed` };
  }
  const want = spec.replicas === undefined ? 1 : num(spec.replicas);
  const ready = num(status.readyReplicas);
  if (ready < want) return { ...base, done: false, failed: false, message: `statefulset "${name}": ${ready} of ${want} pods ready` };
  const partition = num(obj(obj(spec.updateStrategy).rollingUpdate).partition);
  if (partition > 0) {
    const updated = num(status.updatedReplicas);
    if (updated < want - partition) return { ...base, done: false, failed: false, message: `statefulset "${name}": ${updated} of ${want - partition} pods updated` };
    return { ...base, done: true, failed: false, message: `statefulset "${name}": partitioned roll out complete` };
  }
  if (status.updateRevision !== status.currentRevision) {
    return { ...base, done: false, failed: false, message: `statefulset "${name}": ${num(status.updatedReplicas)} of ${want} pods at the new revision` };
  }
  return { ...base, done: true, failed: false, message: `statefulset "${name}" rolled out` };
}

export function workloadStatus(o: Json): WorkloadStatus {
  return o.kind === 'StatefulSet' ? statefulSetStatus(o) : deploymentStatus(o);
}

/** Waiting reasons that mean a pod will not start by itself. */
export const STUCK_REASONS = ['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError'];

export interface StuckPod {
  pod: string;
  /** app.kubernetes.io/name of the pod. */
  workload: string;
  container: string;
  reason: string;
  message: string;
  restarts: number;
}

export function stuckPods(pods: Json[]): StuckPod[] {
  const out: StuckPod[] = [];
  for (const pod of pods) {
    const metadata = obj(pod.metadata);
    const labels = obj(metadata.labels);
    const statuses = [...((obj(pod.status).initContainerStatuses as Json[] | undefined) ?? []), ...((obj(pod.status).containerStatuses as Json[] | undefined) ?? [])];
    for (const cs of statuses) {
      const waiting = obj(obj(cs.state).waiting);
      const reason = typeof waiting.reason === 'string' ? waiting.reason : '';
      if (!STUCK_REASONS.includes(reason)) continue;
      out.push({
        pod: String(metadata.name ?? ''),
        workload: String(labels['app.kubernetes.io/name'] ?? ''),
        container: String(cs.name ?? ''),
        reason,
        message: typeof waiting.message === 'string' ? waiting.message.split('\n')[0]! : '',
        restarts: num(cs.restartCount),
      });
    }
  }
  return out;
}

export interface Snapshot {
  /** Items of `kubectl get deployments,statefulsets -o json`. */
  workloads: Json[];
  /** Items of `kubectl get pods -o json`. */
  pods: Json[];
  timeMs: number;
}

export interface TrackerOptions {
  /** Give up on a pod whose image cannot be pulled (or config is broken) after this long. */
  stuckGraceMs?: number;
  /** Give up on a crash-looping container after this many restarts. */
  crashRestarts?: number;
}

export interface Progress {
  /** New lines to report (only what changed since the last snapshot). */
  lines: string[];
  done: boolean;
  /** Why the rollout failed, one line per workload; empty while waiting or when done. */
  failures: string[];
}

/** Feeds snapshots, reports changes, decides done / failed. */
export class RolloutTracker {
  private readonly last = new Map<string, string>();
  private readonly firstStuck = new Map<string, number>();
  private readonly grace: number;
  private readonly crashRestarts: number;

  constructor(
    /** "Kind/name" of the workloads to follow; missing ones are waited for. */
    private readonly expected: string[],
    options: TrackerOptions = {},
  ) {
    this.grace = options.stuckGraceMs ?? 120_000;
    this.crashRestarts = options.crashRestarts ?? 3;
  }

  update(snapshot: Snapshot): Progress {
    const lines: string[] = [];
    const failures: string[] = [];
    const report = (key: string, line: string) => {
      if (this.last.get(key) !== line) lines.push(line);
      this.last.set(key, line);
    };
    let done = true;
    for (const key of this.expected) {
      const [kind, name] = key.split('/') as [string, string];
      const o = snapshot.workloads.find((w) => w.kind === kind && obj(w.metadata).name === name);
      if (!o) {
        done = false;
        report(key, `${kind.toLowerCase()} "${name}": not found yet`);
        continue;
      }
      const s = workloadStatus(o);
      report(key, s.message);
      if (s.failed) failures.push(s.message);
      if (!s.done) done = false;
    }
    const names = new Set(this.expected.map((k) => k.split('/')[1]));
    const stuck = stuckPods(snapshot.pods).filter((p) => names.has(p.workload));
    const stuckKeys = new Set<string>();
    for (const p of stuck) {
      const key = `pod/${p.pod}/${p.container}`;
      stuckKeys.add(key);
      if (!this.firstStuck.has(key)) this.firstStuck.set(key, snapshot.timeMs);
      const detail = p.message ? `: ${p.message}` : '';
      const restarts = p.reason === 'CrashLoopBackOff' ? ` (${p.restarts} restarts)` : '';
      report(key, `pod ${p.pod} of ${p.workload} is stuck in ${p.reason}${restarts}${detail}`);
      const crashing = p.reason === 'CrashLoopBackOff' && p.restarts >= this.crashRestarts;
      const waitedOut = p.reason !== 'CrashLoopBackOff' && snapshot.timeMs - this.firstStuck.get(key)! >= this.grace;
      if (crashing || waitedOut) failures.push(`${p.workload}: pod ${p.pod} is stuck in ${p.reason}${restarts}${detail}`);
    }
    for (const key of [...this.firstStuck.keys()]) if (!stuckKeys.has(key)) this.firstStuck.delete(key);
    return { lines, done: done && failures.length === 0, failures: done ? [] : failures };
  }
}
