// The object diff the menu's "change workloads" path prints before applying: every object the
// workload steps apply for the spec before and after, compared field by field. Pure.
import type { ClusterSpec } from '../spec/types.js';
import { renderObjects, redactedSecrets, type K8sObject, type RenderOptions } from '../workloads/render.js';

export type Change = 'created' | 'changed' | 'removed';

export interface ObjectChange {
  change: Change;
  kind: string;
  name: string;
  namespace?: string;
  /** Changed: the paths of the fields that differ (at most 6), e.g. spec.template.spec.containers[0].image. */
  fields?: string[];
}

const keyOf = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * Everything the workload steps apply for a spec (Secrets with redacted values: their keys still
 * count). `options.memory` (the capacity check's requests, which need the nodes' facts) makes the
 * diff show the memory requests apply will set.
 */
export function desiredObjects(spec: ClusterSpec, options: RenderOptions = {}): K8sObject[] {
  return [...renderObjects(spec, options), ...redactedSecrets(spec)];
}

function diffPaths(a: unknown, b: unknown, path: string, out: string[], limit: number): void {
  if (out.length >= limit) return;
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const isObj = (v: unknown) => v !== null && typeof v === 'object';
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => diffPaths(item, b[i], `${path}[${i}]`, out, limit));
    return;
  }
  if (isObj(a) && isObj(b) && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
    for (const k of keys) diffPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out, limit);
    return;
  }
  out.push(path || '(whole object)');
}

/** Objects created, changed and removed going from one spec's workloads to another's. */
export function objectDiff(before: ClusterSpec, after: ClusterSpec): ObjectChange[] {
  const old = new Map(desiredObjects(before).map((o) => [keyOf(o), o]));
  const next = new Map(desiredObjects(after).map((o) => [keyOf(o), o]));
  const out: ObjectChange[] = [];
  const ref = (o: K8sObject) => ({ kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) });
  for (const [key, o] of next) {
    const was = old.get(key);
    if (!was) out.push({ change: 'created', ...ref(o) });
    else {
      const fields: string[] = [];
      diffPaths(was, o, '', fields, 6);
      if (fields.length > 0) out.push({ change: 'changed', ...ref(o), fields });
    }
  }
  for (const [key, o] of old) if (!next.has(key)) out.push({ change: 'removed', ...ref(o) });
  const rank: Record<Change, number> = { created: 0, changed: 1, removed: 2 };
  return out.sort((a, b) => rank[a.change] - rank[b.change] || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

export function formatObjectDiff(changes: readonly ObjectChange[]): string[] {
  if (changes.length === 0) return ['No object changes: the workloads render to the same objects.'];
  const mark: Record<Change, string> = { created: '+ create', changed: '~ change', removed: '- remove' };
  return changes.map((c) => `  ${mark[c.change]}  ${c.kind.toLowerCase()}/${c.name}${c.fields ? `  (${c.fields.join(', ')})` : ''}`);
}
