// The wizard's answers as a ClusterSpec and back. buildSpec parses the typed text into the spec's
// plain object and validates it with the spec file's own walker (validateObject), so a spec the
// wizard writes is exactly one the file would accept; answersFromSpec turns an existing spec into
// answers for editing. Both front ends end here: same answers, same spec, same bytes on disk.
import { DEFAULTS, validateObject } from '../spec/validate.js';
import { numberOrText } from '../spec/rules.js';
import type { Problem } from '../spec/problems.js';
import { API_VERSION, KIND, type ClusterSpec } from '../spec/types.js';
import type { Answers, WorkloadAnswers } from './answers.js';
import { formatCommand, formatEnv, parseCommand, parseEnv, splitList } from './text-fields.js';

type Obj = Record<string, unknown>;


/** The spec as a plain object, before validation (what the person said, nothing more). */
export function specObject(answers: Answers): Obj {
  const web = answers.ingress.web === 'yes';
  const nodes = answers.nodes.map((n) => {
    const ssh: Obj = {};
    if (n.user !== '') ssh.user = n.user;
    if (n.port !== '') ssh.port = numberOrText(n.port);
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
      if (w.backup) out.backup = { ...w.backup };
      return out;
    }
    out.image = w.image;
    if (w.kind === 'app') {
      out.port = numberOrText(w.port);
      if (web && w.domain !== '') out.domain = w.domain;
      if (w.healthPath) out.healthPath = w.healthPath;
    }
    if (w.kind === 'cron') out.schedule = w.schedule;
    if (w.kind === 'app' || w.kind === 'worker') out.replicas = numberOrText(w.replicas);
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
    workloads: s.workloads.map((w): WorkloadAnswers => {
      const base: WorkloadAnswers = { kind: w.kind, name: w.name, image: w.image, port: '', domain: '', replicas: '1', memory: w.memory, env: '', secretEnv: '', schedule: '', command: '', storage: '', node: '', ...(w.memoryRequest ? { memoryRequest: w.memoryRequest } : {}) };
      if (w.kind === 'database') return { ...base, node: w.node, storage: w.storage, ...(w.mysqlCompatible ? { mysqlCompatible: true as const } : {}), ...(w.backup ? { backup: { ...w.backup } } : {}) };
      base.env = formatEnv(w.env);
      base.secretEnv = w.secretEnv.join(', ');
      if (w.command) base.command = formatCommand(w.command);
      if (w.kind === 'app') return { ...base, port: String(w.port), domain: w.domain ?? '', replicas: String(w.replicas), ...(w.healthPath !== DEFAULTS.healthPath ? { healthPath: w.healthPath } : {}) };
      if (w.kind === 'worker') return { ...base, replicas: String(w.replicas) };
      return { ...base, schedule: w.schedule };
    }),
  };
}
