// How much of a node's memory the kubelet keeps away from pods, and what is left for them.
//
//   allocatable = capacity - systemReserved - kubeReserved - evictionHard(memory.available)
//
// The figures (all MiB; capacity is MemTotal from /proc/meminfo, a "1 GB" VPS reports ~970):
//
// 1. Hard eviction: 100 MiB, the kubelet's own default and the figure GKE, AKS and EKS use. When
//    less than this is available the kubelet evicts pods (never the static control-plane pods)
//    before the kernel's OOM killer has to pick something, which could be sshd's session or
//    containerd.
//
// 2. Host reservation, GKE's ladder: 255 MiB on machines under 1 GiB, otherwise 25% of the first
//    4 GiB, 20% of the next 4 GiB, 10% of the next 8 GiB, 6% of the next 112 GiB, 2% above. It is
//    split in two:
//    - systemReserved: a flat 100 MiB for the operating system's daemons (systemd, journald,
//      sshd, resolved, networkd, cron, unattended-upgrades measure 80-120 MiB RSS on minimal
//      Ubuntu/Debian cloud images and do not grow with the node's memory);
//    - kubeReserved: the rest, for the kubelet, containerd and the per-pod shims (the source
//      measured the kubelet alone at ~5% of 1 GB), which grow with pod density and so with RAM.
//
// 3. Control plane only: +256 MiB kubeReserved. kube-apiserver (~25% of a 1 GB node),
//    kube-controller-manager (~5%) and kube-scheduler (~2%) run as static pods that declare no
//    memory request, so the scheduler cannot see their ~300 MiB; etcd requests 100Mi (more than
//    it uses on a small cluster), which offsets a little. Without this a schedulable 1 GB control
//    plane would be offered ~250 MiB more than it has, and a greedy workload would push the
//    apiserver into the OOM killer: the owner loses kubectl. Their usage follows the cluster's
//    object count, not the node's RAM, so the figure is flat.
//    Because those static pods live inside the kubelet's `kubepods` cgroup, the control plane's
//    KubeletConfiguration sets `enforceNodeAllocatable: ["none"]` (see kubeadm-config.ts):
//    enforcing would cap that cgroup at capacity - reserved and squeeze the apiserver itself.
//    The reservation then only steers the scheduler and the eviction manager, which is the aim.
//
// 4. Tiny nodes: the reservations never leave less than 64 MiB allocatable (the kubelet refuses
//    a negative allocatable); the control-plane extra shrinks first, then kubeReserved, then
//    systemReserved. Such nodes are below hobbykube's minimums anyway; preflight says so.
//
// Resulting figures (worker / control plane): see test/install/render/reservations.test.ts.
import type { NodeRole } from '../../spec/types.js';

export interface Reservations {
  systemReservedMiB: number;
  kubeReservedMiB: number;
  evictionHardMiB: number;
}

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

export function reservations(memTotalMiB: number, role: NodeRole): Reservations {
  if (!Number.isFinite(memTotalMiB) || memTotalMiB <= 0) throw new Error(`not a memory size: ${memTotalMiB} MiB`);
  const capacity = Math.floor(memTotalMiB);
  const host = gkeReservationMiB(capacity);
  let system = Math.min(SYSTEM_RESERVED_MIB, host);
  let kube = host - system;
  let extra = role === 'control-plane' ? CONTROL_PLANE_EXTRA_MIB : 0;

  let excess = system + kube + extra + EVICTION_HARD_MIB + MIN_ALLOCATABLE_MIB - capacity;
  for (const take of ['extra', 'kube', 'system'] as const) {
    if (excess <= 0) break;
    const have = take === 'extra' ? extra : take === 'kube' ? kube : system;
    const cut = Math.min(have, excess);
    if (take === 'extra') extra -= cut;
    else if (take === 'kube') kube -= cut;
    else system -= cut;
    excess -= cut;
  }
  return { systemReservedMiB: system, kubeReservedMiB: kube + extra, evictionHardMiB: EVICTION_HARD_MIB };
}

/** Memory the scheduler may hand to pods on this node (what `kubectl describe node` calls Allocatable). */
export function allocatableMiB(memTotalMiB: number, role: NodeRole): number {
  const r = reservations(memTotalMiB, role);
  return Math.max(0, Math.floor(memTotalMiB) - r.systemReservedMiB - r.kubeReservedMiB - r.evictionHardMiB);
}
