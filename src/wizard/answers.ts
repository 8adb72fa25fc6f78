// The wizard's answers (the draft): the text the person typed, per form, and how a submitted form
// changes them. spec-answers.ts turns answers into a ClusterSpec (and a spec back into answers).
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
  /** Private registries from a hand-written spec (their tokens live in secrets.yaml); not asked yet, kept when editing. */
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
  return { ...answers, workloads: answers.workloads.filter((_, i) => i !== index) };
}

/** The secret values of a submitted form (`secret:NAME` fields), for secrets.yaml only. */
export function secretValues(values: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (key.startsWith('secret:') && value !== '') out[key.slice(7)] = value;
  return out;
}
