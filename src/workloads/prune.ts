// Pruning: the managed objects of this cluster that the spec no longer has are deleted (only when
// the owner confirmed); PersistentVolumes and their claims are never deleted, only reported.
import { script, shd, ADMIN_CONF } from '../install/render/script.js';
import { exitFailure, runQuick, type Step, type StepContext } from '../install/step.js';
import { quote } from '../shell/quote.js';
import type { ClusterSpec } from '../spec/types.js';
import { KUBECTL, parseLists } from './kubectl.js';
import { CLUSTER_LABEL, MANAGED_BY, MANAGED_BY_LABEL, managedSelector } from './labels.js';
import type { K8sObject } from './render.js';

export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
}

/** Kinds the prune step looks at (what renderObjects/renderSecrets produce). */
export const PRUNE_KINDS = [
  'deployments.apps',
  'statefulsets.apps',
  'cronjobs.batch',
  'services',
  'ingresses.networking.k8s.io',
  'secrets',
  'configmaps',
  'serviceaccounts',
  'persistentvolumeclaims',
  'persistentvolumes',
  'priorityclasses.scheduling.k8s.io',
];
/** Never deleted by prune: they anchor a database's data (which Retain keeps on disk anyway). */
export const KEPT_KINDS = ['PersistentVolume', 'PersistentVolumeClaim'];

const refKey = (r: ObjectRef) => `${r.kind}/${r.namespace ?? ''}/${r.name}`;
export const refText = (r: ObjectRef): string => `${r.kind.toLowerCase()}/${r.name}${r.namespace ? ` (namespace ${r.namespace})` : ''}`;

/**
 * Live objects carrying this cluster's managed-by labels that the desired set no longer has:
 * `remove` may be deleted, `keep` are data-bearing and only reported.
 */
export function pruneCandidates(live: ReadonlyArray<Record<string, unknown>>, desired: readonly K8sObject[], cluster: string): { remove: ObjectRef[]; keep: ObjectRef[] } {
  const want = new Set(desired.map((o) => refKey({ kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) })));
  const remove: ObjectRef[] = [];
  const keep: ObjectRef[] = [];
  for (const o of live) {
    const md = (o.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string> };
    if (md.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY || md.labels?.[CLUSTER_LABEL] !== cluster || !md.name) continue;
    const ref: ObjectRef = { kind: String(o.kind), name: md.name, ...(md.namespace ? { namespace: md.namespace } : {}) };
    if (want.has(refKey(ref))) continue;
    (KEPT_KINDS.includes(ref.kind) ? keep : remove).push(ref);
  }
  return { remove, keep };
}

export function pruneStep(spec: ClusterSpec, cp: string, desired: K8sObject[], after: string[]): Step {
  const selector = managedSelector(spec.metadata.name);
  const list = script(shd`kubectl --kubeconfig ${ADMIN_CONF} get ${PRUNE_KINDS.join(',')} --all-namespaces -l ${selector} -o json`);
  const candidates = async (ctx: StepContext) => {
    const host = await ctx.host(cp);
    const result = await runQuick(host, list);
    if (result.code !== 0) throw exitFailure(ctx, `could not list managed objects (exit code ${result.code})`, result);
    return pruneCandidates(parseLists(result.stdout), desired, spec.metadata.name);
  };
  return {
    id: `${cp}/workloads-prune`,
    node: cp,
    title: 'Delete objects hobbykube applied that the spec no longer has',
    after,
    timeoutMs: 5 * 60_000,
    retry: true,
    artifacts: [{ name: 'list.sh', content: list }],
    async probe(ctx) {
      const { remove } = await candidates(ctx);
      return remove.length === 0 ? { done: true, reason: 'nothing to delete' } : { done: false, reason: '' };
    },
    async run(ctx, output) {
      const { remove, keep } = await candidates(ctx);
      const host = await ctx.host(cp);
      for (const ref of remove) {
        const cmd = `${KUBECTL} delete ${quote(ref.kind.toLowerCase())} ${quote(ref.name)}${ref.namespace ? ` -n ${quote(ref.namespace)}` : ''} --ignore-not-found --wait=false`;
        const result = await runQuick(host, script(cmd));
        if (result.code !== 0) throw exitFailure(ctx, `could not delete ${refText(ref)} (exit code ${result.code})`, result);
        output(`deleted ${refText(ref)}`, 'stdout');
      }
      for (const ref of keep) output(`kept ${refText(ref)}: it anchors a database's data; delete it by hand if the data can go`, 'stdout');
    },
  };
}
