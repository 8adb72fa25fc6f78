// Labels every object hobbykube applies carries: who manages it (the prune step selects on this),
// which workload it belongs to, and which cluster spec produced it.
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'hobbykube';
export const NAME_LABEL = 'app.kubernetes.io/name';
export const CLUSTER_LABEL = 'hobbykube.dev/cluster';
/** The namespace workloads live in: apps reach a database as NAME.default.svc.cluster.local. */
export const NAMESPACE = 'default';
/** `app.kubernetes.io/name` of objects shared by all workloads (the PriorityClasses). */
export const SHARED_NAME = 'hobbykube';

export function objectLabels(cluster: string, name: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY, [NAME_LABEL]: name, [CLUSTER_LABEL]: cluster };
}

/** Pod selector of a workload (immutable on Deployments and StatefulSets, so kept minimal). */
export function selectorLabels(name: string): Record<string, string> {
  return { [NAME_LABEL]: name };
}

/** `kubectl -l` selector for everything this cluster's spec applied. */
export function managedSelector(cluster: string): string {
  return `${MANAGED_BY_LABEL}=${MANAGED_BY},${CLUSTER_LABEL}=${cluster}`;
}
