// How much of a node's memory the kubelet keeps away from pods, and what is left for them.
//
//   allocatable = capacity - systemReserved - kubeReserved - evictionHard(memory.available)
//
// Capacity is MemTotal from /proc/meminfo, in MiB (a "1 GB" VPS reports ~970, a "512 MB" one
// ~470). Two profiles, chosen from MemTotal alone, so the same node always gets the same figures
// (the capacity check, the kubelet configuration and the memory monitor all call this module):
//
// SMALL, MemTotal under 2 GiB: reservations from the footprint of what really runs outside pods
// on such a node (docs/SMALL-NODES.md has the budget tables and says which figure is measured and
// which estimated):
//   systemReserved = OS_MIB, the kernel and the operating system's daemons;
//   kubeReserved   = the kubelet + containerd + one containerd-shim per pod, for maxPods pods;
//   evictionHard   = 100 MiB without swap (the kubelet's own default: it evicts before the kernel's
//                    OOM killer has to pick a victim, which could be sshd or containerd), 20 MiB on
//                    a worker with swap (see SWAP_EVICTION_MIB).
//   maxPods is bounded by the node's memory (MAX_PODS_MIB_PER_POD), so the shims it reserves for
//   are the shims that can really run there.
//   Workers of 1 GiB or less also get swap (render/swapfile.ts: a swapfile of twice MemTotal, kubelet
//   `failSwapOn: false`, `memorySwap.swapBehavior: LimitedSwap`). The control plane stays
//   swap-free, as the Kubernetes swap documentation advises.
//   A small control plane's static pods declare honest memory requests instead (kubeadm patches,
//   static-pods.ts), so the scheduler sees the API server; nothing extra is reserved for them.
//
// STANDARD, MemTotal of 2 GiB or more: unchanged from earlier releases. GKE's ladder (25% of the
// first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112, 2% above) split into a
// flat 100 MiB systemReserved and the rest as kubeReserved, a 100 MiB hard eviction threshold,
// and +256 MiB kubeReserved on a control plane, whose static pods declare no memory request
// (kube-apiserver ~25% of a 1 GB node, kube-controller-manager ~5%, kube-scheduler ~2%, as the
// source document measured). Between 2047 and 2048 MiB the allocatable memory therefore drops:
// the small profile is the honest one for the nodes it was measured for; above 2 GiB the
// conservative ladder is kept rather than extrapolating figures from 512 MB and 1 GB nodes.
//
// Both profiles: the reservations never leave less than 64 MiB allocatable (the kubelet refuses a
// negative allocatable); the control-plane extra shrinks first, then kubeReserved, then
// systemReserved. Such nodes are below hobbykube's minimums anyway; preflight says so.
//
// Why the control plane keeps `enforceNodeAllocatable: ["none"]` (kubeadm-config.ts): its static
// pods live inside the kubelet's `kubepods` cgroup, and enforcing would cap that cgroup at
// capacity - reserved, squeezing kube-apiserver itself whenever it uses more than its request.
import type { NodeRole } from './spec/types.js';

export interface Reservations {
  systemReservedMiB: number;
  kubeReservedMiB: number;
  evictionHardMiB: number;
}

export type ProfileKind = 'standard' | 'small';

/** LimitedSwap: Burstable pods may swap, in proportion to their memory request (KEP-2400). */
export const SWAP_BEHAVIOR = 'LimitedSwap' as const;

export interface SwapPlan {
  /** Size of hobbykube's swapfile, MiB. */
  sizeMiB: number;
  behavior: typeof SWAP_BEHAVIOR;
}

/** One line of a node's memory budget: what, how many MiB, and where the figure comes from. */
export interface BudgetLine {
  what: string;
  mib: number;
  source: string;
}

export interface NodeProfile {
  kind: ProfileKind;
  role: NodeRole;
  memTotalMiB: number;
  reservations: Reservations;
  /** The kubelet's maxPods (small profile only; standard nodes keep the kubelet's default 110). */
  maxPods?: number;
  /** Workers of 1 GiB or less: the swapfile and the kubelet's swap behavior. */
  swap?: SwapPlan;
  /** systemReserved + kubeReserved + eviction, line by line (what the review and `plan` show). */
  budget: BudgetLine[];
}

// --- the standard profile (2 GiB and more) -------------------------------------------------------

export const EVICTION_HARD_MIB = 100;
export const SYSTEM_RESERVED_MIB = 100;
export const CONTROL_PLANE_EXTRA_MIB = 256;
export const MIN_ALLOCATABLE_MIB = 64;

/** GKE's memory reservation ladder, in whole MiB. */
export function gkeReservationMiB(memTotalMiB: number): number {
  const m = memTotalMiB;
  if (m < 1024) return 255;
  const band = (from: number, to: number) => Math.max(0, Math.min(m, to) - from);
  const total =
    0.25 * band(0, 4096) + 0.2 * band(4096, 8192) + 0.1 * band(8192, 16384) + 0.06 * band(16384, 131072) + 0.02 * band(131072, Infinity);
  return Math.floor(total);
}

// --- the small profile (under 2 GiB) -------------------------------------------------------------

export const SMALL_NODE_BELOW_MIB = 2048;
/** Workers of this much MemTotal or less get a swapfile. */
export const SWAP_WORKER_MAX_MIB = 1024;
/** The swapfile is twice MemTotal (rounded up to 64 MiB): the classic size for machines under 2 GB. */
export const SWAP_TO_RAM = 2;

/**
 * Kernel + operating system (systemd, journald, udevd, sshd, networkd/resolved, timesyncd, cron,
 * dbus...): a freshly deployed Debian 13 KVM VPS shows 88 MiB "used" including the kernel
 * (measured by TierHive's minimal-Debian guide); Canonical measured Ubuntu 22.04's LXD image at
 * 58-65 MiB without a kernel. Estimate: 80. Preflight measures every node before installing
 * (MemTotal - MemAvailable) and warns when its operating system already uses more.
 */
export const OS_MIB = 80;
/**
 * The kubelet: the source document measured ~5% of a 1 GB control plane (~48 MiB RSS); a small
 * node runs fewer pods and its idle pages can be reclaimed. Estimate: 40.
 */
export const KUBELET_MIB = 40;
/**
 * containerd, measured here (containerd 1.6.20 with its CRI plugin, 10 idle containers, Debian 12,
 * /proc/PID/smaps_rollup): RSS 41 MiB, of which 10-12 MiB anonymous; the rest is its binary's
 * text, page cache the kernel drops under pressure. 24 = the anonymous memory plus about half the
 * text staying hot (estimate).
 */
export const CONTAINERD_MIB = 24;
/**
 * containerd-shim-runc-v2, one per pod, measured here: the first shim 11.7 MiB PSS (12.6 RSS),
 * each further one 2.4-2.5 MiB private memory (the binary's 10 MiB of text is shared).
 */
export const SHIM_FIRST_MIB = 10;
export const SHIM_PER_POD_MIB = 2.5;
/**
 * maxPods = MemTotal / 40, between 8 and 110 (the kubelet's default). A guess: the smallest useful
 * pod (a pause container, a shim, a few MiB of process) plus the kubelet's per-pod bookkeeping is
 * ~40 MiB, so a node cannot usefully run more; a 470 MiB worker gets 11 (the source cluster puts
 * 8 on its busiest node, a surge pod included).
 */
export const MAX_PODS_MIB_PER_POD = 40;
export const MIN_MAX_PODS = 8;
export const KUBELET_DEFAULT_MAX_PODS = 110;
/**
 * Hard eviction on a worker with swap. The Kubernetes swap documentation advises a threshold
 * slightly below vm.min_free_kbytes, so the kernel swaps before the kubelet evicts; with the
 * default transparent huge pages setting of Debian and Ubuntu (madvise) the kernel raises
 * min_free_kbytes to ~5% of RAM, about 22 MiB on a 470 MiB node (computed from khugepaged's
 * formula: an estimate; `cat /proc/sys/vm/min_free_kbytes` on the node says). With 2 x RAM of swap
 * behind it, memory.available reaching 20 MiB means the node is thrashing, and the OOM killer is
 * still far off: it only acts once RAM and swap are both exhausted.
 */
export const SWAP_EVICTION_MIB = 20;

export function smallMaxPods(memTotalMiB: number): number {
  return Math.min(KUBELET_DEFAULT_MAX_PODS, Math.max(MIN_MAX_PODS, Math.floor(memTotalMiB / MAX_PODS_MIB_PER_POD)));
}

export function swapSizeMiB(memTotalMiB: number): number {
  return Math.ceil((memTotalMiB * SWAP_TO_RAM) / 64) * 64;
}

/** Whether this node gets hobbykube's swapfile: a worker of 1 GiB or less. */
export function hasSwap(memTotalMiB: number, role: NodeRole): boolean {
  return role === 'worker' && memTotalMiB <= SWAP_WORKER_MAX_MIB;
}

function checkSize(memTotalMiB: number): number {
  if (!Number.isFinite(memTotalMiB) || memTotalMiB <= 0) throw new Error(`not a memory size: ${memTotalMiB} MiB`);
  return Math.floor(memTotalMiB);
}

/** Shrinks the reservations (extra first, then kube, then system) until MIN_ALLOCATABLE_MIB is left. */
function keepMinimum(capacity: number, parts: { system: number; kube: number; extra: number }, eviction: number): { system: number; kube: number; extra: number } {
  const out = { ...parts };
  let excess = out.system + out.kube + out.extra + eviction + MIN_ALLOCATABLE_MIB - capacity;
  for (const take of ['extra', 'kube', 'system'] as const) {
    if (excess <= 0) break;
    const cut = Math.min(out[take], excess);
    out[take] -= cut;
    excess -= cut;
  }
  return out;
}

export function nodeProfile(memTotalMiB: number, role: NodeRole): NodeProfile {
  const capacity = checkSize(memTotalMiB);
  if (capacity >= SMALL_NODE_BELOW_MIB) {
    const host = gkeReservationMiB(capacity);
    const system = Math.min(SYSTEM_RESERVED_MIB, host);
    const parts = keepMinimum(capacity, { system, kube: host - system, extra: role === 'control-plane' ? CONTROL_PLANE_EXTRA_MIB : 0 }, EVICTION_HARD_MIB);

    const extra = role === 'control-plane' ? CONTROL_PLANE_EXTRA_MIB : 0;
    const budget: BudgetLine[] = [
      { what: 'operating system (systemReserved)', mib: system, source: 'flat 100 MiB' },
      { what: 'kubelet, containerd, shims (kubeReserved)', mib: host - system, source: "GKE's ladder minus systemReserved" },
    ];
    if (extra > 0) budget.push({ what: 'static control-plane pods without requests (kubeReserved)', mib: extra, source: 'kube-apiserver ~25%, controller-manager ~5%, scheduler ~2%, as measured on a 1 GB kubeadm control plane (docs/SMALL-NODES.md)' });
    const cut = host + extra - (parts.system + parts.kube + parts.extra);
    if (cut > 0) budget.push({ what: `cut to leave ${MIN_ALLOCATABLE_MIB} MiB allocatable`, mib: -cut, source: 'the kubelet refuses a negative allocatable' });
    budget.push({ what: 'hard eviction threshold', mib: EVICTION_HARD_MIB, source: "the kubelet's default" });
    return {
      kind: 'standard',
      role,
      memTotalMiB: capacity,
      reservations: { systemReservedMiB: parts.system, kubeReservedMiB: parts.kube + parts.extra, evictionHardMiB: EVICTION_HARD_MIB },
      budget,
    };
  }

  const maxPods = smallMaxPods(capacity);
  const swap: SwapPlan | undefined = hasSwap(capacity, role) ? { sizeMiB: swapSizeMiB(capacity), behavior: SWAP_BEHAVIOR } : undefined;
  const eviction = swap ? SWAP_EVICTION_MIB : EVICTION_HARD_MIB;
  const shims = SHIM_FIRST_MIB + SHIM_PER_POD_MIB * maxPods;
  const kube = Math.ceil(KUBELET_MIB + CONTAINERD_MIB + shims);
  const parts = keepMinimum(capacity, { system: OS_MIB, kube, extra: 0 }, eviction);
  const cut = OS_MIB + kube - parts.system - parts.kube;
  return {
    kind: 'small',
    role,
    memTotalMiB: capacity,
    maxPods,
    ...(swap ? { swap } : {}),
    reservations: { systemReservedMiB: parts.system, kubeReservedMiB: parts.kube, evictionHardMiB: eviction },
    budget: [
      { what: 'kernel and operating system (systemReserved)', mib: OS_MIB, source: 'estimate: Debian VPS measured 88 MiB used; preflight measures each node' },
      { what: 'kubelet (kubeReserved)', mib: KUBELET_MIB, source: 'estimate from a measurement: ~5% of a 1 GB kubeadm control plane (docs/SMALL-NODES.md)' },
      { what: 'containerd (kubeReserved)', mib: CONTAINERD_MIB, source: 'measured: 10-12 MiB anonymous + hot text (estimate)' },
      { what: `containerd-shim x ${maxPods} pods (kubeReserved)`, mib: kube - KUBELET_MIB - CONTAINERD_MIB, source: `measured: ${SHIM_FIRST_MIB} + ${SHIM_PER_POD_MIB} per pod` },
      ...(cut > 0 ? [{ what: `cut to leave ${MIN_ALLOCATABLE_MIB} MiB allocatable`, mib: -cut, source: 'the kubelet refuses a negative allocatable' }] : []),
      {
        what: 'hard eviction threshold',
        mib: eviction,
        source: swap ? 'below vm.min_free_kbytes (Kubernetes swap docs), swap behind it' : "the kubelet's default",
      },
    ],
  };
}

export function reservations(memTotalMiB: number, role: NodeRole): Reservations {
  return nodeProfile(memTotalMiB, role).reservations;
}

/** Memory the scheduler may hand to pods on this node (what `kubectl describe node` calls Allocatable). */
export function allocatableMiB(memTotalMiB: number, role: NodeRole): number {
  const r = reservations(memTotalMiB, role);
  return Math.max(0, Math.floor(memTotalMiB) - r.systemReservedMiB - r.kubeReservedMiB - r.evictionHardMiB);
}
