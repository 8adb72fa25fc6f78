// ┌──────────────────────────────────────────────────────────────────────────────────────────┐
// │ SLOT: the review's per-node capacity table.                                                │
// │ The capacity model lives in src/workloads/capacity.ts (the workloads issue), which does   │
// │ not exist yet. When it does, wire it here, e.g.:                                          │
// │   import { capacityTable } from '../workloads/capacity.js';                              │
// │   export const capacityLines: CapacityProvider = (spec, facts) => capacityTable(...);    │
// │ or call setCapacityProvider(...) from the CLI. Until then the review says it is missing.  │
// └──────────────────────────────────────────────────────────────────────────────────────────┘
import type { NodeFacts } from '../facts/types.js';
import type { ClusterSpec } from '../spec/types.js';

/** Lines of the capacity table (memory requests vs allocatable per node, surge included, warnings). */
export type CapacityProvider = (spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>) => string[];

let provider: CapacityProvider | undefined;

export function setCapacityProvider(next: CapacityProvider | undefined): void {
  provider = next;
}

/** The table's lines, or undefined while no capacity model is wired in. */
export function capacityLines(spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>): string[] | undefined {
  return provider ? provider(spec, facts) : undefined;
}
