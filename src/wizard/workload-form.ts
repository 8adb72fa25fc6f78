// The workload form: one per kind (worker, database, app server, cron job), with the defaults a
// new workload starts from and the masked secret-value fields that never reach the answers.
import * as rules from '../spec/rules.js';
import { nextRuns } from '../spec/cron.js';
import { DEFAULTS } from '../spec/validate.js';
import type { WorkloadKind } from '../spec/types.js';
import { imageHost, registryOf, type Answers, type WorkloadAnswers } from './answers.js';
import { check, expected, integerText, nodeField, optional, type Choice, type Field, type FormModel, type Values } from './form.js';
import { parseCommand, parseEnv, splitList } from './text-fields.js';

// ------------------------------------------------------------------------------------- workloads

/** A linked workload's name must not be MySQL's own (the spec's words, with what to do). */
const linkedName = (v: string): string | undefined => {
  const problem = rules.linkedWorkloadName(v);
  return problem === undefined ? undefined : `expected ${problem}; rename it or choose no database`;
};

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

/** `database`: the linked database ('' = none), whose injected DATABASE_* names the env must leave alone. */
function validateEnv(v: string, database = ''): string | undefined {
  if (v.trim() === '') return undefined;
  const parsed = parseEnv(v);
  if (!parsed) return 'expected NAME=value pairs separated by commas, such as LOG_LEVEL=info, PORT=3000';
  for (const name of Object.keys(parsed)) {
    const problem = rules.envName(name) ?? (database !== '' ? rules.notInjected(database, false)(name) : undefined);
    if (problem) return `${name}: expected ${problem}`;
  }
  return undefined;
}

function validateSecretNames(v: string, env: string, database = ''): string | undefined {
  const names = splitList(v);
  const plain = parseEnv(env) ?? {};
  const seen = new Set<string>();
  for (const name of names) {
    const problem = rules.envName(name) ?? (database !== '' ? rules.notInjected(database, true)(name) : undefined);
    if (problem) return `${name}: expected ${problem}`;
    if (name in plain) return `${name}: expected a name not also in env (a variable is either plain or secret)`;
    if (seen.has(name)) return `${name}: expected each name once`;
    seen.add(name);
  }
  return undefined;
}

/**
 * The `database` field of an app, worker or cron job: none, or one of the database workloads in the
 * answers, checked by the spec's own rule (rules.databaseLink). Shown when there is a database to
 * link, or when the workload already names one (a hand-written link to a database since removed
 * shows as itself, refused with the names there are).
 */
function databaseField(databases: readonly string[], current: string): Field | undefined {
  if (databases.length === 0 && current === '') return undefined;
  const choices: Choice[] = [{ value: '', name: 'none' }, ...databases.map((d) => ({ value: d, name: d }))];
  if (current !== '' && !databases.includes(current)) choices.push({ value: current, name: `${current} (not a database here)` });
  return {
    key: 'database',
    label: 'Database',
    message: 'Database it uses (none, or a database workload)',
    hint: `Gets its own MySQL database and user; ${rules.DATABASE_ENV[0]} and ${rules.DATABASE_ENV.slice(1).join(', ')} are set for it.`,
    kind: 'choice',
    choices,
    validate: (v) => (v === '' ? undefined : expected(rules.databaseLink(databases)(v))),
  };
}

/** The form key of the masked registry token: a `secret:` key, so it is never kept in form memory or drafts. */
export const REGISTRY_TOKEN_KEY = 'secret:registry-token';

/**
 * The login of the registry the image is pulled from (empty: a public image) and, with a login, its
 * token, asked masked like secret values. One entry per registry host, shared by every image from
 * it. `stored`: registry names whose token secrets.yaml already keeps (left empty = keep).
 */
function registryFields(answers: Answers, image: string, username: string, stored: ReadonlySet<string>): Field[] {
  const host = imageHost(image.trim());
  if (host === undefined) return [];
  const entry = registryOf(answers, host);
  const fields: Field[] = [
    {
      key: 'registryUser',
      label: 'Registry login',
      message: entry ? `Login for ${host} (empty: keep ${entry.username})` : `Login for ${host} (empty: a public image)`,
      hint: entry ? `Registry ${entry.name}, shared by every image from ${host}.` : `Only for a private image: with a login and a token the nodes can pull it from ${host}.`,
      kind: 'text',
      // A host the image rule takes but a registry entry would not (a port over 65535, a label over 63).
      validate: (v) => optional(rules.registryUsername)(v) ?? (v.trim() !== '' && rules.registryServer(host) !== undefined ? `${host}: expected ${rules.registryServer(host)}` : undefined),
    },
  ];
  if (username.trim() === '') return fields;
  const kept = entry !== undefined && stored.has(entry.name);
  fields.push({
    key: REGISTRY_TOKEN_KEY,
    label: 'Registry token',
    message: `Token or password for ${host} (hidden)`,
    hint: kept ? 'Already kept in secrets.yaml: leave empty to keep it, or type a new one.' : 'Read access is enough (ghcr.io: a token with read:packages). Never shown, never in the spec: kept in secrets.yaml (0600).',
    kind: 'secret',
    validate: (v) => (v === '' && !kept ? `expected the token for ${host} (it is kept only in secrets.yaml)` : undefined),
  });
  return fields;
}

export function formatRun(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The form for one workload. `index` is the workload being edited (undefined: new);
 * `storedSecrets` names the secret values already kept in secrets.yaml for it (left empty = keep).
 */
export function workloadForm(
  answers: Answers,
  kind: WorkloadKind,
  index: number | undefined,
  options: { storedSecrets?: readonly string[]; storedRegistries?: readonly string[]; now?: () => Date } = {},
): FormModel {
  const w = index === undefined ? newWorkload(answers, kind) : answers.workloads[index]!;
  const others = answers.workloads.filter((_, i) => i !== index);
  const web = answers.ingress.web === 'yes';
  const stored = new Set(options.storedSecrets ?? []);
  const storedRegistries = new Set(options.storedRegistries ?? []);
  const host = imageHost(w.image);
  const now = options.now ?? (() => new Date());
  const nodeChoices = answers.nodes.map((n) => ({ value: n.name, name: `${n.name} (${n.role === 'control-plane' ? 'control plane' : 'worker'})` }));
  const initial: Values = { name: w.name, image: w.image, port: w.port, domain: w.domain, replicas: w.replicas, memory: w.memory, env: w.env, secretEnv: w.secretEnv, schedule: w.schedule, command: w.command, storage: w.storage, node: w.node };
  if (kind !== 'database') initial.database = w.database ?? '';
  if (host !== undefined) initial.registryUser = registryOf(answers, host)?.username ?? '';
  const databases = others.filter((o) => o.kind === 'database').map((o) => o.name);
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
          validate: (v) =>
            check(rules.workloadName)(v) ??
            (others.some((o) => o.name === v.trim()) ? `expected a name no other workload has (${v.trim()} is taken)` : undefined) ??
            (kind !== 'database' && (values.database ?? '') !== '' ? linkedName(v.trim()) : undefined),
        },
      ];
      if (kind === 'database') {
        f.push(
          nodeField(answers, { label: 'Data on node', message: 'Which node keeps the data on its disk?', hint: 'The database runs on this node; its data lives in a folder on that node\'s disk.' }, nodeChoices),
          { key: 'storage', label: 'Storage', message: 'Storage size', hint: 'Room for the data, such as 5Gi.', kind: 'text', validate: check(rules.storage) },
          { key: 'image', label: 'Image', message: 'MySQL image', hint: `${DEFAULTS.databaseImage} unless you need another version (MySQL 8.0.30 or newer).`, kind: 'text', validate: check(w.mysqlCompatible ? rules.image : rules.databaseImage) },
          ...registryFields(answers, values.image ?? '', values.registryUser ?? '', storedRegistries),
          { key: 'memory', label: 'Memory', message: 'Memory (its limit)', hint: `MySQL 8.4 with hobbykube's small-node settings runs in ${DEFAULTS.memory.database}; more buys a bigger buffer pool.`, kind: 'text', validate: check(rules.memory) },
        );
        return f;
      }
      f.push({ key: 'image', label: 'Image', message: 'Container image', hint: 'A registry reference such as ghcr.io/me/app:1.2 (pin a tag).', kind: 'text', validate: check(rules.image) });
      f.push(...registryFields(answers, values.image ?? '', values.registryUser ?? '', storedRegistries));
      const database = databaseField(databases, values.database ?? '');
      if (database) f.push(database);
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
        { key: 'env', label: 'Env', message: 'Environment (NAME=value, comma-separated; empty: none)', hint: 'Plain settings only; secrets go in the next field.', kind: 'text', validate: (v) => validateEnv(v, values.database ?? '') },
        {
          key: 'secretEnv',
          label: 'Secret env',
          message: 'Secret variable names (comma-separated; empty: none)',
          hint: 'Only the names go in the spec; you type the values next (masked, kept in secrets.yaml 0600).',
          kind: 'text',
          validate: (v) => validateSecretNames(v, values.env ?? '', values.database ?? ''),
        },
      );
      if (validateSecretNames(values.secretEnv ?? '', values.env ?? '', values.database ?? '') === undefined) {
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
