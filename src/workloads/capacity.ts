// The capacity check (pure): will the spec's workloads fit the nodes' memory, with room for one
// extra pod per Deployment during a rolling update? The same table is shown before every rollout
// and on the wizard's review screen.
//
// Per node, in MiB (MemTotal from the node's facts):
//
//   allocatable  = what the kubelet offers pods: MemTotal minus the reservations the install sets
//                  (src/install/render/reservations.ts: systemReserved, kubeReserved, eviction).
//   system       = what runs there before any workload, as the scheduler sees it (memory requests
//                  of the pods kubeadm and the network add-on create) plus the control plane's
//                  unrequested usage beyond what the reservation already set aside:
//     - flannel: 50 on every node (kube-flannel's DaemonSet requests 50Mi);
//     - etcd: 100 on the control plane (kubeadm's static pod requests 100Mi; the source document
//       measured ~5% of 1 GB, so the request covers it);
//     - CoreDNS: 2 x 70 on the control plane (kubeadm's Deployment requests 70Mi per replica; both
//       replicas are scheduled at `kubeadm init`, when the control plane is the only node, since
//       CoreDNS tolerates its taint, and stay there);
//     - kube-apiserver ~25%, kube-controller-manager ~5%, kube-scheduler ~2% of a 1 GB node, as
//       the source document measured: 32% of 970 MiB = 310 MiB. Their use follows the cluster's
//       object count, not the node's RAM, so the figure is flat (as the reservation's is). These
//       static pods request no memory, so the reservation adds 256 MiB of kubeReserved for them
//       on the control plane; only the expected use beyond that is counted here (310 - 256 = 54).
//     The kubelet, containerd and kube-proxy (~5% each) live in kubeReserved and are not counted
//     again.
//   add-ons      = Traefik (pinned to the ingress node) and cert-manager's three pods, with the
//                  memory requests of their values files in manifests/addons/.
//   workloads    = every replica's memory (request = limit); a database sits on its `node`.
//   surge        = one extra pod per Deployment (worker, app) with at least one replica: a rolling
//                  update starts the new pod before stopping the old one.
//   free         = allocatable - system - add-ons - workloads - surge.
//
// Placement is first-fit decreasing, roughly what the scheduler achieves: pinned pods first
// (Traefik, databases), then add-ons, then workload replicas, then surge pods, each group largest
// first; nodes are tried workers first in spec order, the control plane last and only when it is
// schedulable (it carries the control-plane taint otherwise). A pod that finds no node is a
// problem naming the workload, the node and the MiB missing. A surge pod that finds no node can
// be waived by the owner: that Deployment then updates with maxSurge 0 / maxUnavailable 1 (the
// old pod stops before the new one starts), which the renderer writes into its strategy.
import { allocatableMiB, reservations } from '../install/render/reservations.js';
import type { NodeFacts } from '../facts/types.js';
import { quantityMiB } from '../spec/rules.js';
import type { ClusterSpec, NodeRole, Workload } from '../spec/types.js';
import { addonPods, type AddonPod } from './addons.js';
import { NO_SURGE_STRATEGY, SURGE_STRATEGY, type RollingStrategy } from './render.js';

export const FLANNEL_MIB = 50;
export const ETCD_MIB = 100;
export const COREDNS_MIB = 70;
export const COREDNS_REPLICAS = 2;
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
  /** Add-on pods (Traefik, cert-manager): `addonPods(spec)`. */
  addons?: AddonPod[];
  /** The owner accepts what does not fit: Deployments without room for a surge pod update with maxSurge 0. */
  accept?: boolean;
}

export type PodRole = 'system' | 'add-on' | 'workload' | 'surge';

export interface PlacedPod {
  name: string;
  memoryMiB: number;
  role: PodRole;
}

export interface NodeRow {
  name: string;
  role: NodeRole;
  memTotalMiB: number;
  reservedMiB: number;
  allocatableMiB: number;
  systemMiB: number;
  addonsMiB: number;
  workloadsMiB: number;
  surgeMiB: number;
  freeMiB: number;
  pods: PlacedPod[];
}

export type ProblemKind = 'no-room' | 'pinned-no-room' | 'pinned-unschedulable' | 'unknown-node' | 'no-surge-room';

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
}

interface Slot {
  row: NodeRow;
  eligible: boolean;
  acceptsControlPlaneTolerant: boolean;
}

/** The control plane's unrequested components beyond the extra MiB its reservation sets aside. */
export function controlPlaneExcessMiB(memTotalMiB: number): number {
  const extra = reservations(memTotalMiB, 'control-plane').kubeReservedMiB - reservations(memTotalMiB, 'worker').kubeReservedMiB;
  return Math.max(0, CONTROL_PLANE_UNREQUESTED_MIB - extra);
}

function systemPods(node: CapacityNode): PlacedPod[] {
  const pods: PlacedPod[] = [];
  if (node.role === 'control-plane') {
    const excess = controlPlaneExcessMiB(node.memTotalMiB);
    if (excess > 0) pods.push({ name: 'control-plane components beyond their reservation', memoryMiB: excess, role: 'system' });
    pods.push({ name: 'etcd', memoryMiB: ETCD_MIB, role: 'system' });
    pods.push({ name: `coredns x${COREDNS_REPLICAS}`, memoryMiB: COREDNS_MIB * COREDNS_REPLICAS, role: 'system' });
  }
  pods.push({ name: 'flannel', memoryMiB: FLANNEL_MIB, role: 'system' });
  return pods;
}

function place(slot: Slot, pod: PlacedPod): void {
  const r = slot.row;
  r.pods.push(pod);
  if (pod.role === 'system') r.systemMiB += pod.memoryMiB;
  else if (pod.role === 'add-on') r.addonsMiB += pod.memoryMiB;
  else if (pod.role === 'workload') r.workloadsMiB += pod.memoryMiB;
  else r.surgeMiB += pod.memoryMiB;
  r.freeMiB -= pod.memoryMiB;
}

const KIND_WORDS: Record<Workload['kind'], string> = { worker: 'worker', database: 'database', app: 'app', cron: 'cron job' };

interface Item {
  workload: string;
  what: string;
  memoryMiB: number;
  role: PodRole;
  order: number;
  tolerant: boolean;
}

export function checkCapacity(input: CapacityInput): CapacityReport {
  // Workers first (spec order), the control plane last.
  const ordered = [...input.nodes.filter((n) => n.role !== 'control-plane'), ...input.nodes.filter((n) => n.role === 'control-plane')];
  const slots: Slot[] = ordered.map((n) => {
    const allocatable = allocatableMiB(n.memTotalMiB, n.role);
    const row: NodeRow = {
      name: n.name,
      role: n.role,
      memTotalMiB: Math.floor(n.memTotalMiB),
      reservedMiB: Math.floor(n.memTotalMiB) - allocatable,
      allocatableMiB: allocatable,
      systemMiB: 0,
      addonsMiB: 0,
      workloadsMiB: 0,
      surgeMiB: 0,
      freeMiB: allocatable,
      pods: [],
    };
    const slot: Slot = { row, eligible: n.role === 'worker' || n.schedulable, acceptsControlPlaneTolerant: true };
    for (const pod of systemPods(n)) place(slot, pod);
    return slot;
  });
  const byName = new Map(slots.map((s) => [s.row.name, s]));
  const problems: CapacityProblem[] = [];

  const mostFree = (tolerant: boolean): Slot | undefined =>
    slots.filter((s) => s.eligible || (tolerant && s.acceptsControlPlaneTolerant)).reduce<Slot | undefined>((best, s) => (!best || s.row.freeMiB > best.row.freeMiB ? s : best), undefined);

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
    if (slot.row.freeMiB >= item.memoryMiB) {
      place(slot, { name: item.workload, memoryMiB: item.memoryMiB, role: item.role });
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
      const slot = slots.find((s) => (s.eligible || item.tolerant) && s.row.freeMiB >= item.memoryMiB);
      if (slot) place(slot, { name: item.role === 'surge' ? `${item.workload} (surge)` : item.workload, memoryMiB: item.memoryMiB, role: item.role });
      else unplaced.push(item);
    }
    return unplaced;
  };

  const noRoom = (item: Item): CapacityProblem => {
    const best = mostFree(item.tolerant);
    const free = Math.max(0, best?.row.freeMiB ?? 0);
    const missing = item.memoryMiB - free;
    const where = best ? `the most free is ${free} MiB on ${best.row.name}` : 'no node runs workloads';
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
  for (const a of addons.filter((p) => p.node !== undefined)) {
    pinned({ workload: a.name, what: `${a.name} (ingress controller)`, memoryMiB: a.memoryMiB, role: 'add-on', order: order++, tolerant: a.toleratesControlPlane }, a.node!);
  }
  for (const w of input.workloads) {
    if (w.kind === 'database') pinned({ workload: w.name, what: `${w.name} (database)`, memoryMiB: quantityMiB(w.memory), role: 'workload', order: order++, tolerant: false }, w.node);
  }

  // 2. Add-ons that may go anywhere.
  const floating = addons.filter((p) => p.node === undefined).map((a) => ({ workload: a.name, what: `${a.name} (ingress add-on)`, memoryMiB: a.memoryMiB, role: 'add-on' as const, order: order++, tolerant: a.toleratesControlPlane }));
  for (const item of firstFit(floating)) problems.push(noRoom(item));

  // 3. Workload replicas.
  const items: Item[] = [];
  for (const w of input.workloads) {
    if (w.kind === 'database') continue;
    const mem = quantityMiB(w.memory);
    const replicas = w.kind === 'cron' ? 1 : w.replicas;
    for (let i = 1; i <= replicas; i++) {
      const which = replicas > 1 ? ` replica ${i} of ${replicas}` : '';
      items.push({ workload: w.name, what: `${w.name}${which} (${KIND_WORDS[w.kind]})`, memoryMiB: mem, role: 'workload', order: order++, tolerant: false });
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
    .map((w) => ({ workload: w.name, what: `${w.name} (${KIND_WORDS[w.kind]})`, memoryMiB: quantityMiB(w.memory), role: 'surge' as const, order: order++, tolerant: false }));
  const noSurge = new Set<string>();
  for (const item of firstFit(surges)) {
    problems.push(noRoom(item));
    noSurge.add(item.workload);
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
  return { rows, problems, onlySurgeProblems: problems.every((p) => p.kind === 'no-surge-room'), fits, proceed: fits || input.accept === true, strategies };
}

/** The check's input from the spec and the nodes' facts; throws naming nodes whose memory is unknown. */
export function capacityInput(spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>, accept = false): CapacityInput {
  const unknown = spec.spec.nodes.filter((n) => facts.get(n.name)?.memory.totalMiB === undefined).map((n) => n.name);
  if (unknown.length > 0) throw new Error(`memory of ${unknown.join(', ')} is unknown (no facts): cannot check capacity`);
  return {
    nodes: spec.spec.nodes.map((n) => ({ name: n.name, role: n.role, schedulable: n.schedulable, memTotalMiB: facts.get(n.name)!.memory.totalMiB! })),
    workloads: spec.spec.workloads,
    addons: addonPods(spec),
    accept,
  };
}

// --- formatting ------------------------------------------------------------------------------------

const HEADER = ['node', 'role', 'memory', 'reserved', 'allocatable', 'system', 'add-ons', 'workloads', 'surge', 'free'];

/** The table as plain text lines (MiB), then what runs where, then the verdict and each problem. */
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
  const all = [HEADER, ...cells];
  const widths = HEADER.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = ['Memory per node (MiB):', line(HEADER), ...cells.map(line), ''];
  for (const r of report.rows) {
    const pods = r.pods.map((p) => `${p.name} ${p.memoryMiB}`).join(', ');
    lines.push(`${r.name}: ${pods}`);
  }
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
