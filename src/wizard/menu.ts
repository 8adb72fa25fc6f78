// The menu `npx hobbykube` opens when the folder already has a spec: what it offers, what each
// choice resolves to (the CLI then runs the matching command), and the object diff the "change
// workloads" path prints before applying. No Ink and no I/O here.
import type { ClusterSpec } from '../spec/types.js';
import { renderObjects, redactedSecrets, type K8sObject, type RenderOptions } from '../workloads/render.js';
import type { NodeAnswers } from './answers.js';

export type MenuChoice = 'add-worker' | 'workloads' | 'status' | 'kubeconfig' | 'remove-worker' | 'reset' | 'edit' | 'quit';

export interface MenuItem {
  value: MenuChoice;
  label: string;
  hint: string;
}

export const MENU_ITEMS: readonly MenuItem[] = [
  { value: 'add-worker', label: 'Add a worker', hint: 'Asks for the new node only, checks it, and joins it; the other workers only let it through their firewall.' },
  { value: 'workloads', label: 'Change workloads', hint: 'Edit, add or remove workloads with the wizard\'s forms; see the object diff and the plan, then roll out.' },
  { value: 'status', label: 'Status', hint: 'Nodes, memory and workloads, live (q to leave).' },
  { value: 'kubeconfig', label: 'Fetch kubeconfig', hint: 'The admin kubeconfig for your own kubectl: a file, or merged into ~/.kube/config.' },
  { value: 'remove-worker', label: 'Remove a worker', hint: 'Drain it, delete its Node, kubeadm reset on it, drop it from the spec.' },
  { value: 'reset', label: 'Reset', hint: 'kubeadm reset on one node or the whole cluster, after a confirmation naming what is wiped.' },
  { value: 'edit', label: 'Edit everything', hint: 'The full wizard on this spec (nodes, DNS, domains, workloads).' },
  { value: 'quit', label: 'Quit', hint: 'Leave without changing anything.' },
];

export type KubeconfigChoice = 'file' | 'merge';

/** What the menu hands to the CLI. */
export type MenuResult =
  | { action: 'add-worker'; node: NodeAnswers }
  | { action: 'workloads' }
  | { action: 'status' }
  | { action: 'kubeconfig'; mode: KubeconfigChoice }
  | { action: 'remove-worker'; node: string }
  /** node undefined: the whole cluster. */
  | { action: 'reset'; node?: string }
  | { action: 'edit' }
  /** interrupted: Ctrl-C or a hang-up/termination signal, not the menu's own Quit (exit 130). */
  | { action: 'quit'; interrupted?: true };

// ---------------------------------------------------------------- object diff

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
