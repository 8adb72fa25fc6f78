// The review's per-node capacity table: the same check `apply` runs before a rollout
// (src/workloads/capacity.ts), so the wizard shows exactly what apply will say.
import type { NodeFacts } from '../facts/types.js';
import type { ClusterSpec } from '../spec/types.js';
import { capacityInput, checkCapacity, formatCapacity } from '../workloads/capacity.js';

/** The table's lines; a note instead when some node's memory is not known yet. */
export function capacityLines(spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>): string[] {
  if (spec.spec.workloads.length === 0) return ['No workloads yet: nothing to place.'];
  const unknown = spec.spec.nodes.filter((n) => facts.get(n.name)?.memory.totalMiB === undefined).map((n) => n.name);
  if (unknown.length > 0) return [`Memory of ${unknown.join(', ')} is not known yet (not reached): recheck the node to see the table.`];
  return formatCapacity(checkCapacity(capacityInput(spec, facts)));
}
