// The wizard's question model: what is asked, in which words, with which defaults, and how each
// answer is checked. Both front ends (the Ink screens in screens/ and the line-by-line prompts of
// `hobbykube --plain`) render these same forms, so their messages, defaults and validation cannot
// drift, and the same answers always build the same spec (see answers.ts: buildSpec).
//
// Every value is held as the text the person typed; answers.ts turns text into the spec. Each
// check returns undefined or the "expected ..." sentence, made from the phrases of
// src/spec/rules.ts, so the inline error says what the spec file's error would say.
import * as rules from '../spec/rules.js';
import { nextRuns } from '../spec/cron.js';
import { DEFAULTS } from '../spec/validate.js';
import { DEFAULT_KUBERNETES_VERSION, type WorkloadKind } from '../spec/types.js';
import type { Answers, NodeAnswers, WorkloadAnswers } from './answers.js';
import { parseCommand, parseEnv, splitList } from './answers.js';

export type FieldKind = 'text' | 'secret' | 'choice';

export interface Choice {
  value: string;
  name: string;
}

export interface Field {
  /** Key in the form's values. Secret fields are `secret:NAME` and never reach the answers. */
  key: string;
  /** Short label for the full-screen form (at most 14 characters). */
  label: string;
  /** The whole question, as the plain prompts ask it. */
  message: string;
  /** One line on what is wanted and why; shown under the focused field and in plain mode. */
  hint?: string;
  kind: FieldKind;
  choices?: Choice[];
  /** undefined when fine, else the sentence shown beside the field ("expected ..."). */
  validate: (value: string) => string | undefined;
  /** Extra lines the screen shows beside the field for the current value (next cron runs). */
  preview?: (value: string) => string[];
}

export type Values = Record<string, string>;

export interface FormModel {
  id: string;
  title: string;
  /** Short paragraph above the fields. */
  intro: string[];
  /** The fields to show for the current values (some appear only for some answers). */
  fields: (values: Values) => Field[];
  /** Values a fresh form starts from. */
  initial: Values;
}

const expected = (phrase: string | undefined): string | undefined => (phrase === undefined ? undefined : `expected ${phrase}`);
const check = (rule: rules.Check) => (v: string) => expected(rule(v.trim()));
const optional = (rule: rules.Check) => (v: string) => (v.trim() === '' ? undefined : expected(rule(v.trim())));
const integerText = (rule: (value: unknown) => string | undefined, allowEmpty: boolean) => (v: string) => {
  const t = v.trim();
  if (t === '' && allowEmpty) return undefined;
  return expected(rule(/^\d+$/.test(t) ? Number(t) : t));
};

// ------------------------------------------------------------------------------------- welcome

export const WELCOME_LINES = [
  'A few questions about your VPSes, DNS, domains and workloads; each node is',
  'checked over SSH as you add it. You see the whole plan before anything runs.',
  'The answers become one file, hobbykube.yaml, that `hobbykube apply` can rerun.',
];

export function welcomeForm(answers: Answers): FormModel {
  return {
    id: 'welcome',
    title: 'Welcome',
    intro: WELCOME_LINES,
    initial: { name: answers.cluster.name, kubernetesVersion: answers.cluster.kubernetesVersion },
    fields: () => [
      {
        key: 'name',
        label: 'Cluster name',
        message: 'Cluster name',
        hint: 'Names the state folder (~/.hobbykube/NAME) and the kubectl context.',
        kind: 'text',
        validate: check(rules.clusterName),
      },
      {
        key: 'kubernetesVersion',
        label: 'Kubernetes',
        message: 'Kubernetes version',
        hint: `A minor version such as ${DEFAULT_KUBERNETES_VERSION} (the newest); packages come from pkgs.k8s.io.`,
        kind: 'text',
        validate: check(rules.kubernetesVersion),
      },
    ],
  };
}

// ------------------------------------------------------------------------------------- nodes

export const ROLE_CHOICES: Choice[] = [
  { value: 'control-plane', name: 'control plane' },
  { value: 'worker', name: 'worker' },
];
export const YES_NO: Choice[] = [
  { value: 'no', name: 'no' },
  { value: 'yes', name: 'yes' },
];

export function newNode(answers: Answers): NodeAnswers {
  const hasCp = answers.nodes.some((n) => n.role === 'control-plane');
  const workers = answers.nodes.filter((n) => n.role === 'worker').length;
  let name = hasCp ? `w${workers + 1}` : 'cp1';
  for (let i = workers + 2; answers.nodes.some((n) => n.name === name); i += 1) name = `w${i}`;
  return { name, address: '', user: answers.nodes[0]?.user ?? 'root', port: '22', keyPath: answers.nodes[0]?.keyPath ?? '', role: hasCp ? 'worker' : 'control-plane', schedulable: 'no', acceptUndersized: false };
}

/** The node form; `index` is the node being edited (undefined: a new one). */
export function nodeForm(answers: Answers, index: number | undefined): FormModel {
  const node = index === undefined ? newNode(answers) : answers.nodes[index]!;
  const others = answers.nodes.filter((_, i) => i !== index);
  return {
    id: 'node',
    title: index === undefined ? 'Add a node' : `Edit node ${node.name}`,
    intro: ['hobbykube connects as soon as you press Enter on the last field: it shows the host key to accept, then the node\'s facts.'],
    initial: { name: node.name, address: node.address, user: node.user, port: node.port, keyPath: node.keyPath, role: node.role, schedulable: node.schedulable },
    fields: (values) => {
      const fields: Field[] = [
        {
          key: 'name',
          label: 'Name',
          message: 'Node name',
          hint: 'A short name for this machine, used in the spec, the plan and Kubernetes (cp1, w1 ...).',
          kind: 'text',
          validate: (v) => check(rules.nodeName)(v) ?? (others.some((n) => n.name === v.trim()) ? `expected a name no other node has (${v.trim()} is taken)` : undefined),
        },
        {
          key: 'address',
          label: 'Address',
          message: 'Address (IP or host name)',
          hint: 'The public IP address or host name you reach the VPS at over SSH (also a Host alias of ~/.ssh/config).',
          kind: 'text',
          validate: check(rules.address),
        },
        {
          key: 'user',
          label: 'SSH user',
          message: 'SSH user (empty: ~/.ssh/config, else root)',
          hint: 'Login user; anyone but root needs sudo rights. Empty: ~/.ssh/config\'s User for this host, else root.',
          kind: 'text',
          validate: optional(rules.sshUser),
        },
        {
          key: 'port',
          label: 'SSH port',
          message: 'SSH port',
          hint: 'Usually 22. Empty: ~/.ssh/config\'s Port for this host, else 22.',
          kind: 'text',
          validate: (v) =>
            integerText(rules.port, true)(v) ??
            (others.some((n) => n.address === values.address?.trim() && n.port === v.trim()) ? 'expected an address and port no other node has' : undefined),
        },
        {
          key: 'keyPath',
          label: 'SSH key',
          message: 'SSH private key file (empty: the SSH agent or ~/.ssh/config)',
          hint: 'Path of the private key, such as ~/.ssh/id_ed25519; leave empty to use ssh-agent or ~/.ssh/config.',
          kind: 'text',
          validate: optional(rules.keyPath),
        },
        {
          key: 'role',
          label: 'Role',
          message: 'Role',
          hint: 'Exactly one control plane (1 GB / 2 CPUs at least); every other node is a worker (512 MB is enough).',
          kind: 'choice',
          choices: ROLE_CHOICES,
          validate: (v) =>
            v === 'control-plane' && others.some((n) => n.role === 'control-plane')
              ? `expected worker: ${others.find((n) => n.role === 'control-plane')!.name} is already the control plane (exactly one)`
              : undefined,
        },
      ];
      if (values.role === 'control-plane') {
        fields.push({
          key: 'schedulable',
          label: 'Run workloads',
          message: 'Run workloads on the control plane too?',
          hint: 'No keeps the control plane\'s memory for Kubernetes itself; yes helps when you have no workers.',
          kind: 'choice',
          choices: YES_NO,
          validate: () => undefined,
        });
      }
      return fields;
    },
  };
}

// ------------------------------------------------------------------------------------- dns

export const DNS_WHY = [
  "CoreDNS forwards outside names to these servers. On Ubuntu /etc/resolv.conf names 127.0.0.53, systemd-resolved's local stub, which pods cannot reach: cluster DNS then fails for every outside name, a trap that can cost days. Use the servers the stub forwards to.",
];

export function validateDnsList(v: string): string | undefined {
  const servers = splitList(v);
  if (servers.length === 0) return 'expected 1-3 IP addresses of DNS servers, such as 1.1.1.1, 9.9.9.9';
  if (servers.length > 3) return 'expected at most 3 DNS servers (the most a resolv.conf honours)';
  for (const s of servers) {
    const problem = rules.dnsServer(s);
    if (problem) return `${s}: expected ${problem}`;
  }
  return undefined;
}

export function dnsForm(answers: Answers, prefillFrom?: string[]): FormModel {
  const initial = answers.dns.upstream !== '' ? answers.dns.upstream : dnsDefault(prefillFrom);
  return {
    id: 'dns',
    title: 'DNS',
    intro: [...DNS_WHY, ...(prefillFrom && prefillFrom.length > 0 ? [`Prefilled from the control plane's real upstream resolvers (${prefillFrom.join(', ')}).`] : [])],
    initial: { upstream: initial },
    fields: () => [
      {
        key: 'upstream',
        label: 'DNS servers',
        message: 'Upstream DNS servers (1-3, comma-separated)',
        hint: 'IP addresses, not 127.0.0.53. Your provider\'s resolvers, or public ones such as 1.1.1.1, 9.9.9.9.',
        kind: 'text',
        validate: validateDnsList,
      },
    ],
  };
}

/** The prefill: the control plane's upstream resolvers that are usable (never a loopback stub). */
export function dnsDefault(upstream: readonly string[] | undefined): string {
  const usable = (upstream ?? []).filter((s) => rules.dnsServer(s) === undefined).slice(0, 3);
  return usable.length > 0 ? usable.join(', ') : '1.1.1.1, 9.9.9.9';
}

// ------------------------------------------------------------------------------------- ingress

export const ACME_CHOICES: Choice[] = [
  { value: 'production', name: 'production (trusted certificates)' },
  { value: 'staging', name: 'staging (for testing: untrusted, generous limits)' },
];

export function ingressForm(answers: Answers): FormModel {
  const nodeChoices = answers.nodes.map((n) => ({ value: n.name, name: `${n.name} (${n.address})` }));
  const i = answers.ingress;
  return {
    id: 'ingress',
    title: 'Domains & TLS',
    intro: [
      "A reverse proxy on one node receives web traffic on ports 80 and 443 and gets TLS certificates from Let's Encrypt. Point your domains' A records at that node's address.",
    ],
    initial: { web: i.web, node: i.node || (nodeChoices.find((c) => answers.nodes.find((n) => n.name === c.value)?.role === 'worker') ?? nodeChoices[0])?.value || '', email: i.email, acme: i.acme },
    fields: (values) => {
      const fields: Field[] = [
        {
          key: 'web',
          label: 'Web apps',
          message: 'Will you serve web apps on your own domains?',
          hint: 'Yes sets up the reverse proxy and TLS; no skips this (apps then have no domain).',
          kind: 'choice',
          choices: YES_NO,
          validate: (v) =>
            v === 'no' && answers.workloads.some((w) => w.kind === 'app' && w.domain.trim() !== '')
              ? 'expected yes: an app already has a domain (remove it in Workloads first)'
              : undefined,
        },
      ];
      if (values.web !== 'yes') return fields;
      fields.push(
        {
          key: 'node',
          label: 'Ingress node',
          message: 'Which node receives web traffic (ports 80/443)?',
          hint: 'Your domains\' A records must point at this node\'s address.',
          kind: 'choice',
          choices: nodeChoices,
          validate: (v) => (answers.nodes.some((n) => n.name === v) ? undefined : 'expected a node name (add nodes first)'),
        },
        { key: 'email', label: 'Email', message: 'Email for Let\'s Encrypt', hint: 'Let\'s Encrypt writes here before a certificate expires.', kind: 'text', validate: check(rules.email) },
        { key: 'acme', label: 'Certificates', message: 'Let\'s Encrypt environment', hint: 'Staging first avoids production rate limits while you experiment.', kind: 'choice', choices: ACME_CHOICES, validate: () => undefined },
      );
      return fields;
    },
  };
}

// ------------------------------------------------------------------------------------- workloads

/** "Add a worker", "Add an app server": the article the choice's name needs. */
export function addLabel(choice: Choice): string {
  return `Add ${/^[aeiou]/i.test(choice.name) ? 'an' : 'a'} ${choice.name}`;
}

export const KIND_CHOICES: Array<Choice & { value: WorkloadKind }> = [
  { value: 'worker', name: 'worker: a background process (bot, queue consumer)' },
  { value: 'database', name: 'database: MySQL with its data on one node' },
  { value: 'app', name: 'app server: a web app behind the reverse proxy' },
  { value: 'cron', name: 'cron job: runs on a schedule, yields to the others' },
];

export const KIND_LABEL: Record<WorkloadKind, string> = { worker: 'worker', database: 'database', app: 'app server', cron: 'cron job' };

export function newWorkload(answers: Answers, kind: WorkloadKind): WorkloadAnswers {
  const base: Record<WorkloadKind, string> = { worker: 'worker', database: 'mysql', app: 'web', cron: 'job' };
  let name = base[kind];
  for (let i = 2; answers.workloads.some((w) => w.name === name); i += 1) name = `${base[kind]}${i}`;
  const storageNode = answers.nodes.find((n) => n.role === 'worker') ?? answers.nodes[0];
  return {
    kind,
    name,
    image: kind === 'database' ? DEFAULTS.databaseImage : '',
    port: kind === 'app' ? '8080' : '',
    domain: '',
    replicas: String(DEFAULTS.replicas),
    memory: DEFAULTS.memory[kind],
    env: '',
    secretEnv: '',
    schedule: kind === 'cron' ? '0 3 * * *' : '',
    command: '',
    storage: DEFAULTS.databaseStorage,
    node: kind === 'database' ? (storageNode?.name ?? '') : '',
  };
}

function validateEnv(v: string): string | undefined {
  if (v.trim() === '') return undefined;
  const parsed = parseEnv(v);
  if (!parsed) return 'expected NAME=value pairs separated by commas, such as LOG_LEVEL=info, PORT=3000';
  for (const name of Object.keys(parsed)) {
    const problem = rules.envName(name);
    if (problem) return `${name}: expected ${problem}`;
  }
  return undefined;
}

function validateSecretNames(v: string, env: string): string | undefined {
  const names = splitList(v);
  const plain = parseEnv(env) ?? {};
  const seen = new Set<string>();
  for (const name of names) {
    const problem = rules.envName(name);
    if (problem) return `${name}: expected ${problem}`;
    if (name in plain) return `${name}: expected a name not also in env (a variable is either plain or secret)`;
    if (seen.has(name)) return `${name}: expected each name once`;
    seen.add(name);
  }
  return undefined;
}

export function formatRun(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The form for one workload. `index` is the workload being edited (undefined: new);
 * `storedSecrets` names the secret values already kept in secrets.yaml for it (left empty = keep).
 */
export function workloadForm(answers: Answers, kind: WorkloadKind, index: number | undefined, options: { storedSecrets?: readonly string[]; now?: () => Date } = {}): FormModel {
  const w = index === undefined ? newWorkload(answers, kind) : answers.workloads[index]!;
  const others = answers.workloads.filter((_, i) => i !== index);
  const web = answers.ingress.web === 'yes';
  const stored = new Set(options.storedSecrets ?? []);
  const now = options.now ?? (() => new Date());
  const nodeChoices = answers.nodes.map((n) => ({ value: n.name, name: `${n.name} (${n.role === 'control-plane' ? 'control plane' : 'worker'})` }));
  const initial: Values = { name: w.name, image: w.image, port: w.port, domain: w.domain, replicas: w.replicas, memory: w.memory, env: w.env, secretEnv: w.secretEnv, schedule: w.schedule, command: w.command, storage: w.storage, node: w.node };
  return {
    id: `workload-${kind}`,
    title: `${index === undefined ? 'Add' : 'Edit'} ${KIND_LABEL[kind]}`,
    intro: [],
    initial,
    fields: (values) => {
      const f: Field[] = [
        {
          key: 'name',
          label: 'Name',
          message: `Name of this ${KIND_LABEL[kind]}`,
          hint: 'Becomes the Kubernetes object names (and the Service name for a database).',
          kind: 'text',
          validate: (v) => check(rules.workloadName)(v) ?? (others.some((o) => o.name === v.trim()) ? `expected a name no other workload has (${v.trim()} is taken)` : undefined),
        },
      ];
      if (kind === 'database') {
        f.push(
          {
            key: 'node',
            label: 'Data on node',
            message: 'Which node keeps the data on its disk?',
            hint: 'The database runs on this node; its data lives in a folder on that node\'s disk.',
            kind: 'choice',
            choices: nodeChoices,
            validate: (v) => (answers.nodes.some((n) => n.name === v) ? undefined : 'expected a node name (add nodes first)'),
          },
          { key: 'storage', label: 'Storage', message: 'Storage size', hint: 'Room for the data, such as 5Gi.', kind: 'text', validate: check(rules.storage) },
          { key: 'image', label: 'Image', message: 'MySQL image', hint: `${DEFAULTS.databaseImage} unless you need another version (MySQL 8.0.30 or newer).`, kind: 'text', validate: check(w.mysqlCompatible ? rules.image : rules.databaseImage) },
          { key: 'memory', label: 'Memory', message: 'Memory (its limit)', hint: `MySQL 8.4 with hobbykube's small-node settings runs in ${DEFAULTS.memory.database}; more buys a bigger buffer pool.`, kind: 'text', validate: check(rules.memory) },
        );
        return f;
      }
      f.push({ key: 'image', label: 'Image', message: 'Container image', hint: 'A registry reference such as ghcr.io/me/app:1.2 (pin a tag).', kind: 'text', validate: check(rules.image) });
      if (kind === 'app') {
        f.push({ key: 'port', label: 'Port', message: 'Port the app listens on', hint: 'Inside the container, such as 3000 or 8080.', kind: 'text', validate: integerText(rules.port, false) });
        if (web) {
          f.push({
            key: 'domain',
            label: 'Domain',
            message: 'Domain (empty: none)',
            hint: 'Served with TLS; its A record must point at the ingress node. Empty: reachable inside the cluster only.',
            kind: 'text',
            validate: (v) => optional(rules.domain)(v) ?? (v.trim() !== '' && others.some((o) => o.kind === 'app' && o.domain === v.trim()) ? 'expected a domain no other app has' : undefined),
          });
        }
      }
      if (kind === 'cron') {
        f.push({
          key: 'schedule',
          label: 'Schedule',
          message: 'Schedule (cron, UTC)',
          hint: 'minute hour day month weekday, such as 0 3 * * * (03:00 UTC daily), or @hourly, @daily ...',
          kind: 'text',
          validate: check(rules.cronSchedule),
          preview: (v) => {
            const runs = rules.cronSchedule(v.trim()) === undefined ? nextRuns(v.trim(), now()) : [];
            return runs.length > 0 ? [`next runs: ${runs.map(formatRun).join(', ')}`] : [];
          },
        });
      }
      if (kind === 'app' || kind === 'worker') {
        f.push({ key: 'replicas', label: 'Replicas', message: 'Replicas (copies running at once)', hint: 'One is fine on small nodes; 0 stops it.', kind: 'text', validate: integerText(rules.replicas, false) });
      }
      f.push(
        { key: 'memory', label: 'Memory', message: 'Memory (its limit)', hint: `The most it may use, such as ${DEFAULTS.memory[kind]}; over it the container restarts. On nodes with swap a third is reserved and the rest may swap.`, kind: 'text', validate: check(rules.memory) },
      );
      if (kind !== 'app') {
        f.push({
          key: 'command',
          label: 'Command',
          message: 'Command (empty: the image\'s own)',
          hint: 'Words separated by spaces; quote a word that has spaces: sh -c "echo done".',
          kind: 'text',
          validate: (v) => (v.trim() === '' || parseCommand(v) ? undefined : 'expected words separated by spaces, quotes closed, such as sh -c "echo done"'),
        });
      }
      f.push(
        { key: 'env', label: 'Env', message: 'Environment (NAME=value, comma-separated; empty: none)', hint: 'Plain settings only; secrets go in the next field.', kind: 'text', validate: validateEnv },
        {
          key: 'secretEnv',
          label: 'Secret env',
          message: 'Secret variable names (comma-separated; empty: none)',
          hint: 'Only the names go in the spec; you type the values next (masked, kept in secrets.yaml 0600).',
          kind: 'text',
          validate: (v) => validateSecretNames(v, values.env ?? ''),
        },
      );
      if (validateSecretNames(values.secretEnv ?? '', values.env ?? '') === undefined) {
        for (const name of splitList(values.secretEnv ?? '')) {
          f.push({
            key: `secret:${name}`,
            label: name.length > 14 ? `${name.slice(0, 13)}…` : name,
            message: `Value of ${name} (hidden)`,
            hint: stored.has(name) ? 'Already kept in secrets.yaml: leave empty to keep it, or type a new value.' : 'Never shown, never in the spec or the draft: stored in secrets.yaml (0600).',
            kind: 'secret',
            validate: (v) => (v === '' && !stored.has(name) ? `expected a value for ${name} (it is kept only in secrets.yaml)` : undefined),
          });
        }
      }
      return f;
    },
  };
}

// ------------------------------------------------------------------------------------- forms

/** Visible fields and their problems for these values; empty when the form can be submitted. */
export function formErrors(form: FormModel, values: Values): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of form.fields(values)) {
    const problem = field.validate(values[field.key] ?? '');
    if (problem !== undefined) errors[field.key] = problem;
  }
  return errors;
}

/** The form's values with fields not shown for them dropped (a hidden field's stale text never counts). */
export function visibleValues(form: FormModel, values: Values): Values {
  const out: Values = {};
  for (const field of form.fields(values)) out[field.key] = values[field.key] ?? '';
  return out;
}
