// The wizard's answers (the draft) and the one function that turns them into a ClusterSpec.
// Answers are the text the person typed, per form; buildSpec parses them into the spec's plain
// object and validates it with the spec file's own walker (validateObject), so a spec the wizard
// writes is exactly one the file would accept. Both front ends end here: same answers, same spec,
// and (through renderNewSpec) the same bytes on disk.
import { DEFAULTS, validateObject } from '../spec/validate.js';
import type { Problem } from '../spec/problems.js';
import { API_VERSION, DEFAULT_KUBERNETES_VERSION, KIND, type ClusterSpec, type NetworkSpec, type NodeRole, type WorkloadKind } from '../spec/types.js';
import type { Values } from './model.js';

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
}

export interface Answers {
  cluster: { name: string; kubernetesVersion: string };
  nodes: NodeAnswers[];
  dns: { upstream: string };
  ingress: { web: 'yes' | 'no'; node: string; email: string; acme: 'production' | 'staging' };
  /** spec.network from hobbykube.yaml; not asked by the forms (the defaults fit), kept so that editing loses nothing. */
  network?: NetworkSpec;
  workloads: WorkloadAnswers[];
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

// ------------------------------------------------------------------------------------- text helpers

/** "a, b c" → [a, b, c] */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** "A=1, B=x,y" → {A: "1", B: "x,y"}: a comma ends a value only when NAME= follows. undefined when malformed. */
export function parseEnv(text: string): Record<string, string> | undefined {
  if (text.trim() === '') return {};
  const out: Record<string, string> = {};
  for (const part of text.split(/,\s*(?=[A-Za-z_][A-Za-z0-9_]*=)/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const name = part.slice(0, eq).trim();
    if (name in out) return undefined;
    out[name] = part.slice(eq + 1).trim();
  }
  return out;
}

export function formatEnv(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** Words separated by spaces; "..." and '...' keep spaces. undefined when a quote is not closed. */
export function parseCommand(text: string): string[] | undefined {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) words.push(current);
  return words;
}

export function formatCommand(words: readonly string[]): string {
  return words.map((w) => (w === '' || /[\s"']/.test(w) ? (w.includes('"') ? `'${w}'` : `"${w}"`) : w)).join(' ');
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

// ------------------------------------------------------------------------------------- the spec

type Obj = Record<string, unknown>;

function num(text: string): number | string {
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** The spec as a plain object, before validation (what the person said, nothing more). */
export function specObject(answers: Answers): Obj {
  const web = answers.ingress.web === 'yes';
  const nodes = answers.nodes.map((n) => {
    const ssh: Obj = {};
    if (n.user !== '') ssh.user = n.user;
    if (n.port !== '') ssh.port = num(n.port);
    if (n.keyPath !== '') ssh.keyPath = n.keyPath;
    const out: Obj = { name: n.name, address: n.address, role: n.role };
    if (n.role === 'control-plane') out.schedulable = n.schedulable === 'yes';
    if (Object.keys(ssh).length > 0) out.ssh = ssh;
    if (n.acceptUndersized) out.acceptUndersized = true;
    return out;
  });
  const workloads = answers.workloads.map((w) => {
    const out: Obj = { kind: w.kind, name: w.name };
    if (w.kind === 'database') {
      Object.assign(out, { node: w.node, storage: w.storage, image: w.image, memory: w.memory, ...(w.mysqlCompatible ? { mysqlCompatible: true } : {}) });
      if (w.memoryRequest) out.memoryRequest = w.memoryRequest;
      return out;
    }
    out.image = w.image;
    if (w.kind === 'app') {
      out.port = num(w.port);
      if (web && w.domain !== '') out.domain = w.domain;
      if (w.healthPath) out.healthPath = w.healthPath;
    }
    if (w.kind === 'cron') out.schedule = w.schedule;
    if (w.kind === 'app' || w.kind === 'worker') out.replicas = num(w.replicas);
    out.memory = w.memory;
    if (w.memoryRequest) out.memoryRequest = w.memoryRequest;
    if (w.command !== '') out.command = parseCommand(w.command) ?? w.command;
    const env = parseEnv(w.env);
    if (env === undefined) out.env = w.env;
    else if (Object.keys(env).length > 0) out.env = env;
    const secret = splitList(w.secretEnv);
    if (secret.length > 0) out.secretEnv = secret;
    return out;
  });
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: answers.cluster.name },
    spec: {
      kubernetesVersion: answers.cluster.kubernetesVersion,
      nodes,
      dns: { upstream: splitList(answers.dns.upstream) },
      ...(web ? { ingress: { node: answers.ingress.node, email: answers.ingress.email, acme: answers.ingress.acme } } : {}),
      ...(answers.network ? { network: { ...answers.network, ...(answers.network.apiAllowedFrom ? { apiAllowedFrom: [...answers.network.apiAllowedFrom] } : {}) } } : {}),
      workloads,
    },
  };
}

export interface Built {
  spec?: ClusterSpec;
  problems: Problem[];
}

/** The answers as a validated ClusterSpec, or every problem, worded as the spec file's. */
export function buildSpec(answers: Answers): Built {
  return validateObject(specObject(answers));
}

/** An existing spec as answers (editing hobbykube.yaml again). */
export function answersFromSpec(spec: ClusterSpec): Answers {
  const s = spec.spec;
  return {
    cluster: { name: spec.metadata.name, kubernetesVersion: s.kubernetesVersion },
    nodes: s.nodes.map((n) => ({
      name: n.name,
      address: n.address,
      user: n.ssh.user ?? '',
      port: n.ssh.port === undefined ? '' : String(n.ssh.port),
      keyPath: n.ssh.keyPath ?? '',
      role: n.role,
      schedulable: n.schedulable ? 'yes' : 'no',
      acceptUndersized: n.acceptUndersized,
    })),
    dns: { upstream: s.dns.upstream.join(', ') },
    ingress: s.ingress ? { web: 'yes', ...s.ingress } : { web: 'no', node: '', email: '', acme: 'production' },
    ...(s.network ? { network: s.network } : {}),
    workloads: s.workloads.map((w): WorkloadAnswers => {
      const base: WorkloadAnswers = { kind: w.kind, name: w.name, image: w.image, port: '', domain: '', replicas: '1', memory: w.memory, env: '', secretEnv: '', schedule: '', command: '', storage: '', node: '', ...(w.memoryRequest ? { memoryRequest: w.memoryRequest } : {}) };
      if (w.kind === 'database') return { ...base, node: w.node, storage: w.storage, ...(w.mysqlCompatible ? { mysqlCompatible: true as const } : {}) };
      base.env = formatEnv(w.env);
      base.secretEnv = w.secretEnv.join(', ');
      if (w.command) base.command = formatCommand(w.command);
      if (w.kind === 'app') return { ...base, port: String(w.port), domain: w.domain ?? '', replicas: String(w.replicas), ...(w.healthPath !== DEFAULTS.healthPath ? { healthPath: w.healthPath } : {}) };
      if (w.kind === 'worker') return { ...base, replicas: String(w.replicas) };
      return { ...base, schedule: w.schedule };
    }),
  };
}
