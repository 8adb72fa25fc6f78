// Memory checks: a node whose MemAvailable stays under the eviction threshold plus a margin (the
// memory monitor's own levels), the operating system using more than the small-node profile
// reserved for it, the API server's RSS on the control plane, and pods OOMKilled or evicted in the
// last 24 hours with their limit and the capacity check's verdict for their node.
import type { NodeFacts } from '../../facts/types.js';
import { OS_MARGIN_MIB } from '../../facts/preflight.js';
import { nodeProfile, OS_MIB } from '../../node-profile.js';
import { smallControlPlane, STATIC_POD_REQUESTS_MIB } from '../../install/render/static-pods.js';
import { memoryThresholds, type MemorySample } from '../../monitor/memory.js';
import type { ClusterSpec, NodeSpec } from '../../spec/types.js';
import { checkCapacity, capacityInput, type CapacityReport } from '../../workloads/capacity.js';
import { NAME_LABEL } from '../../workloads/labels.js';
import type { ClusterView } from '../cluster-query.js';
import type { NodeProbe } from '../node-probe.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { define, isoMinute, mib, ok, onNode, podInfo, type CheckContext, type PodInfo } from './common.js';

const DAY_MS = 24 * 3600 * 1000;

function topLine(sample: MemorySample): string {
  return `biggest processes (MiB): ${sample.top.slice(0, 6).map((p) => `${p.name}${p.count > 1 ? ` x${p.count}` : ''} ${p.rssMiB}`).join(', ')}`;
}

/** Pods scheduled on a node, by workload, for the evidence. */
function podsOn(view: ClusterView | undefined, node: string): string | undefined {
  if (!view) return undefined;
  const pods = view.pods.map(podInfo).filter((p) => p.node === node && (p.phase === 'Running' || p.phase === 'Pending'));
  if (pods.length === 0) return undefined;
  return `pods on ${node}: ${pods.map((p) => `${p.namespace}/${p.labels[NAME_LABEL] ?? p.name}${p.containers[0]?.memoryLimit ? ` (limit ${p.containers[0].memoryLimit})` : ''}`).join(', ')}`;
}

export function judgeAvailable(node: NodeSpec, samples: readonly MemorySample[], view?: ClusterView): CheckOutcome {
  const last = samples[samples.length - 1]!;
  const t = memoryThresholds(last.totalMiB, node.role);
  const values = samples.map((s) => s.availableMiB);
  const summary = `MemAvailable ${values.join(', ')} MiB of ${last.totalMiB}${last.swapTotalMiB > 0 ? `, swap ${last.swapUsedMiB}/${last.swapTotalMiB} used` : ''}`;
  const critical = values.every((v) => v < t.criticalMiB);
  const warning = values.every((v) => v < t.warnMiB);
  if (!critical && !warning) return ok(summary);
  const evidence = [
    `MemAvailable over ${((samples.length - 1) * 2).toFixed(0)} s: ${values.join(', ')} MiB (MemTotal ${last.totalMiB} MiB)`,
    `the kubelet evicts below ${t.reservations.evictionHardMiB} MiB; doctor's alarm: under ${t.criticalMiB} MiB (eviction + margin), low under ${t.warnMiB} MiB`,
    topLine(last),
    ...(last.swapTotalMiB > 0 ? [`swap: ${last.swapUsedMiB} of ${last.swapTotalMiB} MiB used`] : []),
    ...(podsOn(view, node.name) ? [podsOn(view, node.name)!] : []),
  ];
  return {
    summary,
    findings: [
      {
        severity: critical ? 'critical' : 'warning',
        title: critical
          ? `${node.name} stays under ${t.criticalMiB} MiB available: the kubelet is about to evict pods (or already does)`
          : `${node.name} stays under ${t.warnMiB} MiB available: one more pod or a rolling update's surge pod can tip it over`,
        evidence,
        fix: `lower the memory of a workload on ${node.name} in hobbykube.yaml (or pin it elsewhere) and run hobbykube apply; \`hobbykube plan\` shows each node's memory table. On the node, stop services it does not need.`,
      },
    ],
  };
}

/**
 * The operating system's share on a small node: what is used (MemTotal - MemAvailable) minus what
 * Kubernetes' own processes and the pods hold (RSS). RSS also counts shared file pages the kernel
 * could reclaim, so this underestimates the OS a little: an estimate, reported as one.
 */
export function judgeOs(node: NodeSpec, samples: readonly MemorySample[], probe: NodeProbe): CheckOutcome | undefined {
  const last = samples[samples.length - 1]!;
  if (nodeProfile(last.totalMiB, node.role).kind !== 'small') return undefined;
  const sorted = samples.map((s) => s.usedMiB).sort((a, b) => a - b);
  const used = sorted[Math.floor(sorted.length / 2)]!;
  const kube = probe.rss.kubelet + probe.rss.containerd + probe.rss.shims + probe.rss.pods;
  const os = Math.max(0, used - kube);
  const summary = `the operating system uses about ${mib(os)} (an estimate; ${OS_MIB} reserved for it, a warning above ${OS_MIB + OS_MARGIN_MIB})`;
  if (os <= OS_MIB + OS_MARGIN_MIB) return ok(summary);
  return {
    summary,
    findings: [
      {
        severity: 'warning',
        title: `the operating system on ${node.name} uses about ${mib(os)}, more than the ${mib(OS_MIB)} reserved for it: pods have that much less than the capacity table says`,
        evidence: [
          `used (MemTotal - MemAvailable): ${mib(used)}; Kubernetes: kubelet ${probe.rss.kubelet}, containerd ${probe.rss.containerd}, shims ${probe.rss.shims}, pods ${probe.rss.pods} MiB (RSS)`,
          topLine(last),
        ],
        fix: onNode(node.name, 'systemctl list-units --type=service --state=running, then sudo systemctl disable --now what the node does not need (snapd, multipathd, unattended-upgrades ...)'),
      },
    ],
  };
}

/** What kube-apiserver is expected to use: its request on a small control plane (static-pods.ts), else ~25% of the node (the source document's measurement). */
export function apiserverBudgetMiB(memTotalMiB: number): { mib: number; source: string } {
  if (smallControlPlane(memTotalMiB)) return { mib: STATIC_POD_REQUESTS_MIB['kube-apiserver'], source: 'its memory request (the scheduler plans with it)' };
  return { mib: Math.round(memTotalMiB * 0.25), source: '25% of the node, as measured on a 1 GB control plane' };
}

export function judgeApiserver(node: NodeSpec, probe: NodeProbe, totalMiB: number, clusterAnswered: boolean): CheckOutcome {
  const rss = probe.processes['kube-apiserver'];
  if (rss === undefined) {
    return {
      summary: 'kube-apiserver is not running',
      findings: [
        clusterAnswered
          ? { severity: 'unknown', title: `no kube-apiserver process seen on ${node.name}, although the cluster answered`, evidence: [] }
          : {
              severity: 'critical',
              title: `kube-apiserver is not running on ${node.name}`,
              evidence: [`processes: ${Object.entries(probe.processes).map(([n, m]) => `${n} ${m} MiB`).join(', ') || 'no control-plane process'}`],
              fix: onNode(node.name, "sudo crictl ps -a --name kube-apiserver; sudo crictl logs <its id> (on a 1 GB node: was it killed for memory? sudo journalctl -k | grep -i 'out of memory')"),
            },
      ],
    };
  }
  const budget = apiserverBudgetMiB(totalMiB);
  const others = Object.entries(probe.processes).filter(([n]) => n !== 'kube-apiserver').map(([n, m]) => `${n} ${m}`).join(', ');
  const summary = `kube-apiserver ${mib(rss)} RSS (expected about ${mib(budget.mib)})${others ? `; ${others} MiB` : ''}`;
  if (rss <= budget.mib * 1.25) return ok(summary);
  return {
    summary,
    findings: [
      {
        severity: 'warning',
        title: `kube-apiserver uses ${mib(rss)} on ${node.name}, well over the ${mib(budget.mib)} planned for it`,
        evidence: [`kube-apiserver RSS ${rss} MiB; planned: ${budget.mib} MiB, ${budget.source}`, ...(others ? [`other control-plane processes (MiB): ${others}`] : [])],
        fix: `it grows with the objects and clients in the cluster; if ${node.name}'s available memory is low too, give the control plane more memory (a 2 GB VPS) or keep workloads off it (schedulable: false)`,
      },
    ],
  };
}

// --- OOM kills and evictions -----------------------------------------------------------------------

export interface MemoryEvent {
  pod: PodInfo;
  kind: 'OOMKilled' | 'Evicted';
  time: number;
  container?: string;
  limit?: string;
  restarts?: number;
  message?: string;
}

/** OOM kills and evictions within the last `windowMs` (pods still in the API: evicted pods stay until deleted). */
export function memoryEvents(view: ClusterView, now: number, windowMs = DAY_MS): MemoryEvent[] {
  const out: MemoryEvent[] = [];
  for (const pod of view.pods.map(podInfo)) {
    if (pod.reason === 'Evicted') {
      const when = Math.max(...pod.conditions.map((c) => c.time ?? 0), pod.startTime ?? 0, pod.created ?? 0);
      if (now - when <= windowMs) out.push({ pod, kind: 'Evicted', time: when, ...(pod.message ? { message: pod.message } : {}) });
      continue;
    }
    for (const c of pod.containers) {
      const killed = [c.lastTerminated, c.terminated].find((t) => t?.reason === 'OOMKilled');
      if (!killed || killed.finishedAt === undefined || now - killed.finishedAt > windowMs) continue;
      out.push({ pod, kind: 'OOMKilled', time: killed.finishedAt, container: c.name, ...(c.memoryLimit ? { limit: c.memoryLimit } : {}), restarts: c.restarts });
    }
  }
  return out.sort((a, b) => b.time - a.time);
}

/** The capacity check's words for one node. */
export function capacityVerdict(report: CapacityReport | undefined, node: string | undefined, why?: string): string {
  if (!report) return `capacity check: not available${why ? ` (${why})` : ''}`;
  const row = report.rows.find((r) => r.name === node);
  if (!row) return `capacity check: ${node ?? 'the node'} is not in hobbykube.yaml`;
  const problems = report.problems.filter((p) => p.node === node);
  const head = `capacity check for ${node}: ${row.workloadsMiB + row.systemMiB + row.addonsMiB + row.surgeMiB} of ${row.allocatableMiB} MiB allocatable requested (${row.freeMiB} free), every pod at its limit: ${row.spareAtLimitsMiB} MiB spare`;
  return problems.length === 0 ? `${head}; fits` : `${head}; does not fit: ${problems.map((p) => p.message).join('; ')}`;
}

export function judgeMemoryEvents(spec: ClusterSpec, view: ClusterView, now: number, capacity: { report?: CapacityReport; why?: string }): CheckOutcome {
  const events = memoryEvents(view, now);
  if (events.length === 0) return ok('no pod was OOMKilled or evicted in the last 24 h');
  const byWorkload = new Map<string, MemoryEvent[]>();
  for (const e of events) {
    const key = `${e.pod.namespace}/${e.pod.labels[NAME_LABEL] ?? e.pod.ownerName ?? e.pod.name}`;
    byWorkload.set(key, [...(byWorkload.get(key) ?? []), e]);
  }
  const findings: Finding[] = [];
  for (const [key, list] of byWorkload) {
    const name = key.split('/')[1]!;
    const workload = spec.spec.workloads.find((w) => w.name === name);
    const oom = list.filter((e) => e.kind === 'OOMKilled');
    const evicted = list.filter((e) => e.kind === 'Evicted');
    const nodes = [...new Set(list.map((e) => e.pod.node).filter((n): n is string => n !== undefined))];
    const evidence = [
      ...list.slice(0, 5).map((e) =>
        e.kind === 'OOMKilled'
          ? `${isoMinute(e.time)} ${e.pod.namespace}/${e.pod.name} container ${e.container} OOMKilled (limit ${e.limit ?? 'none'}, ${e.restarts ?? 0} restarts) on ${e.pod.node ?? '?'}`
          : `${isoMinute(e.time)} ${e.pod.namespace}/${e.pod.name} evicted from ${e.pod.node ?? '?'}${e.message ? `: ${e.message}` : ''}`,
      ),
      ...nodes.map((n) => capacityVerdict(capacity.report, n, capacity.why)),
    ];
    const memory = workload ? ` (now ${workload.memory})` : '';
    findings.push({
      severity: 'warning',
      title:
        oom.length > 0
          ? `${name} was killed for going over its memory limit ${oom.length === 1 ? 'once' : `${oom.length} times`} in the last 24 h`
          : `${name} was evicted ${evicted.length === 1 ? 'once' : `${evicted.length} times`} in the last 24 h: its node ran short of memory`,
      evidence,
      fix:
        oom.length > 0
          ? `raise memory of ${name} in hobbykube.yaml${memory} and run hobbykube apply (its capacity check says whether it still fits)`
          : `lower the memory of workloads on ${nodes.join(', ') || 'that node'} or move one elsewhere in hobbykube.yaml, then hobbykube apply (\`hobbykube plan\` shows the memory tables)`,
    });
  }
  return { summary: `${events.length} OOM kill${events.length === 1 ? '' : 's'} or eviction${events.length === 1 ? '' : 's'} in the last 24 h`, findings };
}

export function capacityFor(spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>): { report?: CapacityReport; why?: string } {
  try {
    return { report: checkCapacity(capacityInput(spec, facts)) };
  } catch (error) {
    return { why: (error as Error).message };
  }
}

export function memoryChecks(ctx: CheckContext): CheckDefinition[] {
  const { sources } = ctx;
  const spec = sources.spec;
  const cp = sources.controlPlane;
  const out: CheckDefinition[] = [];
  for (const node of spec.spec.nodes) {
    out.push(
      define({
        name: 'available',
        area: 'memory',
        node: node.name,
        title: 'Available memory',
        timeoutMs: 90_000,
        run: async () => judgeAvailable(node, await sources.memory(node.name), await sources.cluster().catch(() => undefined)),
      }),
      define({
        name: 'os',
        area: 'memory',
        node: node.name,
        title: "The operating system's share",
        timeoutMs: 90_000,
        run: async () => judgeOs(node, await sources.memory(node.name), await sources.probe(node.name)) ?? ok('not a small node: the standard reservation covers the system'),
      }),
    );
  }
  out.push(
    define({
      name: 'apiserver',
      area: 'memory',
      node: cp.name,
      title: 'kube-apiserver memory',
      timeoutMs: 90_000,
      run: async () => {
        const probe = await sources.probe(cp.name);
        const samples = await sources.memory(cp.name);
        const answered = await sources.cluster().then(() => true, () => false);
        return judgeApiserver(cp, probe, samples[samples.length - 1]!.totalMiB, answered);
      },
    }),
    define({
      name: 'oom',
      area: 'memory',
      title: 'OOM kills and evictions (24 h)',
      timeoutMs: 90_000,
      run: async () => {
        const view = await sources.cluster();
        return judgeMemoryEvents(spec, view, ctx.now(), capacityFor(spec, await sources.allFacts()));
      },
    }),
  );
  return out;
}

