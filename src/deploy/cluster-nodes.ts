// Each node's memory as the cluster knows it, for the capacity check of `deploy` without surveying
// the nodes: one `kubectl get nodes -o json` on the control plane. The kubelet reports
// status.capacity.memory from /proc/meminfo's MemTotal (in Ki), the same figure the facts script
// reads, so the check and the memory requests come out as `apply` makes them.
import { ADMIN_CONF, script } from '../install/render/script.js';
import { quantityBytes } from '../spec/rules.js';

export const NODES_SCRIPT = script(`kubectl --kubeconfig ${ADMIN_CONF} --request-timeout=20s get nodes -o json`);

type Json = Record<string, any>;

/** MemTotal in MiB per node name, from the Node objects (nodes without a readable capacity are left out). */
export function nodeMemory(items: Json[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const node of items) {
    if (node.kind !== 'Node') continue;
    const bytes = quantityBytes(String(node.status?.capacity?.memory ?? ''));
    if (bytes !== undefined && typeof node.metadata?.name === 'string') out.set(node.metadata.name, Math.floor(bytes / 1024 / 1024));
  }
  return out;
}
