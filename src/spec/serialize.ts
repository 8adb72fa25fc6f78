// Turning a ClusterSpec back into YAML. A spec is written compactly (defaults left out), and when
// the file existed before, only the fields that changed are touched in the parsed document, so
// the owner's comments, key order and explicit defaults survive a save by the wizard.
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { quoteForKube } from '../kubeyaml.js';
import { DEFAULTS } from './validate.js';
import type { ClusterSpec, NodeSpec, Workload } from './types.js';

type Plain = string | number | boolean | Plain[] | { [key: string]: Plain };
type PlainMap = { [key: string]: Plain };

function compactNode(node: NodeSpec): PlainMap {
  const ssh: PlainMap = {};
  if (node.ssh.user !== undefined) ssh.user = node.ssh.user;
  // An explicit port (even 22) overrides ~/.ssh/config, so it is kept.
  if (node.ssh.port !== undefined) ssh.port = node.ssh.port;
  if (node.ssh.keyPath !== undefined) ssh.keyPath = node.ssh.keyPath;
  return {
    name: node.name,
    address: node.address,
    role: node.role,
    ...(node.role === 'control-plane' ? { schedulable: node.schedulable } : {}),
    ...(Object.keys(ssh).length > 0 ? { ssh } : {}),
    ...(node.acceptUndersized ? { acceptUndersized: true } : {}),
  };
}

function compactWorkload(w: Workload): PlainMap {
  const out: PlainMap = { kind: w.kind, name: w.name };
  if (w.kind === 'database') {
    out.node = w.node;
    out.storage = w.storage;
    if (w.image !== DEFAULTS.databaseImage) out.image = w.image;
    if (w.mysqlCompatible) out.mysqlCompatible = true;
    out.memory = w.memory;
    if (w.memoryRequest !== undefined) out.memoryRequest = w.memoryRequest;
    if (w.backup !== undefined) out.backup = { ...w.backup };
    return out;
  }
  out.image = w.image;
  if (w.kind === 'cron') out.schedule = w.schedule;
  if (w.kind === 'app') {
    out.port = w.port;
    if (w.domain !== undefined) out.domain = w.domain;
    if (w.healthPath !== DEFAULTS.healthPath) out.healthPath = w.healthPath;
  }
  if ((w.kind === 'app' || w.kind === 'worker') && w.replicas !== DEFAULTS.replicas) out.replicas = w.replicas;
  out.memory = w.memory;
  if (w.memoryRequest !== undefined) out.memoryRequest = w.memoryRequest;
  if (w.command) out.command = [...w.command];
  if (Object.keys(w.env).length > 0) out.env = { ...w.env };
  if (w.secretEnv.length > 0) out.secretEnv = [...w.secretEnv];
  return out;
}

/** The spec as the plain object written to hobbykube.yaml: stable key order, defaults left out. */
export function toSpecObject(spec: ClusterSpec): PlainMap {
  const s = spec.spec;
  return {
    apiVersion: spec.apiVersion,
    kind: spec.kind,
    metadata: { name: spec.metadata.name },
    spec: {
      kubernetesVersion: s.kubernetesVersion,
      nodes: s.nodes.map(compactNode),
      dns: { upstream: [...s.dns.upstream] },
      ...(s.ingress ? { ingress: { node: s.ingress.node, email: s.ingress.email, acme: s.ingress.acme } } : {}),
      workloads: s.workloads.map(compactWorkload),
    },
  };
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A new node for the file. Strings that a YAML 1.1 reader would take for something else (`on`,
 * `yes`, `012`...) are double-quoted, as in what reaches kubectl: our own reader is YAML 1.2 and
 * would not mind, but the owner's other tools (PyYAML, yamllint) and eyes would.
 */
export function createNode(doc: Document, value: Plain): Node {
  const node = doc.createNode(value) as Node;
  quoteForKube(node);
  return node;
}

function isPlainMap(value: unknown): value is PlainMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Makes `node` say `next`, changing as little as possible. `previous` is what the file said
 * before (compact form): a key missing from both is an explicit default in the file and stays.
 */
function merge(doc: Document, node: Node | null | undefined, previous: Plain | undefined, next: Plain): Node {
  if (node && previous !== undefined && equal(previous, next)) return node;
  if (Array.isArray(next)) {
    if (!isSeq(node)) return createNode(doc, next);
    const seq = node as YAMLSeq<Node>;
    const before = Array.isArray(previous) ? previous : [];
    const named = next.every((item) => isPlainMap(item) && typeof item.name === 'string');
    seq.items = next.map((item, index) => {
      let at = index;
      if (named) at = before.findIndex((old) => isPlainMap(old) && old.name === (item as PlainMap).name);
      return at >= 0 && at < seq.items.length ? merge(doc, seq.items[at], before[at], item) : createNode(doc, item);
    });
    return seq;
  }
  if (isPlainMap(next)) {
    if (!isMap(node)) return createNode(doc, next);
    const map = node as YAMLMap<Node, Node | null>;
    const before = isPlainMap(previous) ? previous : {};
    for (const [key, value] of Object.entries(next)) {
      const pair = map.items.find((p: Pair<Node, Node | null>) => isScalar(p.key) && p.key.value === key);
      if (pair) pair.value = merge(doc, pair.value, before[key], value);
      else if (!(key in before) || !equal(before[key], value)) map.items.push(doc.createPair(key, createNode(doc, value)) as Pair<Node, Node | null>);
    }
    map.items = map.items.filter((p: Pair<Node, Node | null>) => {
      const key = isScalar(p.key) ? String(p.key.value) : '';
      return key in next || !(key in before);
    });
    return map;
  }
  if (isScalar(node)) {
    if (node.value !== next) {
      node.value = next;
      if (node.type === undefined || node.type === 'PLAIN') quoteForKube(node);
    }
    return node;
  }
  return createNode(doc, next);
}

export function sameSpec(a: ClusterSpec, b: ClusterSpec): boolean {
  return equal(toSpecObject(a), toSpecObject(b));
}

/** Updates a parsed document (that said `previous`) in place to say `spec`. */
export function mergeIntoDocument(doc: Document, previous: ClusterSpec, spec: ClusterSpec): void {
  doc.contents = merge(doc, doc.contents as Node | null, toSpecObject(previous), toSpecObject(spec)) as typeof doc.contents;
}
