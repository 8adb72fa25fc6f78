// The spec's workloads as Kubernetes objects (pure). Templates from manifests/ are parsed and
// filled in; the result is plain objects, serialized with the `yaml` library.
//
// Secrets are kept apart: `renderObjects` never contains a Secret; `renderSecrets` builds the
// Secret objects with their real values for `kubectl apply` only (on stdin, never printed);
// `redactedSecrets` builds the same objects with "[redacted]" values for anything printable
// (`plan --out`, the plan's artifacts). `printableManifests` is objects + redacted Secrets.
//
// Why one file of ~320 lines: one renderer per workload kind (app, worker, database, cron) over
// the same template and label helpers; the add-ons and dumps live in their own modules.
import { kubeYamlStream } from '../kubeyaml.js';
import { quantityMiB } from '../spec/rules.js';
import type { AppWorkload, ClusterSpec, CronWorkload, DatabaseWorkload, WorkerWorkload, Workload } from '../spec/types.js';
import type { Secrets } from '../state/secrets.js';
import { ACME_RESOLVER } from './addons.js';
import { NAMESPACE, SHARED_NAME, objectLabels, selectorLabels } from './labels.js';
import { mysqlConfig } from './mysql.js';
import { renderDumpObjects } from './dump.js';
import { loadTemplate, templateObject, type K8sObject } from './templates.js';

export type { K8sObject } from './templates.js';

/** A Deployment's rolling update: chosen by the capacity check (src/workloads/capacity.ts). */
export interface RollingStrategy {
  maxSurge: number;
  maxUnavailable: number;
}

/** Room for one extra pod during an update: start the new pod, then stop the old one. */
export const SURGE_STRATEGY: RollingStrategy = { maxSurge: 1, maxUnavailable: 0 };
/** No room for an extra pod (only with the owner's consent): stop the old pod first. */
export const NO_SURGE_STRATEGY: RollingStrategy = { maxSurge: 0, maxUnavailable: 1 };

/** A container's memory request and limit (src/workloads/memory.ts decides them). */
export interface MemoryResources {
  request: string;
  limit: string;
}

export interface RenderOptions {
  /** Per Deployment (worker or app) name; absent means SURGE_STRATEGY. */
  strategies?: ReadonlyMap<string, RollingStrategy>;
  /**
   * Per workload name, from the capacity check (`report.memory`, which knows the nodes). Absent:
   * request = `memoryRequest` if set, else `memory`; limit = `memory`.
   */
  memory?: ReadonlyMap<string, MemoryResources>;
}

export const DATA_ROOT = '/var/lib/hobbykube/volumes';
export const MYSQL_ROOT_PASSWORD = 'MYSQL_ROOT_PASSWORD';
export const REDACTED = '[redacted]';

export const secretName = (workload: string): string => `${workload}-env`;
export const claimName = (workload: string): string => `${workload}-data`;
export const volumeName = (cluster: string, workload: string): string => `hobbykube-${cluster}-${workload}`;
export const configMapName = (workload: string): string => `${workload}-mysql-config`;
export const dataPath = (workload: string): string => `${DATA_ROOT}/${workload}`;

/** Names of the secret variables a workload's Secret holds (empty: no Secret). */
export function secretKeys(workload: Workload): string[] {
  return workload.kind === 'database' ? [MYSQL_ROOT_PASSWORD] : [...workload.secretEnv];
}

// --- helpers -------------------------------------------------------------------------------------

function label(obj: K8sObject, cluster: string, name: string): K8sObject {
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), ...objectLabels(cluster, name) };
  return obj;
}

interface Container {
  image: string;
  env: Array<Record<string, unknown>>;
  command?: string[];
  resources: { requests: { memory: string }; limits: { memory: string } };
  [field: string]: unknown;
}

function resources(w: Workload, options: RenderOptions): Container['resources'] {
  const m = options.memory?.get(w.name);
  const request = m?.request ?? w.memoryRequest ?? w.memory;
  const limit = m?.limit ?? w.memory;
  return { requests: { memory: request }, limits: { memory: limit } };
}

function fillPod(
  podTemplate: { metadata?: { labels?: Record<string, string> }; spec: { serviceAccountName: string; containers: Container[] } },
  cluster: string,
  w: WorkerWorkload | AppWorkload | CronWorkload,
  options: RenderOptions,
): void {
  podTemplate.metadata = { ...(podTemplate.metadata ?? {}), labels: objectLabels(cluster, w.name) };
  podTemplate.spec.serviceAccountName = w.name;
  const container = podTemplate.spec.containers[0]!;
  container.image = w.image;
  if (w.command && w.command.length > 0) container.command = [...w.command];
  container.env = [
    ...Object.entries(w.env).map(([name, value]) => ({ name, value })),
    ...w.secretEnv.map((name) => ({ name, valueFrom: { secretKeyRef: { name: secretName(w.name), key: name } } })),
  ];
  if (container.env.length === 0) delete (container as Partial<Container>).env;
  container.resources = resources(w, options);
}

function serviceAccount(cluster: string, name: string): K8sObject {
  const sa = templateObject('workloads/common.yaml', 'ServiceAccount');
  sa.metadata.name = name;
  return label(sa, cluster, name);
}

function deployment(file: string, cluster: string, w: WorkerWorkload | AppWorkload, strategy: RollingStrategy, options: RenderOptions): K8sObject {
  const d = templateObject(file, 'Deployment');
  d.metadata.name = w.name;
  d.spec.replicas = w.replicas;
  d.spec.selector = { matchLabels: selectorLabels(w.name) };
  d.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: strategy.maxSurge, maxUnavailable: strategy.maxUnavailable } };
  fillPod(d.spec.template, cluster, w, options);
  return label(d, cluster, w.name);
}

// --- per kind ------------------------------------------------------------------------------------

function renderWorker(cluster: string, w: WorkerWorkload, strategy: RollingStrategy, options: RenderOptions): K8sObject[] {
  return [serviceAccount(cluster, w.name), deployment('workloads/worker.yaml', cluster, w, strategy, options)];
}

function renderApp(spec: ClusterSpec, w: AppWorkload, strategy: RollingStrategy, options: RenderOptions): K8sObject[] {
  const cluster = spec.metadata.name;
  const d = deployment('workloads/app.yaml', cluster, w, strategy, options);
  const container = d.spec.template.spec.containers[0];
  container.ports[0].containerPort = w.port;
  container.readinessProbe.httpGet.path = w.healthPath;

  const svc = templateObject('workloads/app.yaml', 'Service');
  svc.metadata.name = w.name;
  svc.spec.selector = selectorLabels(w.name);
  const out = [serviceAccount(cluster, w.name), d, label(svc, cluster, w.name)];

  if (w.domain !== undefined) {
    if (!spec.spec.ingress) throw new Error(`${w.name}: domain ${w.domain} needs spec.ingress (the node and email for TLS)`);
    const ing = templateObject('workloads/app.yaml', 'Ingress');
    ing.metadata.name = w.name;
    // HTTPS only (the web entry point redirects every request to it), with a certificate from
    // Traefik's own ACME resolver (src/workloads/addons.ts); no Secret: Traefik keeps it in acme.json.
    ing.metadata.annotations = {
      'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
      'traefik.ingress.kubernetes.io/router.tls': 'true',
      'traefik.ingress.kubernetes.io/router.tls.certresolver': ACME_RESOLVER,
    };
    ing.spec.tls = [{ hosts: [w.domain] }];
    ing.spec.rules[0].host = w.domain;
    ing.spec.rules[0].http.paths[0].backend.service.name = w.name;
    out.push(label(ing, cluster, w.name));
  }
  return out;
}

function renderDatabase(spec: ClusterSpec, w: DatabaseWorkload, options: RenderOptions): K8sObject[] {
  const cluster = spec.metadata.name;
  const file = 'workloads/database.yaml';

  const cm = templateObject(file, 'ConfigMap');
  cm.metadata.name = configMapName(w.name);
  cm.data = { 'hobbykube.cnf': mysqlConfig(w.memory) };

  const pv = templateObject(file, 'PersistentVolume');
  pv.metadata.name = volumeName(cluster, w.name);
  pv.spec.capacity.storage = w.storage;
  pv.spec.claimRef = { namespace: NAMESPACE, name: claimName(w.name) };
  pv.spec.hostPath.path = dataPath(w.name);
  pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values = [w.node];

  const pvc = templateObject(file, 'PersistentVolumeClaim');
  pvc.metadata.name = claimName(w.name);
  pvc.spec.volumeName = volumeName(cluster, w.name);
  pvc.spec.resources.requests.storage = w.storage;

  const svc = templateObject(file, 'Service');
  svc.metadata.name = w.name;
  svc.spec.selector = selectorLabels(w.name);

  const sts = templateObject(file, 'StatefulSet');
  sts.metadata.name = w.name;
  sts.spec.serviceName = w.name;
  sts.spec.selector = { matchLabels: selectorLabels(w.name) };
  const pod = sts.spec.template;
  pod.metadata = { labels: objectLabels(cluster, w.name) };
  pod.spec.serviceAccountName = w.name;
  pod.spec.nodeSelector = { 'kubernetes.io/hostname': w.node };
  const c = pod.spec.containers[0];
  c.image = w.image;
  c.env[0].valueFrom.secretKeyRef.name = secretName(w.name);
  c.resources = resources(w, options);
  for (const v of pod.spec.volumes) {
    if (v.name === 'data') v.persistentVolumeClaim.claimName = claimName(w.name);
    if (v.name === 'config') v.configMap.name = configMapName(w.name);
  }
  // The scheduled dump (src/workloads/dump.ts) carries its own labels: its pods must not match the
  // database's Service selector.
  return [...[serviceAccount(cluster, w.name), cm, pv, pvc, svc, sts].map((o) => label(o, cluster, w.name)), ...renderDumpObjects(spec, w, secretName(w.name))];
}

function renderCron(cluster: string, w: CronWorkload, options: RenderOptions): K8sObject[] {
  const cj = templateObject('workloads/cron.yaml', 'CronJob');
  cj.metadata.name = w.name;
  cj.spec.schedule = w.schedule;
  fillPod(cj.spec.jobTemplate.spec.template, cluster, w, options);
  return [serviceAccount(cluster, w.name), label(cj, cluster, w.name)];
}

// --- public --------------------------------------------------------------------------------------

/** Order in which kubectl should see objects: what others refer to comes first. */
const KIND_ORDER = [
  'PriorityClass',
  'ServiceAccount',
  'ConfigMap',
  'Secret',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Service',
  'StatefulSet',
  'Deployment',
  'CronJob',
  'Ingress',
];

export function sortObjects(objects: K8sObject[]): K8sObject[] {
  const rank = (o: K8sObject) => {
    const i = KIND_ORDER.indexOf(o.kind);
    return i < 0 ? KIND_ORDER.length : i;
  };
  return objects
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
    .map(({ o }) => o);
}

/** The PriorityClasses: serving above batch. */
export function priorityClasses(cluster: string): K8sObject[] {
  return loadTemplate('workloads/priority-classes.yaml').map((o) => label(o as K8sObject, cluster, SHARED_NAME));
}

/** Every object for the spec's workloads except Secrets. */
export function renderObjects(spec: ClusterSpec, options: RenderOptions = {}): K8sObject[] {
  const cluster = spec.metadata.name;
  const out: K8sObject[] = [...priorityClasses(cluster)];
  for (const w of spec.spec.workloads) {
    const strategy = options.strategies?.get(w.name) ?? SURGE_STRATEGY;
    if (w.kind === 'worker') out.push(...renderWorker(cluster, w, strategy, options));
    else if (w.kind === 'app') out.push(...renderApp(spec, w, strategy, options));
    else if (w.kind === 'database') out.push(...renderDatabase(spec, w, options));
    else out.push(...renderCron(cluster, w, options));
  }
  return sortObjects(out);
}

function secretObject(cluster: string, workload: string, values: Array<[string, string]>, redact: boolean): K8sObject {
  const obj: K8sObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName(workload), namespace: NAMESPACE },
    type: 'Opaque',
  };
  if (redact) obj.stringData = Object.fromEntries(values.map(([k]) => [k, REDACTED]));
  // `data` (base64), not `stringData`: server-side apply tracks `data`, so a rerun is a no-op.
  else obj.data = Object.fromEntries(values.map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
  return label(obj, cluster, workload);
}

/** Raised when a secret value the spec names has no value in secrets.yaml. */
export class MissingSecretsError extends Error {
  constructor(readonly missing: string[]) {
    super(`no value in secrets.yaml for ${missing.join(', ')}; set ${missing.length === 1 ? 'it' : 'them'} first (the wizard asks for secret values)`);
    this.name = 'MissingSecretsError';
  }
}

/** Secret objects with their real values: for `kubectl apply` on stdin only, never for printing. */
export function renderSecrets(spec: ClusterSpec, secrets: Secrets): K8sObject[] {
  const missing: string[] = [];
  const out: K8sObject[] = [];
  for (const w of spec.spec.workloads) {
    const keys = secretKeys(w);
    if (keys.length === 0) continue;
    const values: Array<[string, string]> = [];
    for (const key of keys) {
      const value = secrets[w.name]?.[key];
      if (value === undefined) missing.push(`${w.name}.${key}`);
      else values.push([key, value]);
    }
    out.push(secretObject(spec.metadata.name, w.name, values, false));
  }
  if (missing.length > 0) throw new MissingSecretsError(missing);
  return out;
}

/** The same Secret objects with every value replaced by "[redacted]": for anything printable. */
export function redactedSecrets(spec: ClusterSpec): K8sObject[] {
  return spec.spec.workloads
    .filter((w) => secretKeys(w).length > 0)
    .map((w) => secretObject(spec.metadata.name, w.name, secretKeys(w).map((k) => [k, '']), true));
}

/** Every secret value the spec's Secrets hold: for the Redactor of a run. */
export function secretValues(spec: ClusterSpec, secrets: Secrets): string[] {
  return spec.spec.workloads.flatMap((w) => secretKeys(w).map((k) => secrets[w.name]?.[k]).filter((v): v is string => v !== undefined));
}

/**
 * A multi-document YAML stream for kubectl: long strings are never folded, and every string that
 * a YAML 1.1 reader would take for something else ("on", "012", "1.10") is quoted
 * (src/kubeyaml.ts), so the objects kubectl decodes hold exactly the spec's values.
 */
export function toYaml(objects: readonly K8sObject[]): string {
  return kubeYamlStream(objects);
}

/** What `plan --out` shows: every object, Secrets with redacted values. */
export function printableManifests(spec: ClusterSpec, options: RenderOptions = {}): string {
  return toYaml(sortObjects([...renderObjects(spec, options), ...redactedSecrets(spec)]));
}

/** Memory limit of one pod of a workload, in MiB. */
export function podMemoryMiB(w: Workload): number {
  return quantityMiB(w.memory);
}
