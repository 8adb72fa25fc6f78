// The admin kubeconfig for the owner's own kubectl: kubeadm names everything generically
// (cluster "kubernetes", user "kubernetes-admin", context "kubernetes-admin@kubernetes"), so two
// clusters would clash in one file. We rename the cluster, user and context entries after the
// hobbykube cluster, and merge into an existing kubeconfig replacing only entries of that name.
// Pure functions over text; the command does the I/O.
import { delimiter, join } from 'node:path';
import { isMap, isSeq, parseDocument, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { kubeYaml, quoteForKube } from '../kubeyaml.js';

type Json = Record<string, unknown>;

export interface Named {
  name: string;
  [key: string]: unknown;
}

export interface Kubeconfig {
  apiVersion?: string;
  kind?: string;
  clusters: Named[];
  users: Named[];
  contexts: Named[];
  'current-context'?: string;
  [key: string]: unknown;
}

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

function asList(value: unknown, what: string): Named[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new KubeconfigError(`${what} is not a list`);
  return value.map((item, i) => {
    if (!item || typeof item !== 'object' || typeof (item as Json).name !== 'string') throw new KubeconfigError(`${what}[${i}] has no name`);
    return item as Named;
  });
}

export function parseKubeconfig(text: string, what = 'the kubeconfig'): Kubeconfig {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new KubeconfigError(`${what} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const value = (doc.toJS() ?? {}) as Json;
  if (typeof value !== 'object' || Array.isArray(value)) throw new KubeconfigError(`${what} is not a mapping`);
  return {
    ...value,
    clusters: asList(value.clusters, `${what}: clusters`),
    users: asList(value.users, `${what}: users`),
    contexts: asList(value.contexts, `${what}: contexts`),
  };
}

/**
 * kubeadm's admin.conf with its (single) cluster, user and context renamed to `name`, and the
 * current context set to it. Throws when the file does not hold exactly one of each.
 */
export function renameAdminConf(adminConf: string, name: string): Kubeconfig {
  const kc = parseKubeconfig(adminConf, 'admin.conf');
  const context = kc.contexts.find((c) => c.name === kc['current-context']) ?? kc.contexts[0];
  if (!context) throw new KubeconfigError('admin.conf has no context');
  const ref = (context.context ?? {}) as Json;
  const cluster = kc.clusters.find((c) => c.name === ref.cluster) ?? kc.clusters[0];
  const user = kc.users.find((u) => u.name === ref.user) ?? kc.users[0];
  if (!cluster || !user) throw new KubeconfigError('admin.conf has no cluster or no user');
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ ...cluster, name }],
    users: [{ ...user, name }],
    contexts: [{ name, context: { ...ref, cluster: name, user: name } }],
    'current-context': name,
    preferences: {},
  };
}

/**
 * admin.conf with its one cluster's server set to `server` (the control plane's public address,
 * which its certificate names), everything else as it was. Unchanged text when it already is.
 */
export function setKubeconfigServer(adminConf: string, server: string): string {
  const doc = parseDocument(adminConf);
  if (doc.errors.length > 0) throw new KubeconfigError(`admin.conf is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const clusters = doc.get('clusters');
  if (!isSeq(clusters) || clusters.items.length !== 1) throw new KubeconfigError('admin.conf does not hold exactly one cluster');
  if (doc.getIn(['clusters', 0, 'cluster', 'server']) === server) return adminConf;
  doc.setIn(['clusters', 0, 'cluster', 'server'], server);
  // kubeadm writes block sequences unindented; keep its layout.
  return doc.toString({ lineWidth: 0, indentSeq: false });
}

export function renderKubeconfig(kc: Kubeconfig): string {
  return kubeYaml(kc); // kubectl reads it with go-yaml: a context named "on" stays a string
}

export interface MergeResult {
  text: string;
  /** Entries of ours that were there before (a re-merge replaces them). */
  replaced: boolean;
  /** The current context was set to ours (the file had none). */
  madeCurrent: boolean;
  /** The current context before, when it was someone else's and left alone. */
  currentContext?: string;
}

/**
 * Merges `ours` (one cluster, user and context, all named alike) into an existing kubeconfig's
 * text. Other entries stay as they were, byte for byte where the YAML library allows (the
 * document is edited in place, so comments and order survive). Our entries replace same-named
 * ones; the current context is set to ours only when the file has none.
 */
export function mergeKubeconfig(existing: string | undefined, ours: Kubeconfig): MergeResult {
  const name = ours.contexts[0]!.name;
  if (existing === undefined || existing.trim() === '') {
    return { text: renderKubeconfig(ours), replaced: false, madeCurrent: true };
  }
  parseKubeconfig(existing, 'the existing kubeconfig'); // refuse to touch a file we cannot read
  const doc: Document = parseDocument(existing);
  if (!isMap(doc.contents)) throw new KubeconfigError('the existing kubeconfig is not a mapping');
  const root = doc.contents as YAMLMap;
  let replaced = false;
  for (const key of ['clusters', 'users', 'contexts'] as const) {
    const entry = ours[key][0]!;
    let seq = root.get(key, true) as YAMLSeq | undefined | null;
    if (!isSeq(seq)) {
      seq = doc.createNode([]) as YAMLSeq;
      root.set(key, seq);
    }
    const node = doc.createNode(entry);
    quoteForKube(node as Node); // only our entries: the owner's own lines stay as they were
    const at = seq.items.findIndex((item) => isMap(item) && item.get('name') === name);
    if (at >= 0) {
      seq.items[at] = node;
      replaced = true;
    } else seq.items.push(node);
  }
  const current = root.get('current-context');
  const hasCurrent = typeof current === 'string' && current !== '';
  if (!hasCurrent) {
    const value = doc.createNode(name);
    quoteForKube(value as Node);
    root.set('current-context', value);
  }
  if (!root.has('apiVersion')) root.set('apiVersion', 'v1');
  if (!root.has('kind')) root.set('kind', 'Config');
  return {
    text: doc.toString({ lineWidth: 0 }),
    replaced,
    madeCurrent: !hasCurrent,
    ...(hasCurrent && current !== name ? { currentContext: current as string } : {}),
  };
}

/** Where `--merge` writes: the first path of $KUBECONFIG, as kubectl does for new entries, else ~/.kube/config. */
export function mergeTarget(env: NodeJS.ProcessEnv, home: string): string {
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((p) => p.trim() !== '');
  return first ?? join(home, '.kube', 'config');
}
