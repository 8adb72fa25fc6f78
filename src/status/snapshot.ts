// One status snapshot (`hobbykube status --once`, and the plain output when stdout is not a
// terminal): every node's memory, readiness and kubelet version, the control plane's certificate
// expiry, every managed workload's rollout state, a verdict and plain text without control codes.
// Problems: a node unreachable, not joined or NotReady; nodes on different minor releases (a
// half-done upgrade); a certificate expiring within 30 days; a workload not available.
import { sampleMemory, memoryLevel, type MemorySample } from '../monitor/memory.js';
import type { ClusterSpec, NodeRole } from '../spec/types.js';
import { nodeErrorText, type Host } from '../ssh/types.js';
import { certificateProblems, certificatesLine, queryCertificates, summarizeCertificates, type CertificateSummary } from './certs.js';
import { pollCluster, type ClusterState, type NodeReadiness, type WorkloadState } from './cluster.js';

export interface NodeSnapshot {
  name: string;
  address: string;
  role: NodeRole;
  /** Not in the spec, but in the cluster. */
  extra?: boolean;
  memory?: MemorySample;
  /** Why memory could not be read (unreachable ...). */
  memoryError?: string;
  readiness?: NodeReadiness;
}

export interface Snapshot {
  cluster: string;
  time: number;
  nodes: NodeSnapshot[];
  workloads: WorkloadState[];
  /** Why the cluster could not be asked (control plane unreachable, not installed ...). */
  clusterError?: string;
  /** The control plane's certificates (kubeadm certs check-expiration), or why they could not be read. */
  certificates?: CertificateSummary;
  certificatesError?: string;
  /** The spec's kubernetesVersion. */
  specVersion?: string;
  /** Lines naming what is wrong; empty means healthy. */
  problems: string[];
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Judges a snapshot: every spec node reachable and Ready, every workload available. */
export function problemsOf(s: Omit<Snapshot, 'problems'>): string[] {
  const out: string[] = [];
  if (s.clusterError) out.push(`cluster: ${s.clusterError}`);
  for (const n of s.nodes) {
    if (n.extra) continue;
    if (n.memoryError) out.push(`${n.name}: unreachable: ${n.memoryError}`);
    if (!s.clusterError) {
      if (!n.readiness) out.push(`${n.name}: not a member of the cluster (not joined yet, or removed)`);
      else if (!n.readiness.ready) out.push(`${n.name}: NotReady${n.readiness.reason ? ` (${n.readiness.reason})` : ''}`);
    }
  }
  const skew = versionSkew(s.nodes);
  if (skew) out.push(skew);
  const cp = s.nodes.find((n) => n.role === 'control-plane' && !n.extra);
  if (s.certificates && cp) out.push(...certificateProblems(cp.name, s.certificates));
  for (const w of s.workloads) {
    if (!w.available) out.push(`${w.kind.toLowerCase()} ${w.name}: not available (${w.reason ?? `${w.ready}/${w.desired} ready, ${w.updated} updated`})`);
    if (w.dump?.overdue) out.push(`dumps of ${w.dump.database}: ${w.dump.text}`);
  }
  return out;
}

const minorOf = (version: string | undefined): string | undefined => /^v?(1\.\d+)\./.exec(version ?? '')?.[1];

/** Nodes on different minor releases: an upgrade half done (or a node left behind). */
export function versionSkew(nodes: readonly NodeSnapshot[]): string | undefined {
  const byMinor = new Map<string, string[]>();
  for (const n of nodes) {
    const minor = minorOf(n.readiness?.version);
    if (minor) byMinor.set(minor, [...(byMinor.get(minor) ?? []), `${n.name}`]);
  }
  if (byMinor.size < 2) return undefined;
  const groups = [...byMinor].sort(([a], [b]) => Number(b.split('.')[1]) - Number(a.split('.')[1])).map(([minor, names]) => `${names.join(', ')} on ${minor}`);
  return `version skew: ${groups.join('; ')}: an upgrade is half done; run \`hobbykube upgrade\` to finish it`;
}

export async function takeSnapshot(spec: ClusterSpec, host: (node: string) => Promise<Host>, now: () => number = Date.now): Promise<Snapshot> {
  const cpName = spec.spec.nodes.find((n) => n.role === 'control-plane')!.name;
  const certificates = (async () => {
    try {
      return { certificates: summarizeCertificates(await queryCertificates(await host(cpName)), now()) };
    } catch (error) {
      return { certificatesError: nodeErrorText(cpName, error) };
    }
  })();
  const cp = spec.spec.nodes.find((n) => n.role === 'control-plane')!;
  const memory = Promise.all(
    spec.spec.nodes.map(async (n) => {
      try {
        return { memory: await sampleMemory(await host(n.name), { now }) };
      } catch (error) {
        return { memoryError: nodeErrorText(n.name, error) };
      }
    }),
  );
  let cluster: ClusterState | undefined;
  let clusterError: string | undefined;
  try {
    cluster = await pollCluster(await host(cp.name), undefined, now);
  } catch (error) {
    clusterError = message(error);
  }
  const samples = await memory;
  const nodes: NodeSnapshot[] = spec.spec.nodes.map((n, i) => {
    const readiness = cluster?.nodes.find((r) => r.name === n.name);
    return { name: n.name, address: n.address, role: n.role, ...samples[i]!, ...(readiness ? { readiness } : {}) };
  });
  for (const r of cluster?.nodes ?? []) {
    if (!nodes.some((n) => n.name === r.name)) nodes.push({ name: r.name, address: '?', role: 'worker', extra: true, readiness: r });
  }
  const base = { cluster: spec.metadata.name, time: now(), nodes, workloads: cluster?.workloads ?? [], ...(clusterError ? { clusterError } : {}), ...(await certificates), specVersion: spec.spec.kubernetesVersion };
  return { ...base, problems: problemsOf(base) };
}

const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s.padEnd(n));

function memoryText(n: NodeSnapshot): string {
  if (n.memoryError) return `unreachable: ${n.memoryError}`;
  const m = n.memory;
  if (!m) return '-';
  const level = memoryLevel(m, n.role);
  const flag = level === 'critical' ? '  LOW' : level === 'warn' ? '  low' : '';
  return `${m.usedMiB}/${m.totalMiB} MiB used, ${m.availableMiB} MiB available${m.swapTotalMiB > 0 ? `, swap ${m.swapUsedMiB}/${m.swapTotalMiB}` : ''}${flag}`;
}

function readyText(n: NodeSnapshot, clusterError: string | undefined): string {
  if (n.readiness) return n.readiness.ready ? `Ready${n.readiness.unschedulable ? ',SchedulingDisabled' : ''}` : 'NotReady';
  return clusterError ? 'unknown' : 'not joined';
}

/** The --once text: plain, no colours, stable columns. */
export function formatSnapshot(s: Snapshot): string[] {
  const lines: string[] = [`Cluster ${s.cluster}, ${new Date(s.time).toISOString().replace(/\.\d+Z$/, 'Z')}`, ''];
  const nameWidth = Math.max(4, ...s.nodes.map((n) => n.name.length)) + 2;
  const versionWidth = Math.max(7, ...s.nodes.map((n) => (n.readiness?.version ?? '-').length)) + 2;
  lines.push(`${pad('NODE', nameWidth)}${pad('ROLE', 15)}${pad('STATUS', 12)}${pad('VERSION', versionWidth)}MEMORY`);
  for (const n of s.nodes) {
    lines.push(`${pad(n.name, nameWidth)}${pad(n.extra ? '(not in spec)' : n.role, 15)}${pad(readyText(n, s.clusterError), 12)}${pad(n.readiness?.version ?? '-', versionWidth)}${memoryText(n)}`);
    if (n.readiness && !n.readiness.ready && n.readiness.reason) lines.push(`${' '.repeat(nameWidth)}  not ready: ${n.readiness.reason}`);
    if (n.memory && n.memory.top.length > 0) {
      lines.push(`${' '.repeat(nameWidth)}  top: ${n.memory.top.slice(0, 5).map((p) => `${p.name}${p.count > 1 ? ` x${p.count}` : ''} ${p.rssMiB}`).join(', ')} (MiB)`);
    }
  }
  lines.push('');
  const cp = s.nodes.find((n) => n.role === 'control-plane' && !n.extra);
  if (cp && s.certificates) lines.push(certificatesLine(cp.name, s.certificates));
  else if (cp) lines.push(`Certificates on ${cp.name}: unknown (${s.certificatesError ?? 'not read'})`);
  const minors = new Set(s.nodes.map((n) => minorOf(n.readiness?.version)).filter((m): m is string => m !== undefined));
  if (s.specVersion && minors.size === 1 && !minors.has(minorOf(`${s.specVersion}.0`)!)) lines.push(`Kubernetes: the cluster runs ${[...minors][0]}; the spec says "${s.specVersion}".`);
  lines.push('');
  if (s.clusterError) lines.push(`Workloads: unknown (${s.clusterError})`);
  else if (s.workloads.length === 0) lines.push('Workloads: none managed by hobbykube');
  else {
    const w = Math.max(4, ...s.workloads.map((x) => x.name.length)) + 2;
    lines.push(`${pad('WORKLOAD', w)}${pad('KIND', 13)}${pad('READY', 8)}${pad('UPDATED', 9)}STATE`);
    for (const x of s.workloads) {
      const cron = x.kind === 'CronJob';
      const ready = cron ? `${x.ready} act` : `${x.ready}/${x.desired}`;
      const cronState = x.dump ? `${x.dump.overdue ? 'DUMPS OVERDUE' : 'ok'}, ${x.dump.text}` : `ok${x.lastScheduleTime ? `, last run ${new Date(x.lastScheduleTime).toISOString().replace(/\.\d+Z$/, 'Z')}` : ', not run yet'}`;
      const state = x.available ? (cron ? cronState : 'available') : `NOT AVAILABLE${x.reason ? `: ${x.reason}` : ''}`;
      lines.push(`${pad(x.name, w)}${pad(x.kind, 13)}${pad(ready, 8)}${pad(cron ? '-' : String(x.updated), 9)}${state}`);
    }
  }
  lines.push('');
  if (s.problems.length === 0) lines.push('All nodes Ready, all workloads available.');
  else {
    lines.push(`${s.problems.length} problem${s.problems.length === 1 ? '' : 's'}:`);
    for (const p of s.problems) lines.push(`  - ${p}`);
  }
  return lines;
}
