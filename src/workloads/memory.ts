// How a workload's `memory` becomes its container's memory request and limit (pure).
//
//   limit   = `memory`, exactly as the owner wrote it: the most the container may hold in RAM.
//   request = `memoryRequest` when the spec sets one (at most `memory`); otherwise
//             - on nodes with swap: a third of `memory`, rounded up to a whole MiB;
//             - everywhere else: `memory` (request = limit, as before).
//
// Why a third: hobbykube's swap workers have swap = 2 x MemTotal (src/node-profile.ts) and run the
// kubelet with LimitedSwap, which lets a Burstable container use
//   request / MemTotal x swap  =  2 x request
// of swap (Kubernetes "Swap memory management": containerMemoryRequest / nodeTotalMemory x
// totalPodsSwapAvailable). A request of a third of the limit is therefore the smallest one for which
// RAM held for the request plus the container's swap share still covers its whole limit: when the
// requests fit the node's allocatable memory, every pod at its limit still fits RAM + swap, and the
// capacity check's second table verifies exactly that per node. The scheduler is told the truth:
// the request is RAM the pod gets; whatever it uses beyond may go to swap under pressure, slower
// but not killed. A workload that must never swap (a database under load, a latency-critical
// app) sets `memoryRequest` equal to `memory`: request = limit makes it Guaranteed, and
// LimitedSwap never swaps Guaranteed pods.
//
// "On nodes with swap" means every node the pod can land on: a database's own node; for the
// others every node that runs workloads (the workers and a schedulable control plane). In a
// cluster that mixes swap and no-swap nodes, Deployments keep request = limit. Nodes whose memory
// is unknown (no facts, `plan --offline`) count as nodes without swap.
import { nodeProfile } from '../node-profile.js';
import { quantityMiB } from '../spec/rules.js';
import type { ClusterSpec, NodeRole, Workload } from '../spec/types.js';

/** A third: swap = 2 x RAM, so RAM (1) + swap share (2 x request) = 3 x request covers the limit. */
export const SWAP_REQUEST_DIVISOR = 3;

export type RequestRule = 'memoryRequest' | 'swap' | 'limit';

export interface WorkloadMemory {
  /** The container's resources.requests.memory, as rendered. */
  request: string;
  /** The container's resources.limits.memory: the spec's `memory`, as written. */
  limit: string;
  requestMiB: number;
  limitMiB: number;
  rule: RequestRule;
}

export interface MemoryNode {
  name: string;
  role: NodeRole;
  schedulable: boolean;
  /** MemTotal in MiB; undefined when unknown. */
  memTotalMiB?: number;
}

function swapNode(n: MemoryNode | undefined): boolean {
  return n?.memTotalMiB !== undefined && nodeProfile(n.memTotalMiB, n.role).swap !== undefined;
}

/** The nodes pods of this workload may be scheduled on. */
export function eligibleNodes(w: Workload, nodes: readonly MemoryNode[]): MemoryNode[] {
  if (w.kind === 'database') return nodes.filter((n) => n.name === w.node);
  return nodes.filter((n) => n.role === 'worker' || n.schedulable);
}

export function workloadMemory(w: Workload, nodes: readonly MemoryNode[]): WorkloadMemory {
  const limitMiB = quantityMiB(w.memory);
  if (w.memoryRequest !== undefined) {
    return { request: w.memoryRequest, limit: w.memory, requestMiB: quantityMiB(w.memoryRequest), limitMiB, rule: 'memoryRequest' };
  }
  const eligible = eligibleNodes(w, nodes);
  if (eligible.length > 0 && eligible.every(swapNode)) {
    const requestMiB = Math.ceil(limitMiB / SWAP_REQUEST_DIVISOR);
    return { request: `${requestMiB}Mi`, limit: w.memory, requestMiB, limitMiB, rule: 'swap' };
  }
  return { request: w.memory, limit: w.memory, requestMiB: limitMiB, limitMiB, rule: 'limit' };
}

/** Request and limit per workload name, for the capacity check and the renderer. */
export function memoryPlan(workloads: readonly Workload[], nodes: readonly MemoryNode[]): Map<string, WorkloadMemory> {
  return new Map(workloads.map((w) => [w.name, workloadMemory(w, nodes)]));
}

/** The spec's nodes with the MemTotal the facts report (undefined where unknown). */
export function memoryNodes(spec: ClusterSpec, memTotal: (node: string) => number | undefined): MemoryNode[] {
  return spec.spec.nodes.map((n) => {
    const mem = memTotal(n.name);
    return { name: n.name, role: n.role, schedulable: n.schedulable, ...(mem !== undefined ? { memTotalMiB: mem } : {}) };
  });
}
