// The wizard's answers (the draft): the text the person typed, per form, and how a submitted form
// changes them. spec-answers.ts turns answers into a ClusterSpec (and a spec back into answers).
import * as rules from '../spec/rules.js';
import { DEFAULT_KUBERNETES_VERSION, type DumpSettingsSpec, type NetworkSpec, type NodeRole, type RegistrySpec, type WorkloadKind } from '../spec/types.js';
import type { Values } from './form.js';
import { splitList } from './text-fields.js';

export interface NodeAnswers {
  name: string;
  address: string;
  user: string;
  port: string;
  /** Empty: the SSH agent or ~/.ssh/config. */
  keyPath: string;
  role: NodeRole;
  schedulable: 'yes' | 'no';
  acceptUndersized: boolean;
}

export interface WorkloadAnswers {
  kind: WorkloadKind;
  name: string;
  image: string;
  port: string;
  domain: string;
  replicas: string;
  memory: string;
  /** NAME=value, comma-separated. */
  env: string;
  /** Names only: values never enter the answers (they go straight to secrets.yaml). */
  secretEnv: string;
  schedule: string;
  command: string;
  storage: string;
  node: string;
  /** App readiness path; not asked by the forms, kept so that editing loses nothing ('' = the default). */
  healthPath?: string;
  /** Memory request from hobbykube.yaml; not asked by the forms (the default rule decides), kept when editing. */
  memoryRequest?: string;
  /** Database only, from a hand-written spec; not asked by the forms, kept so that editing loses nothing. */
  mysqlCompatible?: true;
  /** Database only: the dump schedule from a hand-written spec; not asked by the forms, kept when editing. */
  backup?: DumpSettingsSpec;
  /** Worker, app, cron: the linked database workload (absent or '' = none), asked by the workload form. */
  database?: string;
  /** App: its release command from a hand-written spec; not asked by the forms yet, kept when editing. */
  release?: string[];
}

export interface Answers {
  cluster: { name: string; kubernetesVersion: string };
  nodes: NodeAnswers[];
  dns: { upstream: string };
  ingress: { web: 'yes' | 'no'; node: string; email: string; acme: 'production' | 'staging' };
  /** spec.network from hobbykube.yaml; not asked by the forms (the defaults fit), kept so that editing loses nothing. */
  network?: NetworkSpec;
  workloads: WorkloadAnswers[];
  /**
   * Private registries (their tokens live in secrets.yaml, never here). The workload form asks the
   * login of its image's registry; an entry no workload image uses any more is dropped.
   */
  registries?: RegistrySpec[];
}

export function emptyAnswers(): Answers {
  return {
    cluster: { name: 'home', kubernetesVersion: DEFAULT_KUBERNETES_VERSION },
    nodes: [],
    dns: { upstream: '' },
    ingress: { web: 'no', node: '', email: '', acme: 'production' },
    workloads: [],
  };
}

// ------------------------------------------------------------------------------------- applying forms

export function applyWelcome(answers: Answers, values: Values): Answers {
  return { ...answers, cluster: { name: (values.name ?? '').trim(), kubernetesVersion: (values.kubernetesVersion ?? '').trim() } };
}

export function nodeFromValues(values: Values, previous?: NodeAnswers): NodeAnswers {
  const role = values.role === 'control-plane' ? 'control-plane' : 'worker';
  const node: NodeAnswers = {
    name: (values.name ?? '').trim(),
    address: (values.address ?? '').trim(),
    user: (values.user ?? '').trim(),
    port: (values.port ?? '').trim(),
    keyPath: (values.keyPath ?? '').trim(),
    role,
    schedulable: role === 'control-plane' && values.schedulable === 'yes' ? 'yes' : 'no',
    acceptUndersized: false,
  };
  // The small-node override belongs to this machine in this role: a change of address or role drops it.
  if (previous && previous.address === node.address && previous.role === node.role) node.acceptUndersized = previous.acceptUndersized;
  return node;
}

/** Adds (index undefined) or replaces a node; renames follow into ingress and database answers. */
export function applyNode(answers: Answers, index: number | undefined, node: NodeAnswers): Answers {
  const nodes = [...answers.nodes];
  const oldName = index === undefined ? undefined : nodes[index]?.name;
  if (index === undefined) nodes.push(node);
  else nodes[index] = node;
  const rename = (n: string) => (oldName !== undefined && n === oldName ? node.name : n);
  return {
    ...answers,
    nodes,
    ingress: { ...answers.ingress, node: rename(answers.ingress.node) },
    workloads: answers.workloads.map((w) => ({ ...w, node: rename(w.node) })),
  };
}

/** Why the nodes are not enough to go on: none yet, or not exactly one control plane. */
export function nodesProblem(answers: Answers): string | undefined {
  if (answers.nodes.length === 0) return 'Add at least one node (the control plane) first.';
  const cps = answers.nodes.filter((n) => n.role === 'control-plane').length;
  return cps === 1 ? undefined : `Exactly one node must be the control plane (now ${cps}).`;
}

export function removeNode(answers: Answers, index: number): Answers {
  return { ...answers, nodes: answers.nodes.filter((_, i) => i !== index) };
}

export function applyDns(answers: Answers, values: Values): Answers {
  return { ...answers, dns: { upstream: (values.upstream ?? '').trim() } };
}

export function applyIngress(answers: Answers, values: Values): Answers {
  const web = values.web === 'yes' ? 'yes' : 'no';
  // Saying "no" keeps what was typed before, so saying "yes" again finds it.
  return {
    ...answers,
    ingress: {
      web,
      node: values.node ?? answers.ingress.node,
      email: (values.email ?? answers.ingress.email).trim(),
      acme: (values.acme ?? answers.ingress.acme) === 'staging' ? 'staging' : 'production',
    },
  };
}

export function workloadFromValues(kind: WorkloadKind, values: Values, base: WorkloadAnswers): WorkloadAnswers {
  const t = (key: keyof WorkloadAnswers) => (values[key] ?? String(base[key])).trim();
  const database = (values.database ?? base.database ?? '').trim();
  return {
    kind,
    name: t('name'),
    image: t('image'),
    port: t('port'),
    domain: t('domain'),
    replicas: t('replicas'),
    memory: t('memory'),
    env: t('env'),
    secretEnv: splitList(t('secretEnv')).join(', '),
    schedule: t('schedule'),
    command: t('command'),
    storage: t('storage'),
    node: t('node'),
    ...(base.healthPath ? { healthPath: base.healthPath } : {}),
    ...(base.memoryRequest ? { memoryRequest: base.memoryRequest } : {}),
    ...(base.mysqlCompatible ? { mysqlCompatible: true as const } : {}),
    ...(base.backup ? { backup: { ...base.backup } } : {}),
    ...(database !== '' && kind !== 'database' ? { database } : {}),
    ...(base.release !== undefined && kind === 'app' ? { release: [...base.release] } : {}),
  };
}

export function applyWorkload(answers: Answers, index: number | undefined, workload: WorkloadAnswers): Answers {
  const workloads = [...answers.workloads];
  if (index === undefined) workloads.push(workload);
  else workloads[index] = workload;
  return { ...answers, workloads };
}

export function removeWorkload(answers: Answers, index: number): Answers {
  return pruneRegistries({ ...answers, workloads: answers.workloads.filter((_, i) => i !== index) });
}

// ------------------------------------------------------------------------------------- registries

/** The registry host of an image the spec would accept (rules.imageRegistry), else undefined. */
export function imageHost(image: string): string | undefined {
  return image !== '' && rules.image(image) === undefined ? rules.imageRegistry(image) : undefined;
}

/** The registry entry images from `host` are pulled with, if any. */
export function registryOf(answers: Answers, host: string): RegistrySpec | undefined {
  return answers.registries?.find((r) => rules.registryHost(r.server) === host);
}

/** A name for a new registry entry: its host as a name (ghcr.io -> ghcr-io), unique among the entries. */
export function registryNameFor(answers: Answers, host: string): string {
  const base = (host === 'docker.io' ? 'dockerhub' : host.replace(/:\d+$/, '')).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 36).replace(/-+$/, '') || 'registry';
  const taken = new Set((answers.registries ?? []).map((r) => r.name));
  let name = rules.registryName(base) === undefined ? base : 'registry';
  for (let i = 2; taken.has(name); i += 1) name = `${base}-${i}`;
  return name;
}

/**
 * Sets the login of the registry at `host`: a new entry named after the host, or the existing one
 * with this username. An empty `username` changes nothing (a public image, or the login another
 * workload's image already set: one entry per host serves them all). Returns the answers and the
 * entry's name (undefined when there is none).
 */
export function applyRegistryLogin(answers: Answers, host: string, username: string): { answers: Answers; name?: string } {
  const existing = registryOf(answers, host);
  if (username === '') return { answers, ...(existing ? { name: existing.name } : {}) };
  const entry: RegistrySpec = existing ? { ...existing, username } : { name: registryNameFor(answers, host), server: host, username };
  const registries = existing ? (answers.registries ?? []).map((r) => (r === existing ? entry : r)) : [...(answers.registries ?? []), entry];
  return { answers: withRegistries(answers, registries), name: entry.name };
}

/** Drops registry entries no workload's image is pulled from (the spec refuses them). */
export function pruneRegistries(answers: Answers): Answers {
  if (!answers.registries) return answers;
  const used = new Set(answers.workloads.flatMap((w) => imageHost(w.image) ?? []));
  return withRegistries(answers, answers.registries.filter((r) => used.has(rules.registryHost(r.server))));
}

/**
 * A submitted workload form as answers: the workload added (index undefined) or replaced, the
 * login of its image's registry (`registryUser`, when the form asked it) set on that host's entry,
 * entries no image uses any more dropped. `registry`: the entry the image's token belongs to.
 */
export function applyWorkloadForm(answers: Answers, index: number | undefined, kind: WorkloadKind, values: Values, before: WorkloadAnswers): { answers: Answers; workload: WorkloadAnswers; registry?: string } {
  const workload = workloadFromValues(kind, values, before);
  let next = applyWorkload(answers, index, workload);
  const host = imageHost(workload.image);
  let registry: string | undefined;
  if (host !== undefined && values.registryUser !== undefined) {
    const login = applyRegistryLogin(next, host, values.registryUser.trim());
    next = login.answers;
    registry = login.name;
  }
  return { answers: pruneRegistries(next), workload, ...(registry !== undefined ? { registry } : {}) };
}

function withRegistries(answers: Answers, registries: RegistrySpec[]): Answers {
  const { registries: _old, ...rest } = answers;
  return registries.length > 0 ? { ...rest, registries } : rest;
}

/** The secret values of a submitted form (`secret:NAME` fields), for secrets.yaml only. */
export function secretValues(values: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (key.startsWith('secret:') && value !== '') out[key.slice(7)] = value;
  return out;
}
