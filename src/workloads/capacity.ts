// The capacity check (pure): will the spec's workloads fit the nodes' memory, with room for one
// extra pod per Deployment during a rolling update? The same tables are shown on the wizard's
// review screen, by `plan` and before every rollout.
// Why one file of ~520 lines: the two questions below share one placement of the same pods on the
// same nodes; the figures' sources sit beside the code that uses them.
//
// It answers two questions per node, in MiB (MemTotal from the node's facts):
//
// 1. The scheduler's: do the pods' memory REQUESTS fit the node's allocatable memory?
//   allocatable = MemTotal minus what the kubelet keeps (src/node-profile.ts:
//                 systemReserved, kubeReserved, the hard eviction threshold).
//   system      = what runs there before any workload:
//     - every node: flannel, 50 (hobbykube renders its DaemonSet with request = limit = 50Mi: render/flannel.ts);
//     - small nodes (under 2 GiB): kube-proxy, 20 (it requests nothing; ~15-25 MiB RSS, estimate),
//       since their kubeReserved covers only the kubelet, containerd and the shims;
//     - a small control plane: its static pods at the memory requests hobbykube patches in
//       (kube-apiserver 240, etcd 64, kube-controller-manager 48, kube-scheduler 24: static-pods.ts)
//       and one CoreDNS of 50;
//     - a control plane of 2 GiB or more, as before: etcd 100 (kubeadm's request), CoreDNS 2 x 70
//       (kubeadm's Deployment; both replicas land on the control plane at init, when it is the
//       only node), and kube-apiserver ~25% + controller-manager ~5% + scheduler ~2% of 970 MiB
//       (the source document's measurement) beyond the 256 MiB its reservation sets aside for them.
//   add-ons     = Traefik, pinned to the ingress node, at the request of its values file; each
//                 database's scheduled dump pod, pinned to its dump node (src/workloads/dump.ts:
//                 batch priority, so it waits for room rather than evict anything; counted so that
//                 there is room when it runs).
//   workloads   = every replica's memory request (src/workloads/memory.ts: a third of `memory`
//                 on nodes with swap, `memory` elsewhere, `memoryRequest` when set); a database
//                 sits on its `node`.
//   surge       = one extra pod per Deployment (worker, app) with at least one replica: a rolling
//                 update starts the new pod before stopping the old one.
//                 An app with a release command needs that room anyway: its release Job (a pod of
//                 the app's size) runs beside the running pods before each new version, so for it
//                 the shortfall is a problem maxSurge 0 cannot waive.
//   free        = allocatable - system - add-ons - workloads - surge.
//   Small nodes also count pods against the kubelet's maxPods.
//
// 2. The kernel's: if every pod used its memory LIMIT at once, would RAM + swap still hold them?
//   limits      = every pod's limit (system pods without one at their request or expected use),
//                 surge pods included;
//   swap        = the LimitedSwap share of each Burstable pod on a node with swap:
//                 request / MemTotal x swapfile size (Kubernetes swap docs; system pods are
//                 high-priority and never swap, Guaranteed pods neither);
//   spare       = allocatable + swap - limits; below zero is a problem: under full load the node
//                 would evict pods or the kernel would kill one.
//
// Placement is first-fit decreasing by request, roughly what the scheduler achieves: pinned pods
// first (Traefik, databases), then workload replicas, then surge pods, each group largest first;
// nodes are tried workers first in spec order, the control plane last and only when it is
// schedulable (it carries the control-plane taint otherwise). A pod that finds no node is a
// problem naming the workload, the node and the MiB missing. A surge pod that finds no node can
// be waived by the owner: that Deployment then updates with maxSurge 0 / maxUnavailable 1 (the
// old pod stops before the new one starts), which the renderer writes into its strategy.
//
// Why one file of ~500 lines: this header is the model's documentation (~50 lines), and
// checkCapacity is one placement pass whose helpers share its per-node slots; the tables it
// prints (formatCapacity) read the same rows.
import { nodeProfile, type BudgetLine, type ProfileKind } from '../node-profile.js';
import { FLANNEL_MEMORY } from '../install/render/flannel.js';
import { COREDNS_KUBEADM, COREDNS_SMALL, STATIC_POD_REQUESTS_MIB, smallControlPlane, type StaticPod } from '../install/render/static-pods.js';
import type { NodeFacts } from '../facts/types.js';
import type { ClusterSpec, NodeRole, Workload } from '../spec/types.js';
import { addonPods, type AddonPod } from './addons.js';
import { dumpPods } from './dump.js';
import { memoryNodes, memoryPlan, type WorkloadMemory } from './memory.js';
import { NO_SURGE_STRATEGY, SURGE_STRATEGY, type RollingStrategy } from './render.js';

export const FLANNEL_MIB = FLANNEL_MEMORY.requestMiB;
/** flannel's memory limit (render/flannel.ts): what it may use before the kernel stops it. */
export const FLANNEL_LIMIT_MIB = FLANNEL_MEMORY.limitMiB;
/** kube-proxy requests no memory; its expected use on a small node (estimate: ~15-25 MiB RSS). */
export const KUBE_PROXY_MIB = 20;
/** CoreDNS's limit in kubeadm's Deployment (kept by hobbykube's patch). */
export const COREDNS_LIMIT_MIB = 170;
export const ETCD_MIB = 100;
export const COREDNS_MIB = COREDNS_KUBEADM.requestMiB;
export const COREDNS_REPLICAS = COREDNS_KUBEADM.replicas;
/** kube-apiserver 25% + kube-controller-manager 5% + kube-scheduler 2% of a 970 MiB node, as measured. */
export const CONTROL_PLANE_UNREQUESTED_MIB = Math.round(0.32 * 970);

export interface CapacityNode {
  name: string;
  role: NodeRole;
  schedulable: boolean;
  /** MemTotal in MiB, from the node's facts. */
  memTotalMiB: number;
}

export interface CapacityInput {
  nodes: CapacityNode[];
  workloads: Workload[];
  /** Add-on pods (Traefik): `addonPods(spec)`. */
  addons?: AddonPod[];
  /** The owner accepts what does not fit: Deployments without room for a surge pod update with maxSurge 0. */
  accept?: boolean;
  /** The workloads' requests and limits as they run (default: from these nodes); `upgrade` checks a drain with the pods' current requests. */
  memory?: Map<string, WorkloadMemory>;
}

export type PodRole = 'system' | 'add-on' | 'workload' | 'surge';

export interface PlacedPod {
  name: string;
  /** Its memory request (for system pods without one: the expected use). */
  memoryMiB: number;
  /** Its memory limit (system pods without one: the same as memoryMiB). */
  limitMiB: number;
  /** Swap it may use under LimitedSwap on this node (0 without swap, for Guaranteed and system pods). */
  swapMiB: number;
  role: PodRole;
}

export interface NodeRow {
  name: string;
  role: NodeRole;
  profile: ProfileKind;
  memTotalMiB: number;
  reservedMiB: number;
  allocatableMiB: number;
  systemMiB: number;
  addonsMiB: number;
  workloadsMiB: number;
  surgeMiB: number;
  freeMiB: number;
  pods: PlacedPod[];
  /** The kubelet's maxPods (small nodes); undefined: the kubelet's default, not a constraint here. */
  maxPods?: number;
  /** hobbykube's swapfile, MiB (0 without). */
  swapMiB: number;
  /** Every pod at its limit. */
  limitsMiB: number;
  /** LimitedSwap shares of the pods placed here. */
  podSwapMiB: number;
  /** allocatable + podSwap - limits. */
  spareAtLimitsMiB: number;
  /** What the reservation is made of, line by line. */
  budget: BudgetLine[];
  /** The swap behavior, when the node has swap. */
  swapBehavior?: string;
}

export type ProblemKind = 'no-room' | 'pinned-no-room' | 'pinned-unschedulable' | 'unknown-node' | 'no-surge-room' | 'no-release-room' | 'over-limits';

export interface CapacityProblem {
  kind: ProblemKind;
  workload: string;
  /** The node it is pinned to, or the node with the most free memory. */
  node?: string;
  missingMiB: number;
  message: string;
}

export interface CapacityReport {
  rows: NodeRow[];
  problems: CapacityProblem[];
  /** Every problem is a surge problem: accepting costs a short outage per update, nothing more. */
  onlySurgeProblems: boolean;
  /** Nothing is missing. */
  fits: boolean;
  /** Fits, or the owner accepted (`input.accept`): the rollout may start. */
  proceed: boolean;
  /** Rolling update per Deployment name (worker and app). */
  strategies: Map<string, RollingStrategy>;
  /** Memory request and limit per workload name (what the renderer writes). */
  memory: Map<string, WorkloadMemory>;
}

interface Slot {
  row: NodeRow;
  eligible: boolean;
}

/** The standard control plane's unrequested components beyond the extra MiB its reservation sets aside. */
export function controlPlaneExcessMiB(memTotalMiB: number): number {
  const extra = nodeProfile(memTotalMiB, 'control-plane').reservations.kubeReservedMiB - nodeProfile(memTotalMiB, 'worker').reservations.kubeReservedMiB;
  return Math.max(0, CONTROL_PLANE_UNREQUESTED_MIB - extra);
}

const systemPod = (name: string, memoryMiB: number, limitMiB = memoryMiB): PlacedPod => ({ name, memoryMiB, limitMiB, swapMiB: 0, role: 'system' });

function systemPods(node: CapacityNode, small: boolean): PlacedPod[] {
  const pods: PlacedPod[] = [];
  if (node.role === 'control-plane') {
    if (smallControlPlane(node.memTotalMiB)) {
      for (const [name, mib] of Object.entries(STATIC_POD_REQUESTS_MIB) as Array<[StaticPod, number]>) pods.push(systemPod(name, mib));
      const dns = COREDNS_SMALL;
      pods.push(systemPod(dns.replicas > 1 ? `coredns x${dns.replicas}` : 'coredns', dns.requestMiB * dns.replicas, COREDNS_LIMIT_MIB * dns.replicas));
    } else {
      const excess = controlPlaneExcessMiB(node.memTotalMiB);
      if (excess > 0) pods.push(systemPod('control-plane components beyond their reservation', excess));
      pods.push(systemPod('etcd', ETCD_MIB));
      pods.push(systemPod(`coredns x${COREDNS_REPLICAS}`, COREDNS_MIB * COREDNS_REPLICAS, COREDNS_LIMIT_MIB * COREDNS_REPLICAS));
    }
  }
  pods.push(systemPod('flannel', FLANNEL_MIB, FLANNEL_LIMIT_MIB));
  if (small) pods.push(systemPod('kube-proxy', KUBE_PROXY_MIB));
  return pods;
}

function place(slot: Slot, pod: PlacedPod): void {
  const r = slot.row;
  const swap = pod.role !== 'system' && pod.limitMiB > pod.memoryMiB && r.swapMiB > 0 ? Math.floor((pod.memoryMiB * r.swapMiB) / r.memTotalMiB) : 0;
  r.pods.push({ ...pod, swapMiB: swap });
  if (pod.role === 'system') r.systemMiB += pod.memoryMiB;
  else if (pod.role === 'add-on') r.addonsMiB += pod.memoryMiB;
  else if (pod.role === 'workload') r.workloadsMiB += pod.memoryMiB;
  else r.surgeMiB += pod.memoryMiB;
  r.freeMiB -= pod.memoryMiB;
  r.limitsMiB += pod.limitMiB;
  r.podSwapMiB += swap;
}

/** Pods a slot can still take (Infinity where maxPods is not a constraint). */
function podsLeft(slot: Slot): number {
  return slot.row.maxPods === undefined ? Infinity : slot.row.maxPods - slot.row.pods.length;
}

const KIND_WORDS: Record<Workload['kind'], string> = { worker: 'worker', database: 'database', app: 'app', cron: 'cron job' };

interface Item {
  workload: string;
  what: string;
  memoryMiB: number;
  limitMiB: number;
  role: PodRole;
  order: number;
  tolerant: boolean;
}

function newRow(n: CapacityNode): NodeRow {
  const profile = nodeProfile(n.memTotalMiB, n.role);
  const r = profile.reservations;
  const memTotal = Math.floor(n.memTotalMiB);
  const allocatable = Math.max(0, memTotal - r.systemReservedMiB - r.kubeReservedMiB - r.evictionHardMiB);
  return {
    name: n.name,
    role: n.role,
    profile: profile.kind,
    memTotalMiB: memTotal,
    reservedMiB: memTotal - allocatable,
    allocatableMiB: allocatable,
    systemMiB: 0,
    addonsMiB: 0,
    workloadsMiB: 0,
    surgeMiB: 0,
    freeMiB: allocatable,
    pods: [],
    ...(profile.maxPods !== undefined ? { maxPods: profile.maxPods } : {}),
    swapMiB: profile.swap?.sizeMiB ?? 0,
    ...(profile.swap ? { swapBehavior: profile.swap.behavior } : {}),
    limitsMiB: 0,
    podSwapMiB: 0,
    spareAtLimitsMiB: 0,
    budget: profile.budget,
  };
}

export function checkCapacity(input: CapacityInput): CapacityReport {
  // Workers first (spec order), the control plane last.
  const ordered = [...input.nodes.filter((n) => n.role !== 'control-plane'), ...input.nodes.filter((n) => n.role === 'control-plane')];
  const slots: Slot[] = ordered.map((n) => {
    const row = newRow(n);
    const slot: Slot = { row, eligible: n.role === 'worker' || n.schedulable };
    for (const pod of systemPods(n, row.profile === 'small')) place(slot, pod);
    return slot;
  });
  const byName = new Map(slots.map((s) => [s.row.name, s]));
  const problems: CapacityProblem[] = [];
  const memory = input.memory ?? memoryPlan(input.workloads, input.nodes);

  const canTake = (s: Slot, item: Item): boolean => (s.eligible || item.tolerant) && s.row.freeMiB >= item.memoryMiB && podsLeft(s) > 0;
  const mostFree = (tolerant: boolean): Slot | undefined =>
    slots.filter((s) => (s.eligible || tolerant) && podsLeft(s) > 0).reduce<Slot | undefined>((best, s) => (!best || s.row.freeMiB > best.row.freeMiB ? s : best), undefined);
  const podOf = (item: Item): PlacedPod => ({
    name: item.role === 'surge' ? `${item.workload} (surge)` : item.workload,
    memoryMiB: item.memoryMiB,
    limitMiB: item.limitMiB,
    swapMiB: 0,
    role: item.role,
  });

  const pinned = (item: Item, nodeName: string): void => {
    const slot = byName.get(nodeName);
    if (!slot) {
      problems.push({ kind: 'unknown-node', workload: item.workload, node: nodeName, missingMiB: item.memoryMiB, message: `${item.what} is pinned to ${nodeName}, which is not a node of this cluster.` });
      return;
    }
    if (!slot.eligible && !item.tolerant) {
      problems.push({
        kind: 'pinned-unschedulable',
        workload: item.workload,
        node: nodeName,
        missingMiB: item.memoryMiB,
        message: `${item.what} is pinned to ${nodeName}, which runs no workloads (control plane with schedulable: false).`,
      });
      return;
    }
    if (podsLeft(slot) <= 0) {
      problems.push({ kind: 'pinned-no-room', workload: item.workload, node: nodeName, missingMiB: 0, message: `${item.what} is pinned to ${nodeName}, which already runs its maximum of ${slot.row.maxPods} pods.` });
      return;
    }
    if (slot.row.freeMiB >= item.memoryMiB) {
      place(slot, podOf(item));
      return;
    }
    const missing = item.memoryMiB - Math.max(0, slot.row.freeMiB);
    problems.push({
      kind: 'pinned-no-room',
      workload: item.workload,
      node: nodeName,
      missingMiB: missing,
      message: `${item.what} needs ${item.memoryMiB} MiB on ${nodeName}, which has ${Math.max(0, slot.row.freeMiB)} MiB free: ${missing} MiB missing.`,
    });
  };

  const firstFit = (items: Item[]): Item[] => {
    const unplaced: Item[] = [];
    for (const item of [...items].sort((a, b) => b.memoryMiB - a.memoryMiB || a.order - b.order)) {
      const slot = slots.find((s) => canTake(s, item));
      if (slot) place(slot, podOf(item));
      else unplaced.push(item);
    }
    return unplaced;
  };

  const room = (item: Item) => {
    const best = mostFree(item.tolerant);
    const free = Math.max(0, best?.row.freeMiB ?? 0);
    const anyNode = slots.some((s) => s.eligible || item.tolerant);
    const where = best ? `the most free is ${free} MiB on ${best.row.name}` : anyNode ? 'every node already runs its maximum number of pods' : 'no node runs workloads';
    return { best, missing: item.memoryMiB - free, where };
  };

  const noRoom = (item: Item): CapacityProblem => {
    const { best, missing, where } = room(item);
    if (item.role === 'surge') {
      return {
        kind: 'no-surge-room',
        workload: item.workload,
        ...(best ? { node: best.row.name } : {}),
        missingMiB: missing,
        message:
          `${item.what} has no room for the extra pod of a rolling update: it needs ${item.memoryMiB} MiB, ${where}, ${missing} MiB missing. ` +
          'Accepting updates it with maxSurge 0 (the old pod stops before the new one starts: a short outage).',
      };
    }
    return { kind: 'no-room', workload: item.workload, ...(best ? { node: best.row.name } : {}), missingMiB: missing, message: `${item.what} needs ${item.memoryMiB} MiB and no node has that much free: ${where}, ${missing} MiB missing.` };
  };

  // 1. Pinned pods: Traefik on the ingress node, databases on their node.
  const addons = input.addons ?? [];
  let order = 0;
  const pinAddon = (a: AddonPod) =>
    pinned({ workload: a.name, what: a.what ?? `${a.name} (ingress controller)`, memoryMiB: a.memoryMiB, limitMiB: a.limitMiB, role: 'add-on', order: order++, tolerant: a.toleratesControlPlane }, a.node!);
  for (const a of addons.filter((p) => p.node !== undefined && !p.batch)) pinAddon(a);
  for (const w of input.workloads) {
    if (w.kind !== 'database') continue;
    const m = memory.get(w.name)!;
    pinned({ workload: w.name, what: `${w.name} (database)`, memoryMiB: m.requestMiB, limitMiB: m.limitMiB, role: 'workload', order: order++, tolerant: false }, w.node);
  }
  // Batch pods (the databases' dump Jobs) after the serving pods: they wait for room, never take it.
  for (const a of addons.filter((p) => p.node !== undefined && p.batch)) pinAddon(a);

  // 2. Add-ons that may go anywhere.
  const floating = addons
    .filter((p) => p.node === undefined)
    .map((a) => ({ workload: a.name, what: `${a.name} (ingress add-on)`, memoryMiB: a.memoryMiB, limitMiB: a.limitMiB, role: 'add-on' as const, order: order++, tolerant: a.toleratesControlPlane }));
  for (const item of firstFit(floating)) problems.push(noRoom(item));

  // 3. Workload replicas.
  const items: Item[] = [];
  for (const w of input.workloads) {
    if (w.kind === 'database') continue;
    const m = memory.get(w.name)!;
    const replicas = w.kind === 'cron' ? 1 : w.replicas;
    for (let i = 1; i <= replicas; i++) {
      const which = replicas > 1 ? ` replica ${i} of ${replicas}` : '';
      items.push({ workload: w.name, what: `${w.name}${which} (${KIND_WORDS[w.kind]})`, memoryMiB: m.requestMiB, limitMiB: m.limitMiB, role: 'workload', order: order++, tolerant: false });
    }
  }
  const unplaced = new Set<string>();
  for (const item of firstFit(items)) {
    problems.push(noRoom(item));
    unplaced.add(item.workload);
  }

  // 4. One surge pod per Deployment (one that found no room for its own replicas has a bigger problem).
  const surges: Item[] = input.workloads
    .filter((w): w is Extract<Workload, { kind: 'worker' | 'app' }> => (w.kind === 'worker' || w.kind === 'app') && w.replicas > 0 && !unplaced.has(w.name))
    .map((w) => {
      const m = memory.get(w.name)!;
      return { workload: w.name, what: `${w.name} (${KIND_WORDS[w.kind]})`, memoryMiB: m.requestMiB, limitMiB: m.limitMiB, role: 'surge' as const, order: order++, tolerant: false };
    });
  const noSurge = new Set<string>();
  for (const item of firstFit(surges)) {
    const app = input.workloads.find((w) => w.name === item.workload);
    if (app?.kind === 'app' && app.release !== undefined) {
      // The release Job is a pod of the app's size beside the running ones: maxSurge 0 cannot help it.
      const { best, missing, where } = room(item);
      problems.push({
        kind: 'no-release-room',
        workload: item.workload,
        ...(best ? { node: best.row.name } : {}),
        missingMiB: missing,
        message: `${item.what} runs its release command as a Job of its own size beside its running pods before each new version: it needs ${item.memoryMiB} MiB, ${where}, ${missing} MiB missing.`,
      });
    } else problems.push(noRoom(item));
    noSurge.add(item.workload);
  }

  // 5. Every pod at its limit: RAM for pods + their swap must hold the limits.
  for (const s of slots) {
    const r = s.row;
    r.spareAtLimitsMiB = r.allocatableMiB + r.podSwapMiB - r.limitsMiB;
    if (r.spareAtLimitsMiB >= 0 || !r.pods.some((p) => p.role !== 'system')) continue;
    const missing = -r.spareAtLimitsMiB;
    const offer = r.podSwapMiB > 0 ? `${r.allocatableMiB} MiB of RAM for pods + ${r.podSwapMiB} MiB of swap` : `${r.allocatableMiB} MiB of RAM for pods and no swap`;
    problems.push({
      kind: 'over-limits',
      workload: r.pods.filter((p) => p.role === 'workload' || p.role === 'add-on').map((p) => p.name).join(', '),
      node: r.name,
      missingMiB: missing,
      message:
        `${r.name}: if every pod used its memory limit at once they would need ${r.limitsMiB} MiB, and ${r.name} has ${offer}: ${missing} MiB missing. ` +
        'Lower the memory of the workloads there, or raise their memoryRequest so less memory is promised beyond what the node holds.',
    });
  }

  const strategies = new Map<string, RollingStrategy>();
  for (const w of input.workloads) {
    if (w.kind !== 'worker' && w.kind !== 'app') continue;
    // Without room for its replicas, the surge pod would not fit either: accepted, update in place.
    const waive = (noSurge.has(w.name) || unplaced.has(w.name)) && input.accept === true;
    strategies.set(w.name, waive ? NO_SURGE_STRATEGY : SURGE_STRATEGY);
  }
  const fits = problems.length === 0;
  // Rows in spec order.
  const rows = input.nodes.map((n) => byName.get(n.name)!.row);
  return { rows, problems, onlySurgeProblems: problems.every((p) => p.kind === 'no-surge-room'), fits, proceed: fits || input.accept === true, strategies, memory };
}

/** The pods hobbykube adds beside the workloads: Traefik, and each database's dump pod (batch). */
export function capacityAddons(spec: ClusterSpec): AddonPod[] {
  return [
    ...addonPods(spec),
    ...dumpPods(spec).map((d) => ({ name: d.name, what: `${d.name} (the scheduled dump of ${d.database})`, memoryMiB: d.memoryMiB, limitMiB: d.limitMiB, node: d.node, toleratesControlPlane: false, batch: true as const })),
  ];
}

/** The check's input from the spec and the nodes' facts; throws naming nodes whose memory is unknown. */
export function capacityInput(spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>, accept = false): CapacityInput {
  return capacityInputFor(spec, (node) => facts.get(node)?.memory.totalMiB, accept, 'no facts');
}

/**
 * The same from any source of each node's MemTotal in MiB (deploy reads it from the Node objects'
 * capacity, which the kubelet takes from /proc/meminfo's MemTotal, as the facts do).
 */
export function capacityInputFor(spec: ClusterSpec, memTotal: (node: string) => number | undefined, accept = false, why = 'unknown'): CapacityInput {
  const unknown = spec.spec.nodes.filter((n) => memTotal(n.name) === undefined).map((n) => n.name);
  if (unknown.length > 0) throw new Error(`memory of ${unknown.join(', ')} is unknown (${why}): cannot check capacity`);
  return {
    nodes: spec.spec.nodes.map((n) => ({ name: n.name, role: n.role, schedulable: n.schedulable, memTotalMiB: memTotal(n.name)! })),
    workloads: spec.spec.workloads,
    addons: capacityAddons(spec),
    accept,
  };
}

/**
 * Each workload's memory request and limit for the renderer, from the nodes' facts where known
 * (nodes without facts count as nodes without swap: request = memory).
 */
export function memoryForRender(spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>): Map<string, WorkloadMemory> {
  return memoryPlan(spec.spec.workloads, memoryNodes(spec, (n) => facts.get(n)?.memory.totalMiB));
}

// --- formatting ------------------------------------------------------------------------------------

const HEADER = ['node', 'role', 'memory', 'reserved', 'allocatable', 'system', 'add-ons', 'workloads', 'surge', 'free'];
const LIMITS_HEADER = ['node', 'pods', 'limits', 'RAM for pods', 'swap for pods', 'spare'];

/** `gap` spaces between columns: 1 where every heading is one word, so the table fits 80 columns. */
function table(header: string[], cells: string[][], leftColumns: number, gap = 2): string[] {
  const all = [header, ...cells];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join(' '.repeat(gap))
      .trimEnd();
  return all.map(line);
}

function podText(p: PlacedPod): string {
  return p.limitMiB !== p.memoryMiB && p.role !== 'system' ? `${p.name} ${p.memoryMiB}/${p.limitMiB}` : `${p.name} ${p.memoryMiB}`;
}

function budgetText(r: NodeRow): string {
  const profile = r.profile === 'small' ? 'small-node profile' : 'standard profile';
  const swap = r.swapMiB > 0 ? `, swap ${r.swapMiB} MiB ${r.swapBehavior}` : '';
  const pods = r.maxPods !== undefined ? `, maxPods ${r.maxPods}` : '';
  const parts = r.budget.map((b) => `${b.what.replace(/ \((systemReserved|kubeReserved)\)$/, '')} ${b.mib}`);
  return `${r.name} (${profile}${swap}${pods}): ${parts.join(' + ')} = ${r.reservedMiB}`;
}

/** The tables as plain text lines (MiB), what runs where, what is reserved, then the verdict and each problem. */
export function formatCapacity(report: CapacityReport): string[] {
  const cells = report.rows.map((r) => [
    r.name,
    r.role,
    String(r.memTotalMiB),
    String(r.reservedMiB),
    String(r.allocatableMiB),
    String(r.systemMiB),
    String(r.addonsMiB),
    String(r.workloadsMiB),
    String(r.surgeMiB),
    String(r.freeMiB),
  ]);
  const lines = ['Memory per node (MiB), pods counted by their memory requests:', ...table(HEADER, cells, 2, 1), ''];
  for (const r of report.rows) lines.push(`${r.name}: ${r.pods.map(podText).join(', ')}`);
  lines.push('');

  const limits = report.rows.map((r) => [
    r.name,
    r.maxPods !== undefined ? `${r.pods.length}/${r.maxPods}` : String(r.pods.length),
    String(r.limitsMiB),
    String(r.allocatableMiB),
    String(r.podSwapMiB),
    String(r.spareAtLimitsMiB),
  ]);
  lines.push('If every pod used its memory limit at once (MiB, swap as LimitedSwap allows it):', ...table(LIMITS_HEADER, limits, 1), '');

  lines.push('Reserved for the system (MiB):');
  for (const r of report.rows) lines.push(`  ${budgetText(r)}`);
  const rules = new Set([...report.memory.values()].map((m) => m.rule));
  if (rules.has('swap')) lines.push('Memory requests: a third of each workload\'s memory on nodes with swap (its swap share covers the rest), memory elsewhere; memoryRequest overrides.');
  lines.push('');

  if (report.fits) {
    lines.push('Fits: every workload has room, with one extra pod per Deployment for rolling updates.');
  } else {
    const n = report.problems.length;
    lines.push(`Does not fit: ${n} ${n === 1 ? 'problem' : 'problems'}.`);
    for (const p of report.problems) lines.push(`  - ${p.message}`);
    if (report.proceed) {
      const noSurge = [...report.strategies].filter(([, s]) => s.maxSurge === 0).map(([name]) => name);
      lines.push(`Accepted by the owner${noSurge.length > 0 ? `; updated with maxSurge 0: ${noSurge.join(', ')}` : ''}.`);
    }
  }
  return lines;
}
