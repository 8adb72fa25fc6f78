'use strict';
// kubectl double: talks to the shared fake cluster named by the kubeconfig's server address.
// Covers get/apply/create/delete/patch/label/taint/cordon/drain/wait/rollout/run (DNS
// lookups only)/top/cluster-info/version; see README.md for the model and its limits.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const YAML = require('yaml');
const k = require('./k8s-common.cjs');
const k8sYaml = require('./k8s-yaml.cjs');
const runtime = require('./pod-runtime.cjs');
const images = require('./fake-images.cjs');

const args = process.argv.slice(2);
const VALUE_FLAGS = new Set(['f', 'filename', 'n', 'namespace', 'o', 'output', 'kubeconfig', 'l', 'selector', 'for',
  'timeout', 'type', 'p', 'patch', 'field-manager', 'image', 'restart', 'from-literal', 'from-file', 'dry-run',
  'context', 'server', 'grace-period', 'raw', 'overrides', 'container', 'c', 'request-timeout', 'v', 'field-selector', 'sort-by', 'from', 'tail', 'since', 'max-log-requests']);
const opt = {};
const multi = { 'from-literal': [], 'from-file': [], f: [] };
const positional = [];
let afterDashes = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--') { afterDashes = args.slice(i + 1); break; }
  const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
  if (!m || a === '-') { positional.push(a); continue; }
  let name = m[1];
  let value = m[2];
  if (name === 'filename') name = 'f';
  if (value === undefined && VALUE_FLAGS.has(name) && i + 1 < args.length) value = args[++i];
  if (name === 'o' || name === 'output') name = 'o';
  if (name === 'n' || name === 'namespace') name = 'n';
  if (name === 'l' || name === 'selector') name = 'l';
  if (name === 'p' || name === 'patch') name = 'p';
  if (name === 'A') name = 'all-namespaces';
  if (name === 'container') name = 'c';
  if (name in multi) multi[name].push(value ?? '');
  else opt[name] = value ?? true;
}

// Stdin only for -f - ; file contents kept for the recording.
const extra = {};
const inputs = []; // [sourceName, text]
for (const f of multi.f) {
  if (f === '-') { const t = k.readStdin(); extra.stdin = t; inputs.push(['STDIN', t]); continue; }
  if (/^https?:\/\//.test(f)) {
    const served = `${k.HK}/host/control/urls/${crypto.createHash('sha256').update(f).digest('hex')}`;
    if (fs.existsSync(served)) inputs.push([f, fs.readFileSync(served, 'utf8')]);
    else inputs.push([f, null]);
    continue;
  }
  let files = [f];
  try { if (fs.statSync(f).isDirectory()) files = fs.readdirSync(f).filter((e) => /\.(ya?ml|json)$/.test(e)).sort().map((e) => path.join(f, e)); } catch { /* missing, below */ }
  for (const file of files) {
    try { const t = fs.readFileSync(file, 'utf8'); (extra.files ??= {})[file] = t; inputs.push([file, t]); } catch { inputs.push([file, undefined]); }
  }
}
// exec -i: the command in the pod reads kubectl's standard input (a dump to load, say).
// exec -i -t: a terminal session; the command reads the terminal itself (pod-runtime.cjs, INHERIT).
const execTty = positional[0] === 'exec' && (opt.t === true || opt.tty === true);
const execStdin = positional[0] === 'exec' && (opt.i === true || opt.stdin === true) && !execTty;
if (execStdin) extra.stdin = k.readStdin();
k.begin('kubectl', args, extra);

const version = k.k8sVersion('kubectl');
if (!version) k.die(127, 'bash: kubectl: command not found');
const verb = positional[0];

if (verb === 'version' && (opt.client === true || opt.client === 'true')) {
  if (opt.o === 'json') process.stdout.write(`${JSON.stringify({ clientVersion: versionInfo(version), kustomizeVersion: 'v5.7.1' }, null, 2)}\n`);
  else process.stdout.write(`Client Version: ${version}\nKustomize Version: v5.7.1\n`);
  process.exit(0);
}
function versionInfo(v) {
  return { major: '1', minor: v.split('.')[1], gitVersion: v, gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2026-08-26T00:00:00Z', goVersion: 'go1.25.1', compiler: 'gc', platform: 'linux/amd64' };
}

// ---- which cluster
function kubeconfigPath() {
  if (typeof opt.kubeconfig === 'string') return opt.kubeconfig;
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG.split(':')[0];
  const home = process.env.HOME ?? '/root';
  return path.join(home, '.kube', 'config');
}
const kcPath = kubeconfigPath();
let kcText;
try { kcText = fs.readFileSync(kcPath, 'utf8'); } catch (e) {
  if (e.code === 'EACCES') k.die(1, `error: error loading config file "${kcPath}": open ${kcPath}: permission denied`);
  if (typeof opt.kubeconfig === 'string' || process.env.KUBECONFIG) k.die(1, `error: stat ${kcPath}: no such file or directory`);
  k.die(1, 'E0826 10:00:00.000000    1234 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp [::1]:8080: connect: connection refused"\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?');
}
const server = k.serverOf(kcText);
const dialed = server ? k.dialCluster(server.host, server.port) : { error: 'refused' };
const c = dialed.c;
if (!c && server && !/refused/.test(dialed.error)) k.die(1, `Unable to connect to the server: ${dialed.error}`);
if (!c) k.die(1, `The connection to the server ${server ? `${server.host}:${server.port}` : 'localhost:8080'} was refused - did you specify the right host or port?`);

if (verb === 'version') {
  if (opt.o === 'json') process.stdout.write(`${JSON.stringify({ clientVersion: versionInfo(version), kustomizeVersion: 'v5.7.1', serverVersion: versionInfo(c.version) }, null, 2)}\n`);
  else process.stdout.write(`Client Version: ${version}\nKustomize Version: v5.7.1\nServer Version: ${c.version}\n`);
  process.exit(0);
}

// ---- resource kinds: [plural, group, versions, namespaced, short names]
const BUILTIN = {
  Node: ['nodes', '', ['v1'], false, ['no']], Namespace: ['namespaces', '', ['v1'], false, ['ns']],
  Pod: ['pods', '', ['v1'], true, ['po']], Service: ['services', '', ['v1'], true, ['svc']],
  ConfigMap: ['configmaps', '', ['v1'], true, ['cm']], Secret: ['secrets', '', ['v1'], true, []],
  ServiceAccount: ['serviceaccounts', '', ['v1'], true, ['sa']], Endpoints: ['endpoints', '', ['v1'], true, ['ep']],
  PersistentVolume: ['persistentvolumes', '', ['v1'], false, ['pv']], PersistentVolumeClaim: ['persistentvolumeclaims', '', ['v1'], true, ['pvc']],
  LimitRange: ['limitranges', '', ['v1'], true, ['limits']], ResourceQuota: ['resourcequotas', '', ['v1'], true, ['quota']],
  Event: ['events', '', ['v1'], true, ['ev']],
  Deployment: ['deployments', 'apps', ['v1'], true, ['deploy']], StatefulSet: ['statefulsets', 'apps', ['v1'], true, ['sts']],
  DaemonSet: ['daemonsets', 'apps', ['v1'], true, ['ds']], ReplicaSet: ['replicasets', 'apps', ['v1'], true, ['rs']],
  Job: ['jobs', 'batch', ['v1'], true, []], CronJob: ['cronjobs', 'batch', ['v1'], true, ['cj']],
  Ingress: ['ingresses', 'networking.k8s.io', ['v1'], true, ['ing']], IngressClass: ['ingressclasses', 'networking.k8s.io', ['v1'], false, []],
  NetworkPolicy: ['networkpolicies', 'networking.k8s.io', ['v1'], true, ['netpol']],
  Role: ['roles', 'rbac.authorization.k8s.io', ['v1'], true, []], RoleBinding: ['rolebindings', 'rbac.authorization.k8s.io', ['v1'], true, []],
  ClusterRole: ['clusterroles', 'rbac.authorization.k8s.io', ['v1'], false, []], ClusterRoleBinding: ['clusterrolebindings', 'rbac.authorization.k8s.io', ['v1'], false, []],
  PriorityClass: ['priorityclasses', 'scheduling.k8s.io', ['v1'], false, ['pc']], StorageClass: ['storageclasses', 'storage.k8s.io', ['v1'], false, ['sc']],
  CSIDriver: ['csidrivers', 'storage.k8s.io', ['v1'], false, []],
  CustomResourceDefinition: ['customresourcedefinitions', 'apiextensions.k8s.io', ['v1'], false, ['crd', 'crds']],
  PodDisruptionBudget: ['poddisruptionbudgets', 'policy', ['v1'], true, ['pdb']],
  HorizontalPodAutoscaler: ['horizontalpodautoscalers', 'autoscaling', ['v1', 'v2'], true, ['hpa']],
  ValidatingWebhookConfiguration: ['validatingwebhookconfigurations', 'admissionregistration.k8s.io', ['v1'], false, []],
  MutatingWebhookConfiguration: ['mutatingwebhookconfigurations', 'admissionregistration.k8s.io', ['v1'], false, []],
  APIService: ['apiservices', 'apiregistration.k8s.io', ['v1'], false, []], Lease: ['leases', 'coordination.k8s.io', ['v1'], true, []],
  RuntimeClass: ['runtimeclasses', 'node.k8s.io', ['v1'], false, []],
};
function kinds() {
  const all = { ...BUILTIN };
  for (const crd of list('CustomResourceDefinition')) {
    const n = crd.spec?.names ?? {};
    if (!n.kind) continue;
    all[n.kind] = [n.plural ?? `${n.kind.toLowerCase()}s`, crd.spec.group ?? '', (crd.spec.versions ?? []).map((v) => v.name), crd.spec.scope !== 'Cluster', n.shortNames ?? []];
  }
  return all;
}
const KINDS = kinds(); // resolved once, like kubectl's discovery cache: CRDs applied now map next call
function resolveResource(word) {
  const w = word.toLowerCase();
  const [base, ...groupParts] = w.split('.');
  const group = groupParts.join('.');
  for (const [kind, [plural, g, , , shorts]] of Object.entries(KINDS)) {
    if (group && group !== g) continue;
    if ([kind.toLowerCase(), plural, ...shorts].includes(base)) return kind;
  }
  k.die(1, `error: the server doesn't have a resource type "${word}"`);
}
const info = (kind) => KINDS[kind];
const resName = (kind) => `${kind.toLowerCase()}${info(kind)[1] ? `.${info(kind)[1]}` : ''}`;
const pluralName = (kind) => `${info(kind)[0]}${info(kind)[1] ? `.${info(kind)[1]}` : ''}`;
const nsDir = (ns) => ns ?? '_cluster';

// ---- object store
function objFile(kind, ns, name) { return path.join(c.dir, 'objects', kind.toLowerCase(), nsDir(ns), `${name}.json`); }
function list(kind, ns) {
  if (kind === 'Job') return [...stored('Job', ns), ...stored('CronJob', ns).flatMap(cronJobs)].sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  return stored(kind, ns);
}
function stored(kind, ns) {
  const base = path.join(c.dir, 'objects', kind.toLowerCase());
  let nss = [];
  try { nss = ns === undefined ? fs.readdirSync(base) : [nsDir(ns)]; } catch { return []; }
  const out = [];
  for (const n of nss) {
    let files = [];
    try { files = fs.readdirSync(path.join(base, n)).filter((f) => f.endsWith('.json')); } catch { continue; }
    for (const f of files) { const o = k.readJson(path.join(base, n, f)); if (o) out.push(o); }
  }
  return out.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
}
function getObj(kind, ns, name) {
  if (kind === 'Node') return nodeObjects().find((n) => n.metadata.name === name);
  if (kind === 'Pod') return pods(ns).find((p) => p.metadata.name === name);
  return k.readJson(objFile(kind, ns, name), undefined);
}
function putObj(o) {
  k.writeJson(objFile(o.kind, o.metadata.namespace, o.metadata.name), o);
  if (o.kind === 'Secret') storeSecretAtRest(o.metadata.namespace, o.metadata.name);
}
/**
 * How etcd holds a Secret, beside its object file (`<name>.json.at-rest`): "identity" (plain), or
 * the prefix the API server writes, `k8s:enc:secretbox:v1:key1`, when kube-apiserver runs with an
 * encryption configuration (cluster.json's encryption, set by the kubeadm double).
 */
function storeSecretAtRest(ns, name) {
  const enc = k.readJson(path.join(c.dir, 'cluster.json'), {}).encryption;
  fs.writeFileSync(`${objFile('Secret', ns, name)}.at-rest`, enc ? `k8s:enc:${enc.provider}:v1:${enc.key}\n` : 'identity\n');
}
/** A Secret not stored with the first provider's key: the API server rewrites it even when unchanged ("stale"). */
function secretStale(ns, name) {
  const enc = k.readJson(path.join(c.dir, 'cluster.json'), {}).encryption;
  let stored = '';
  try { stored = fs.readFileSync(`${objFile('Secret', ns, name)}.at-rest`, 'utf8').trim(); } catch { /* none */ }
  return stored !== (enc ? `k8s:enc:${enc.provider}:v1:${enc.key}` : 'identity');
}
function delObj(kind, ns, name) {
  if (kind === 'Node') { k.deleteNode(c, name); return; }
  fs.rmSync(objFile(kind, ns, name), { force: true });
  if (kind === 'Secret') fs.rmSync(`${objFile(kind, ns, name)}.at-rest`, { force: true });
  if (kind === 'Job') fs.rmSync(jobPodFile(ns, name), { force: true });
  if (kind === 'Namespace') for (const d of fs.readdirSync(path.join(c.dir, 'objects'))) fs.rmSync(path.join(c.dir, 'objects', d, name), { recursive: true, force: true });
}
const nsExists = (ns) => fs.existsSync(objFile('Namespace', undefined, ns));

// ---- nodes and the tiny scheduling model behind pods / readiness
const FLANNEL_PUBLIC_IP = 'flannel.alpha.coreos.com/public-ip';
const FLANNEL_OVERWRITE = 'flannel.alpha.coreos.com/public-ip-overwrite';
/**
 * flanneld, once running on a node, records the address its VXLAN peers should use: the
 * public-ip-overwrite annotation when the node had one at that moment, else the node's
 * InternalIP. It reads the annotation only when it starts: a later overwrite takes effect after
 * its pod on that node is deleted (see cmdDelete).
 */
function flannelRegisters(n) {
  if (n.kubeletUp === false || !k.networkReady(c) || n.annotations?.[FLANNEL_PUBLIC_IP] !== undefined) return;
  if (!list('DaemonSet', 'kube-flannel').some((o) => o.metadata.name === 'kube-flannel-ds')) return;
  n.annotations = { ...(n.annotations ?? {}), [FLANNEL_PUBLIC_IP]: n.annotations?.[FLANNEL_OVERWRITE] ?? n.address };
  k.saveNode(c, n);
}
function nodeObjects() {
  for (const n of k.nodes(c)) flannelRegisters(n);
  return k.nodes(c).map((n) => {
    const ready = k.nodeReady(c, n);
    const cond = n.kubeletUp === false
      ? { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }
      : n.runtimeUp === false ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: '[container runtime is down, PLEG is not healthy: pleg was last seen active 3m8.103s ago; threshold is 3m0s]' }
        : ready ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
          : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized' };
    // The kubelet's three pressure conditions; a node record's `conditions` (set by a test) overrides them.
    const pressure = (type, reason, message) => ({ type, status: 'False', reason, message, ...(n.conditions?.[type] ?? {}) });
    const unknown = (x) => (n.kubeletUp === false ? { ...x, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' } : x);
    return {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: n.name, creationTimestamp: n.createdAt, labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...n.labels }, annotations: n.annotations ?? {} },
      spec: { ...(n.unschedulable ? { unschedulable: true } : {}), ...(n.taints?.length ? { taints: n.taints } : {}) },
      status: {
        conditions: [
          unknown(pressure('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available')),
          unknown(pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure')),
          unknown(pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available')),
          cond,
        ],
        addresses: [{ type: 'InternalIP', address: n.address }, { type: 'Hostname', address: n.name }],
        capacity: n.capacity ?? {}, allocatable: n.allocatable ?? {},
        nodeInfo: { kubeletVersion: n.version, osImage: n.osImage ?? 'Linux', containerRuntimeVersion: `containerd://${n.containerd ?? '2.2.4'}`, kernelVersion: '6.8.0-45-generic', operatingSystem: 'linux', architecture: 'amd64' },
      },
    };
  });
}
const nodeIsReady = (n) => n.status.conditions.some((x) => x.type === 'Ready' && x.status === 'True');
function tolerates(podSpec, taint) {
  return (podSpec?.tolerations ?? []).some((t) => (t.operator === 'Exists' && !t.key) || (t.key === taint.key && (!t.effect || t.effect === taint.effect)));
}
/** Nodes a pod template could run on (Ready, schedulable, taints tolerated, nodeSelector and required node affinity met). */
function placeable(podSpec) {
  return nodeObjects().filter((n) => nodeIsReady(n) && !n.spec.unschedulable && (n.spec.taints ?? []).every((t) => t.effect === 'PreferNoSchedule' || tolerates(podSpec, t)) && nodeMatches(podSpec, n));
}
function nodeMatches(podSpec, node) {
  const labels = node.metadata.labels ?? {};
  for (const [key, v] of Object.entries(podSpec?.nodeSelector ?? {})) if (labels[key] !== v) return false;
  const terms = podSpec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return true;
  return terms.some((t) => (t.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === 'Exists') return has;
    if (e.operator === 'DoesNotExist') return !has;
    if (e.operator === 'In') return has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'NotIn') return !has || !(e.values ?? []).includes(labels[e.key]);
    return false;
  }));
}
function podTemplate(o) { return o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template; }
/** A pod's memory request: the sum of its containers' requests (MiB). */
function podRequestMi(podSpec) { return (podSpec?.containers ?? []).reduce((sum, ct) => sum + k.quantityMi(ct.resources?.requests?.memory), 0); }
const workloadKey = (o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
/**
 * The scheduler's memory bookkeeping, as kube-scheduler does it: a pod lands only on a node whose
 * allocatable memory still holds its request (and which runs fewer than its maxPods pods), the
 * least allocated such node first. Static control-plane pods (requests from the manifests kubeadm
 * wrote) and DaemonSet pods are counted first, then Deployments and StatefulSets, kube-system
 * first, in creation order. Recomputed on every call, from the objects as they are.
 */
let SCHEDULE;
function schedule() {
  if (SCHEDULE) return SCHEDULE;
  const nodes = nodeObjects();
  const used = new Map(nodes.map((n) => [n.metadata.name, 0]));
  const count = new Map(nodes.map((n) => [n.metadata.name, 0]));
  const alloc = (n) => k.quantityMi(n.status.allocatable?.memory) || Infinity;
  const maxPods = (n) => Number(n.status.allocatable?.pods ?? 110);
  const take = (name, mi) => { used.set(name, used.get(name) + mi); count.set(name, count.get(name) + 1); };
  for (const n of k.nodes(c)) for (const mi of Object.values(n.staticPodRequestsMi ?? {})) take(n.name, mi);
  for (const ds of list('DaemonSet')) {
    const spec = podTemplate(ds)?.spec;
    for (const n of nodes) if (nodeIsReady(n) && (n.spec.taints ?? []).every((t) => t.effect === 'PreferNoSchedule' || tolerates(spec, t)) && nodeMatches(spec, n)) take(n.metadata.name, podRequestMi(spec));
  }
  const placements = new Map();
  const why = new Map();
  const workloads = [...list('Deployment'), ...list('StatefulSet')].sort((a, b) =>
    Number(b.metadata.namespace === 'kube-system') - Number(a.metadata.namespace === 'kube-system') ||
    String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')) ||
    a.metadata.name.localeCompare(b.metadata.name));
  for (const o of workloads) {
    const spec = podTemplate(o)?.spec;
    const req = podRequestMi(spec);
    // kubeadm's own CoreDNS before hobbykube's patch has no template here: it tolerates the control plane.
    const candidates = o.metadata.namespace === 'kube-system' && o.metadata.name === 'coredns' && !spec
      ? placeable({ tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })
      : placeable(spec);
    const where = [];
    for (let i = 0; i < (o.spec?.replicas ?? 1); i++) {
      const fit = candidates
        .filter((n) => used.get(n.metadata.name) + req <= alloc(n) + 1e-9 && count.get(n.metadata.name) < maxPods(n))
        .sort((a, b) => (alloc(b) - used.get(b.metadata.name)) / alloc(b) - (alloc(a) - used.get(a.metadata.name)) / alloc(a) || a.metadata.name.localeCompare(b.metadata.name))[0];
      if (fit) take(fit.metadata.name, req);
      else why.set(`${workloadKey(o)}#${i}`, unschedulableMessage(nodes, spec, req, used, count, alloc, maxPods));
      where.push(fit?.metadata.name);
    }
    placements.set(workloadKey(o), where);
  }
  SCHEDULE = { placements, used, count, why };
  return SCHEDULE;
}
/**
 * kube-scheduler's FailedScheduling message: every node's reason, counted
 * ("0/3 nodes are available: 1 node(s) had untolerated taint {...}, 2 Insufficient memory. preemption: ...").
 */
function unschedulableMessage(nodes, spec, req, used, count, alloc, maxPods) {
  const reasons = new Map();
  const add = (r) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
  for (const n of nodes) {
    const taint = (n.spec.taints ?? []).find((t) => t.effect !== 'PreferNoSchedule' && !tolerates(spec, t));
    if (!nodeIsReady(n)) add(`node(s) had untolerated taint {node.kubernetes.io/${n.status.conditions.some((x) => x.type === 'Ready' && x.status === 'Unknown') ? 'unreachable' : 'not-ready'}: }`);
    else if (n.spec.unschedulable) add('node(s) were unschedulable');
    else if (taint) add(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    else if (!nodeMatches(spec, n)) add("node(s) didn't match Pod's node affinity/selector");
    else if (count.get(n.metadata.name) >= maxPods(n)) add('Too many pods');
    else if (used.get(n.metadata.name) + req > alloc(n) + 1e-9) add('Insufficient memory');
  }
  const total = nodes.length;
  const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}
function workloadReady(o) {
  if (!['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(o.kind)) return true;
  if (o.metadata.namespace === 'kube-system' && o.metadata.name === 'kube-proxy') return true;
  if (o.kind === 'DaemonSet') return nodeObjects().some((n) => n.status.conditions.some((x) => x.type === 'Ready' && x.status !== 'Unknown'));
  if (o.kind === 'ReplicaSet') return placeable(podTemplate(o)?.spec).length > 0;
  SCHEDULE = undefined; // objects may have changed since the last look (kubectl wait polls)
  const where = schedule().placements.get(workloadKey(o)) ?? [];
  return where.length === (o.spec?.replicas ?? 1) && where.every((n) => n !== undefined) && !containersFail(o);
}

// ---- what the containers do (the runtime the fake cluster has no real one of)
// <cluster>/images.json: {"IMAGE": "not-found" | "unauthorized"}: images no node can pull.
// The bed's image facts (fake-images.cjs): a private registry refuses a pod without the right
// login in its imagePullSecrets ("unauthorized"); an image declared to crash crashes in any workload.
// <cluster>/behaviour/<namespace>/<workload>.json: how a workload's containers behave:
//   crash: {exitCode, log: [...], restarts}   every start fails: CrashLoopBackOff
//   oomKilled: {at, restarts}                 killed once for its memory limit at `at`, running again
//   evicted: [{at, node, message}]            pods the kubelet evicted (they stay as Failed pods)
//   log: [...]                                what the running container printed
//   runs: [{at, exitCode, log}]               a CronJob's runs (Jobs)
function behaviour(o) { return k.readJson(path.join(c.dir, 'behaviour', o.metadata.namespace ?? '_cluster', `${o.metadata.name}.json`), {}); }
function pullProblem(image, podSpec, ns) {
  return k.readJson(path.join(c.dir, 'images.json'), {})[image] ?? (podSpec ? images.loginProblem(image, podSpec, ns ?? 'default', getObj) : undefined);
}
/** The workload's crash behaviour, or its image's (a crashing image crashes whoever runs it). */
function crashOf(o, ct) { return behaviour(o).crash ?? (images.imageInfo(ct.image).crashes ? { restarts: 5, log: [] } : undefined); }
function containersFail(o) {
  const spec = podTemplate(o)?.spec;
  return (spec?.containers ?? []).some((ct) => pullProblem(ct.image, spec, o.metadata.namespace) || crashOf(o, ct) !== undefined);
}
/** An image reference as containerd spells it (docker.io/library/ for short names). */
function fullRef(image) {
  const first = image.split('/')[0];
  if (!image.includes('/')) return `docker.io/library/${image}`;
  return /[.:]/.test(first) || first === 'localhost' ? image : `docker.io/${image}`;
}
function pullMessage(image, problem) {
  const ref = fullRef(image);
  const why = problem === 'unauthorized'
    ? `failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${ref.split('/')[0]}/token?scope=repository%3A${ref.split('/').slice(1).join('/').replace(/:[^:]*$/, '')}%3Apull: 401 Unauthorized`
    : `${ref}: not found`;
  return `Back-off pulling image "${image}": ErrImagePull: rpc error: code = ${problem === 'unauthorized' ? 'Unknown' : 'NotFound'} desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${why}`;
}
function containerStatus(ct, o, podName, started) {
  const beh = behaviour(o);
  const base = { name: ct.name, image: ct.image, imageID: '', containerID: `containerd://${hash(podName + ct.name, 64)}` };
  const problem = pullProblem(ct.image, podTemplate(o)?.spec, o.metadata.namespace);
  if (problem) return { ...base, imageID: '', containerID: undefined, ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: pullMessage(ct.image, problem) } }, lastState: {} };
  const image = { imageID: `${fullRef(ct.image).replace(/:[^:/]*$/, '')}@sha256:${hash(ct.image, 64)}` };
  const crash = crashOf(o, ct);
  if (crash) {
    const restarts = crash.restarts ?? 5;
    const finishedAt = new Date(Date.now() - 40_000).toISOString();
    return { ...base, ...image, ready: false, started: false, restartCount: restarts, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${ct.name} pod=${podName}_${o.metadata.namespace}(${hash(podName, 8)})` } }, lastState: { terminated: { exitCode: crash.exitCode ?? 1, reason: 'Error', startedAt: new Date(Date.now() - 42_000).toISOString(), finishedAt, containerID: base.containerID } } };
  }
  const running = { ...base, ...image, ready: true, started: true, restartCount: 0, state: { running: { startedAt: started } }, lastState: {} };
  if (beh.oomKilled) return { ...running, restartCount: beh.oomKilled.restarts ?? 1, state: { running: { startedAt: beh.oomKilled.at } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: started, finishedAt: beh.oomKilled.at, containerID: base.containerID } } };
  return running;
}
/** A pod as the API server would show it: scheduled or Pending with the scheduler's reason, containers running or not. */
function podObject(o, name, node, why, nodeReady = true) {
  const template = podTemplate(o) ?? {};
  const created = o.metadata.creationTimestamp ?? new Date().toISOString();
  const metadata = { name, namespace: o.metadata.namespace, labels: template.metadata?.labels ?? {}, creationTimestamp: created, uid: hash(`${o.metadata.uid}${name}`, 32), ownerReferences: [{ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, controller: true }] };
  const spec = { ...(template.spec ?? {}), ...(node ? { nodeName: node } : {}) };
  if (!node) {
    return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: why ?? '0/0 nodes are available', lastTransitionTime: created }], qosClass: 'Burstable' } };
  }
  const statuses = (spec.containers ?? []).map((ct) => containerStatus(ct, o, name, created));
  const ready = nodeReady && statuses.every((x) => x.ready);
  const pulling = statuses.some((x) => x.state.waiting?.reason === 'ImagePullBackOff');
  const cond = (type, ok) => ({ type, status: ok ? 'True' : 'False', lastTransitionTime: created });
  return {
    apiVersion: 'v1', kind: 'Pod', metadata, spec,
    status: {
      phase: pulling ? 'Pending' : 'Running',
      conditions: [cond('PodScheduled', true), cond('Initialized', true), cond('ContainersReady', ready), cond('Ready', ready)],
      hostIP: nodeObjects().find((n) => n.metadata.name === node)?.status.addresses[0].address,
      startTime: created,
      containerStatuses: statuses,
      qosClass: 'Burstable',
    },
  };
}
function evictedPods(o) {
  return (behaviour(o).evicted ?? []).map((e, i) => {
    const name = `${o.metadata.name}-${hash(`${o.metadata.uid}ev`, 10)}-ev${i}`;
    const container = podTemplate(o)?.spec?.containers?.[0]?.name ?? 'main';
    const message = e.message ?? `The node was low on resource: memory. Threshold quantity: 100Mi, available: 61212Ki. Container ${container} was using 180Mi, request is 64Mi, has larger consumption of memory. `;
    const template = podTemplate(o) ?? {};
    return {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: o.metadata.namespace, labels: template.metadata?.labels ?? {}, creationTimestamp: new Date(Date.parse(e.at) - 3600_000).toISOString(), ownerReferences: [{ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, controller: true }] },
      spec: { ...(template.spec ?? {}), nodeName: e.node },
      status: {
        phase: 'Failed', reason: 'Evicted', message,
        conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: 'The node was low on resource: memory.', lastTransitionTime: e.at }],
        startTime: new Date(Date.parse(e.at) - 3600_000).toISOString(),
        containerStatuses: [{ name: container, image: template.spec?.containers?.[0]?.image, ready: false, restartCount: 0, state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', finishedAt: e.at } } }],
      },
    };
  });
}
/** A CronJob's runs (behaviour `runs`) as the Job controller leaves them. */
function cronJobs(cron) {
  const template = cron.spec?.jobTemplate ?? {};
  return (behaviour(cron).runs ?? []).map((r) => {
    const name = `${cron.metadata.name}-${Math.floor(Date.parse(r.at) / 60000)}`;
    const ok = (r.exitCode ?? 0) === 0;
    const done = new Date(Date.parse(r.at) + 10_000).toISOString();
    return {
      apiVersion: 'batch/v1', kind: 'Job',
      metadata: { name, namespace: cron.metadata.namespace, uid: hash(`${cron.metadata.uid}${name}`, 32), creationTimestamp: r.at, labels: { ...(template.spec?.template?.metadata?.labels ?? {}), 'batch.kubernetes.io/job-name': name, 'job-name': name }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cron.metadata.name, controller: true }] },
      spec: template.spec ?? {},
      status: ok
        ? { startTime: r.at, completionTime: done, succeeded: 1, conditions: [{ type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: done }, { type: 'Complete', status: 'True', lastTransitionTime: done }] }
        : { startTime: r.at, failed: 1, conditions: [{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: done }, { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: done }] },
    };
  });
}
function hash(s, n) { return crypto.createHash('sha256').update(s).digest('hex').replace(/[^a-z0-9]/g, '').slice(0, n); }
function pods(ns) {
  const out = [];
  for (const n of k.nodes(c)) {
    if ((ns === undefined || ns === 'kube-system') && n.labels?.['node-role.kubernetes.io/control-plane'] !== undefined) {
      for (const comp of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
        const up = n.kubeletUp !== false;
        out.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${comp}-${n.name}`, namespace: 'kube-system', labels: { component: comp, tier: 'control-plane' }, creationTimestamp: n.createdAt, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: n.name, controller: true }] }, spec: { nodeName: n.name, containers: [{ name: comp, image: `registry.k8s.io/${comp}:${n.version}`, command: n.staticPodCommands?.[comp] ?? [comp] }] }, status: { phase: up ? 'Running' : 'Unknown', conditions: [{ type: 'Ready', status: up ? 'True' : 'False' }], startTime: n.createdAt, containerStatuses: [{ name: comp, image: `registry.k8s.io/${comp}:${n.version}`, ready: up, started: up, restartCount: 0, state: { running: { startedAt: n.createdAt } }, lastState: {} }] } });
      }
    }
  }
  for (const job of list('Job', ns)) {
    const jp = k.readJson(jobPodFile(job.metadata.namespace, job.metadata.name), undefined);
    if (!jp) continue;
    const template = job.spec?.template ?? {};
    out.push({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: jp.name, namespace: job.metadata.namespace, labels: { ...(template.metadata?.labels ?? {}), 'batch.kubernetes.io/job-name': job.metadata.name, 'job-name': job.metadata.name }, creationTimestamp: job.metadata.creationTimestamp, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid, controller: true }] },
      spec: { ...(jp.node ? { nodeName: jp.node } : {}), ...(template.spec ?? {}) },
      status: { phase: jp.phase, conditions: jp.phase === 'Pending' ? (jp.node ? [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }] : [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: jp.message }]) : [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }], containerStatuses: (template.spec?.containers ?? []).map((ct) => ({ name: ct.name, ready: false, restartCount: jp.restarts ?? 0, state: jp.phase === 'Pending' ? { waiting: jp.waiting ?? { reason: 'ContainerCreating' } } : { terminated: { exitCode: jp.exitCode ?? 0, reason: jp.exitCode ? 'Error' : 'Completed' } } })) },
    });
  }
  const nodes = nodeObjects();
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
    for (const o of list(kind, ns)) {
      if (kind === 'DaemonSet') {
        for (const n of nodes) out.push(podObject(o, `${o.metadata.name}-${hash(o.metadata.name + n.metadata.name, 5)}`, n.metadata.name, undefined, nodeIsReady(n) && workloadReady(o)));
      } else {
        const sched = schedule();
        const where = sched.placements.get(workloadKey(o)) ?? [];
        const replicas = o.spec?.replicas ?? 1;
        for (let i = 0; i < replicas; i++) {
          const name = kind === 'StatefulSet' ? `${o.metadata.name}-${i}` : `${o.metadata.name}-${hash(o.metadata.uid ?? o.metadata.name, 10)}-${hash(`${o.metadata.uid}${i}`, 5)}`;
          const node = where[i];
          out.push(podObject(o, name, node, sched.why.get(`${workloadKey(o)}#${i}`), node === undefined || nodeIsReady(nodes.find((n) => n.metadata.name === node))));
        }
        out.push(...evictedPods(o));
      }
    }
  }
  return out;
}

// ---- output
function age(ts) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(ts ?? new Date().toISOString())) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 3600 * 3) return `${Math.floor(s / 60)}m`;
  if (s < 86400 * 2) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
function table(rows) {
  if (opt['no-headers'] === true) rows = rows.slice(1);
  if (!rows.length) return '';
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((v, i) => (i === r.length - 1 ? String(v) : String(v).padEnd(widths[i] + 3))).join('')).join('\n') + '\n';
}
/** A small JSONPath subset: {.a.b}, {.items[*].x}, {.items[0].x}, {.a['b.c']}, several {...} joined by text. */
// The part of kubectl's JSONPath that scripts use: .key (dots escaped as \.), [n], [*],
// ['key'], and filters [?(@.a.b=="v")] / [?(@.a!="v")].
function jsonpathSteps(p) {
  const steps = [];
  let i = 0;
  const readKey = () => {
    let key = '';
    while (i < p.length && p[i] !== '.' && p[i] !== '[') {
      if (p[i] === '\\' && p[i + 1] === '.') { key += '.'; i += 2; } else { key += p[i]; i += 1; }
    }
    return key;
  };
  while (i < p.length) {
    if (p[i] === '.') { i += 1; const key = readKey(); if (key) steps.push({ key }); continue; }
    if (p[i] === '[') {
      const end = p.indexOf(']', i);
      const inner = p.slice(i + 1, end);
      i = end + 1;
      if (inner === '*') steps.push({ all: true });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else {
        const f = /^\?\(@((?:\.[A-Za-z0-9_-]+)+)\s*(==|!=)\s*["']([^"']*)["']\)$/.exec(inner);
        if (f) steps.push({ filter: { path: f[1].slice(1).split('.'), op: f[2], value: f[3] } });
      }
      continue;
    }
    const key = readKey();
    if (key) steps.push({ key });
  }
  return steps;
}
function jsonpath(expr, data) {
  expr = expr.replace(/^'|'$/g, '');
  return expr.replace(/\{([^}]*)\}/g, (_, p) => {
    let cur = [data];
    for (const step of jsonpathSteps(p.trim().replace(/^\$/, ''))) {
      if (step.all) cur = cur.flatMap((x) => (Array.isArray(x) ? x : x && typeof x === 'object' ? Object.values(x) : []));
      else if (step.index !== undefined) cur = cur.map((x) => (Array.isArray(x) ? x[step.index] : undefined));
      else if (step.filter) {
        const { path: fp, op, value } = step.filter;
        cur = cur.flatMap((x) => (Array.isArray(x) ? x : [])).filter((item) => {
          const v = fp.reduce((o, k2) => (o == null ? undefined : o[k2]), item);
          return op === '==' ? String(v) === value : String(v) !== value;
        });
      } else cur = cur.map((x) => (x == null ? undefined : x[step.key]));
    }
    return cur.filter((x) => x !== undefined).map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(' ');
  });
}
// What the controllers would report: a workload whose pods fit somewhere is fully rolled out.
function withStatus(x) {
  if (x.kind === 'CronJob') {
    const runs = cronJobs(x);
    const last = runs[runs.length - 1];
    const success = [...runs].reverse().find((j) => j.status.succeeded);
    // The stored status (Jobs created from it and run by the pod runtime) and the behaviour's runs: the later wins.
    const later = (a, b) => (a === undefined ? b : b === undefined ? a : Date.parse(a) >= Date.parse(b) ? a : b);
    const lastScheduleTime = later(x.status?.lastScheduleTime, last?.metadata.creationTimestamp);
    const lastSuccessfulTime = later(x.status?.lastSuccessfulTime, success?.status.completionTime);
    return { ...x, status: { ...(x.status ?? {}), ...(lastScheduleTime ? { lastScheduleTime } : {}), ...(lastSuccessfulTime ? { lastSuccessfulTime } : {}) } };
  }
  if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(x.kind)) return x;
  const ready = workloadReady(x);
  const generation = x.metadata.generation ?? 1;
  if (x.kind === 'DaemonSet') {
    const n = nodeObjects().length;
    const r = ready ? n : 0;
    return { ...x, status: { observedGeneration: generation, desiredNumberScheduled: n, currentNumberScheduled: n, numberReady: r, updatedNumberScheduled: r, numberAvailable: r } };
  }
  const replicas = x.spec?.replicas ?? 1;
  const r = ready ? replicas : 0;
  const status = { observedGeneration: generation, replicas, updatedReplicas: r, readyReplicas: r, availableReplicas: r };
  if (x.kind === 'StatefulSet') return { ...x, status: { ...status, currentReplicas: r, currentRevision: `${x.metadata.name}-1`, updateRevision: `${x.metadata.name}-1` } };
  const conditions = [
    { type: 'Available', status: ready ? 'True' : 'False', reason: ready ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable' },
    { type: 'Progressing', status: 'True', reason: ready ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated' },
  ];
  return { ...x, status: { ...status, conditions } };
}
function printObjects(kind, rawObjs, single) {
  const objs = rawObjs.map(withStatus);
  const o = typeof opt.o === 'string' ? opt.o : '';
  const data = single ? objs[0] : { apiVersion: 'v1', kind: 'List', items: objs, metadata: { resourceVersion: '' } };
  if (o === 'json') return process.stdout.write(`${JSON.stringify(data, null, 4)}\n`);
  if (o === 'yaml') return process.stdout.write(YAML.stringify(data));
  if (o === 'name') return process.stdout.write(objs.map((x) => `${resName(kind)}/${x.metadata.name}\n`).join(''));
  if (o.startsWith('jsonpath=') || o.startsWith('jsonpath')) return process.stdout.write(jsonpath(o.replace(/^jsonpath=/, ''), data));
  if (!objs.length) {
    const where = info(kind)[3] && !opt['all-namespaces'] ? ` in ${opt.n ?? 'default'} namespace` : '';
    return process.stderr.write(`No resources found${where}.\n`);
  }
  const withNs = opt['all-namespaces'] === true && info(kind)[3];
  const pre = (x) => (withNs ? [x.metadata.namespace] : []);
  const head = withNs ? ['NAMESPACE'] : [];
  let rows;
  if (kind === 'Node') {
    rows = [[...head, 'NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', ...(o === 'wide' ? ['INTERNAL-IP', 'OS-IMAGE'] : [])]];
    for (const n of objs) {
      const ready = n.status.conditions.find((x) => x.type === 'Ready');
      const roles = Object.keys(n.metadata.labels).filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.split('/')[1]).join(',') || '<none>';
      rows.push([n.metadata.name, `${ready.status === 'True' ? 'Ready' : ready.status === 'Unknown' ? 'NotReady' : 'NotReady'}${n.spec.unschedulable ? ',SchedulingDisabled' : ''}`, roles, age(n.metadata.creationTimestamp), n.status.nodeInfo.kubeletVersion, ...(o === 'wide' ? [n.status.addresses[0].address, n.status.nodeInfo.osImage] : [])]);
    }
  } else if (kind === 'Pod') {
    rows = [[...head, 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']];
    for (const p of objs) rows.push([...pre(p), p.metadata.name, p.status.phase === 'Running' ? '1/1' : '0/1', p.status.phase, '0', age(p.metadata.creationTimestamp)]);
  } else if (kind === 'Deployment' || kind === 'StatefulSet') {
    rows = [[...head, 'NAME', 'READY', ...(kind === 'Deployment' ? ['UP-TO-DATE', 'AVAILABLE'] : []), 'AGE']];
    for (const d of objs) { const r = d.spec?.replicas ?? 1; const up = workloadReady(d) ? r : 0; rows.push([...pre(d), d.metadata.name, `${up}/${r}`, ...(kind === 'Deployment' ? [r, up] : []), age(d.metadata.creationTimestamp)]); }
  } else if (kind === 'Namespace') {
    rows = [['NAME', 'STATUS', 'AGE'], ...objs.map((x) => [x.metadata.name, 'Active', age(x.metadata.creationTimestamp)])];
  } else {
    rows = [[...head, 'NAME', 'AGE'], ...objs.map((x) => [...pre(x), x.metadata.name, age(x.metadata.creationTimestamp)])];
  }
  process.stdout.write(table(rows));
}
function matchesSelector(labels, sel) {
  if (!sel) return true;
  return String(sel).split(',').every((term) => {
    const m = /^([^!=]+)(==|=|!=)?(.*)$/.exec(term.trim());
    if (!m) return true;
    const [, key, op, val] = m;
    if (!op) return key.startsWith('!') ? !(key.slice(1) in (labels ?? {})) : key in (labels ?? {});
    return op === '!=' ? labels?.[key] !== val : labels?.[key] === val;
  });
}
function notFound(kind, name) { return `Error from server (NotFound): ${pluralName(kind)} "${name}" not found`; }

// ---- commands
/** --field-selector with the fields kubectl users reach for: spec.nodeName, metadata.name/namespace. */
function matchesFields(o, sel) {
  if (!sel) return true;
  const value = (field) => ({ 'spec.nodeName': o.spec?.nodeName, 'metadata.name': o.metadata?.name, 'metadata.namespace': o.metadata?.namespace }[field]);
  return String(sel).split(',').every((term) => {
    const m = /^([\w.]+)(==|=|!=)(.*)$/.exec(term);
    if (!m || !['spec.nodeName', 'metadata.name', 'metadata.namespace'].includes(m[1])) k.die(1, `Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "${sel}": field label not supported: ${m ? m[1] : term}`);
    return m[2] === '!=' ? value(m[1]) !== m[3] : value(m[1]) === m[3];
  });
}
function collect(kind, ns) {
  const all = kind === 'Node' ? nodeObjects() : kind === 'Pod' ? pods(ns) : list(kind, ns);
  return all.filter((o) => matchesFields(o, opt['field-selector']));
}
function targets(from) {
  // "kind name...", "kind/name ...", "kind1,kind2"
  const out = [];
  const words = positional.slice(from);
  if (words.length && words.every((w) => w.includes('/'))) {
    for (const w of words) { const [r, n] = w.split('/'); out.push([resolveResource(r), n]); }
    return out;
  }
  if (!words.length) k.die(1, 'error: You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.');
  const kindsList = words[0].split(',').map(resolveResource);
  for (const kind of kindsList) {
    if (words.length === 1) out.push([kind, undefined]);
    for (const n of words.slice(1)) out.push([kind, n]);
  }
  return out;
}
const namespace = () => (typeof opt.n === 'string' ? opt.n : 'default');
const scopeNs = (kind) => (info(kind)[3] ? (opt['all-namespaces'] === true ? undefined : namespace()) : undefined);

function cmdGet() {
  if (typeof opt.raw === 'string') {
    // The API server's health endpoints answer "ok" while the fake cluster exists.
    if (['/readyz', '/livez', '/healthz'].includes(opt.raw.split('?')[0])) { process.stdout.write('ok'); process.exit(0); }
    k.die(1, `Error from server (NotFound): the server could not find the requested resource`);
  }
  let rc = 0;
  const found = [];
  const ts = targets(1);
  for (const [kind, name] of ts) {
    if (name === undefined) {
      const objs = collect(kind, scopeNs(kind)).filter((o) => matchesSelector(o.metadata.labels, opt.l));
      if (ts.length === 1) return printObjects(kind, objs, false);
      found.push(...objs.map((o) => [kind, o]));
      continue;
    }
    const o = kind === 'Node' || kind === 'Pod' ? collect(kind, scopeNs(kind)).find((x) => x.metadata.name === name) : getObj(kind, scopeNs(kind), name);
    if (!o) { if (opt['ignore-not-found'] !== true) { process.stderr.write(`${notFound(kind, name)}\n`); rc = 1; } continue; }
    found.push([kind, o]);
  }
  if (found.length === 1 && ts.length === 1) printObjects(found[0][0], [found[0][1]], true);
  else if (found.length) printObjects(found[0][0], found.map((f) => f[1]), false);
  process.exit(rc);
}

function parseDocs(source, text) {
  if (text === null) k.die(1, `error: unable to read URL "${source}", server reported 404 Not Found, status code=404`);
  if (text === undefined) k.die(1, `error: the path "${source}" does not exist`);
  const objs = [];
  // Read as the real kubectl reads it (go-yaml, YAML 1.1): `value: on` is a boolean here too.
  const parsed = k8sYaml.parseStream(text);
  if (parsed.error) k.die(1, `error: error parsing ${source}: error converting YAML to JSON: ${parsed.error}`);
  for (const o of parsed.docs) {
    if (o == null) continue;
    if (o.kind === 'List' || (o.kind ?? '').endsWith('List')) objs.push(...(o.items ?? []));
    else objs.push(o);
  }
  for (const o of objs) {
    const missing = [!o.apiVersion && 'apiVersion not set', !o.kind && 'kind not set'].filter(Boolean);
    if (missing.length) k.die(1, `error: error validating "${source}": error validating data: [${missing.join(', ')}]; if you choose to ignore these errors, turn validation off with --validate=false`);
  }
  return objs;
}
const strip = (o) => { const x = structuredClone(o); if (x.metadata) { delete x.metadata.uid; delete x.metadata.creationTimestamp; delete x.metadata.resourceVersion; delete x.metadata.generation; } delete x.status; return JSON.stringify(x); };

/** apply / create / replace / delete -f */
function cmdWrite(mode) {
  const dry = typeof opt['dry-run'] === 'string' && opt['dry-run'] !== 'none';
  const serverSide = opt['server-side'] === true || opt['server-side'] === 'true';
  if (!inputs.length) k.die(1, 'error: must specify one of -f and -k');
  if (mode !== 'delete' && inputs.every(([source, text]) => parseDocs(source, text).length === 0)) k.die(1, `error: no objects passed to ${mode}`);
  let rc = 0;
  for (const [source, text] of inputs) {
    for (const o of parseDocs(source, text)) {
      const [group, ver] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
      const ki = KINDS[o.kind];
      if (!ki || ki[1] !== group || (ki[2].length && !ki[2].includes(ver))) {
        process.stderr.write(`error: resource mapping not found for name: "${o.metadata?.name ?? ''}" namespace: "${o.metadata?.namespace ?? ''}" from "${source}": no matches for kind "${o.kind}" in version "${o.apiVersion}"\nensure CRDs are installed first\n`);
        rc = 1;
        continue;
      }
      const name = o.metadata?.name;
      if (!name) { process.stderr.write(`error: error when retrieving current configuration of:\nResource: "${pluralName(o.kind)}", GroupVersionKind: "${o.apiVersion}, Kind=${o.kind}"\nName: "", Namespace: "${namespace()}"\nfrom server for: "${source}": resource name may not be empty\n`); rc = 1; continue; }
      let ns;
      if (ki[3]) {
        ns = o.metadata.namespace ?? namespace();
        if (typeof opt.n === 'string' && o.metadata.namespace && o.metadata.namespace !== opt.n) {
          k.die(1, `error: the namespace from the provided object "${o.metadata.namespace}" does not match the namespace "${opt.n}". You must pass '--namespace=${o.metadata.namespace}' to perform this operation.`);
        }
        if (mode !== 'delete' && !nsExists(ns) && !dry) {
          process.stderr.write(`Error from server (NotFound): error when creating "${source}": namespaces "${ns}" not found\n`);
          rc = 1;
          continue;
        }
      }
      const existing = getObj(o.kind, ns, name);
      const ref = `${resName(o.kind)}/${name}`;
      const suffix = dry ? ` (${opt['dry-run'] === 'server' ? 'server ' : ''}dry run)` : '';
      if (mode === 'delete') {
        if (!existing) { if (opt['ignore-not-found'] !== true) { process.stderr.write(`Error from server (NotFound): error when deleting "${source}": ${pluralName(o.kind)} "${name}" not found\n`); rc = 1; } continue; }
        if (!dry) delObj(o.kind, ns, name);
        process.stdout.write(`${ref} deleted${suffix}\n`);
        continue;
      }
      // The API server's typed decoding: a string field holding a boolean or number is refused.
      const typeProblem = mode === 'delete' ? undefined : k8sYaml.stringFieldProblem(o);
      if (typeProblem) {
        process.stderr.write(`Error from server: failed to create typed patch object (${ns ? `${ns}/` : ''}${name}; ${o.apiVersion.includes('/') ? o.apiVersion : `/${o.apiVersion}`}, Kind=${o.kind}): ${typeProblem}\n`);
        rc = 1;
        continue;
      }
      if (mode === 'create' && existing) { process.stderr.write(`Error from server (AlreadyExists): error when creating "${source}": ${pluralName(o.kind)} "${name}" already exists\n`); rc = 1; continue; }
      if (mode === 'replace' && !existing) { process.stderr.write(`Error from server (NotFound): error when replacing "${source}": ${pluralName(o.kind)} "${name}" not found\n`); rc = 1; continue; }
      const stored = structuredClone(o);
      // status is a subresource: writing the object never replaces what the controllers reported.
      if (existing?.status !== undefined) stored.status = existing.status;
      else delete stored.status;
      stored.metadata = { ...o.metadata, ...(ns ? { namespace: ns } : {}), uid: existing?.metadata.uid ?? crypto.randomUUID(), creationTimestamp: existing?.metadata.creationTimestamp ?? new Date().toISOString(), resourceVersion: String(Number(existing?.metadata.resourceVersion ?? 0) + 1) };
      if (!ns) delete stored.metadata.namespace;
      const unchanged = existing && strip(existing) === strip(stored);
      // metadata.generation moves only when the spec changes, as the API server does it.
      stored.metadata.generation = existing ? (unchanged ? existing.metadata.generation ?? 1 : (existing.metadata.generation ?? 1) + 1) : 1;
      if (o.kind === 'Job' && existing && !unchanged && JSON.stringify(existing.spec?.template) !== JSON.stringify(stored.spec?.template)) {
        process.stderr.write(`The Job "${name}" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable\n`);
        rc = 1;
        continue;
      }
      if (!dry && !unchanged) {
        putObj(stored);
        if (o.kind === 'Deployment') syncReplicaSets(stored);
        if (o.kind === 'Job' && !existing) runJob(stored);
      }
      // An unchanged write still reaches etcd when the stored value is stale (not encrypted with
      // the first key): how `kubectl get secrets -o json | kubectl replace -f -` encrypts them all.
      else if (!dry && o.kind === 'Secret' && secretStale(ns, name)) storeSecretAtRest(ns, name);
      const word = serverSide && mode === 'apply' ? 'serverside-applied' : mode === 'create' ? 'created' : mode === 'replace' ? 'replaced' : !existing ? 'created' : unchanged ? 'unchanged' : 'configured';
      process.stdout.write(`${ref} ${word}${suffix}\n`);
    }
  }
  process.exit(rc);
}

/**
 * The Deployment controller's ReplicaSets: one per pod template (named by its hash, revision
 * annotations as the controller writes them); the current template's holds the replicas, older
 * ones are scaled to 0 and kept (revisionHistoryLimit).
 */
function syncReplicaSets(d) {
  const ns = d.metadata.namespace;
  const template = d.spec?.template ?? {};
  const { annotations: _restart, ...stable } = template.metadata ?? {};
  const h = hash(JSON.stringify({ ...template, metadata: { ...stable, annotations: template.metadata?.annotations ?? {} } }), 10);
  const owned = list('ReplicaSet', ns).filter((rs) => rs.metadata.ownerReferences?.some((r) => r.kind === 'Deployment' && r.name === d.metadata.name));
  const revision = (rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  let current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === h);
  const top = owned.reduce((m, rs) => Math.max(m, revision(rs)), 0);
  for (const rs of owned) if (rs !== current && (rs.spec?.replicas ?? 0) !== 0) { rs.spec.replicas = 0; rs.status = { replicas: 0, observedGeneration: 1 }; putObj(rs); }
  const replicas = d.spec?.replicas ?? 1;
  if (!current) {
    current = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: `${d.metadata.name}-${h}`, namespace: ns, uid: crypto.randomUUID(), creationTimestamp: new Date().toISOString(), generation: 1, labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': h }, annotations: {}, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid, controller: true }] },
      spec: { replicas, selector: { matchLabels: { ...(d.spec?.selector?.matchLabels ?? {}), 'pod-template-hash': h } }, template: { ...template, metadata: { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': h } } } },
    };
  }
  current.metadata.annotations = { ...(current.metadata.annotations ?? {}), 'deployment.kubernetes.io/revision': String(revision(current) === top && top > 0 ? top : top + 1) };
  current.spec.replicas = replicas;
  current.status = { replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1 };
  putObj(current);
  const keep = d.spec?.revisionHistoryLimit ?? 10;
  const old = list('ReplicaSet', ns).filter((rs) => rs.metadata.ownerReferences?.some((r) => r.kind === 'Deployment' && r.name === d.metadata.name) && rs.metadata.name !== current.metadata.name).sort((a, b) => revision(a) - revision(b));
  for (const rs of old.slice(0, Math.max(0, old.length - keep))) delObj('ReplicaSet', ns, rs.metadata.name);
}

function cmdDelete() {
  if (inputs.length) return cmdWrite('delete');
  let rc = 0;
  for (const [kind, name] of targets(1)) {
    const ns = scopeNs(kind);
    const names = name === undefined ? (opt.all === true || opt.l || opt['field-selector'] ? collect(kind, ns).filter((o) => matchesSelector(o.metadata.labels, opt.l)).map((o) => o.metadata.name) : k.die(1, 'error: resource(s) were provided, but no name was specified')) : [name];
    for (const n of names) {
      if (!getObj(kind, ns, n)) { if (opt['ignore-not-found'] !== true) { process.stderr.write(`${notFound(kind, n)}\n`); rc = 1; } continue; }
      if (kind === 'Pod' && ns === 'kube-flannel') {
        // The DaemonSet recreates it at once; the new flanneld registers the node again.
        const node = getObj(kind, ns, n)?.spec?.nodeName;
        if (node) mutateNode(node, (x) => { if (x.annotations) delete x.annotations[FLANNEL_PUBLIC_IP]; });
      }
      delObj(kind, ns, n);
      if (kind === 'Deployment') for (const rs of list('ReplicaSet', ns).filter((x) => x.metadata.ownerReferences?.some((r) => r.kind === 'Deployment' && r.name === n))) delObj('ReplicaSet', ns, rs.metadata.name);
      process.stdout.write(`${resName(kind)} "${n}" deleted${kind === 'Node' ? '' : ''}\n`);
    }
  }
  process.exit(rc);
}

function jsonPatch(target, ops) {
  const t = structuredClone(target);
  for (const op of ops) {
    const parts = op.path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop();
    let cur = t;
    for (const p of parts) { if (cur[p] === undefined) k.die(1, `The request is invalid: the server rejected our request due to an error in our request`); cur = cur[p]; }
    if (op.op === 'remove') { if (Array.isArray(cur)) cur.splice(Number(last), 1); else delete cur[last]; }
    else if (Array.isArray(cur) && last === '-') cur.push(op.value);
    else if (Array.isArray(cur) && op.op === 'add') cur.splice(Number(last), 0, op.value);
    else cur[last] = op.value;
  }
  return t;
}
function mutateNode(name, fn) {
  const n = k.nodes(c).find((x) => x.name === name);
  if (!n) k.die(1, notFound('Node', name));
  const out = fn(n);
  k.saveNode(c, n);
  return out;
}
function cmdPatch() {
  const [[kind, name]] = targets(1);
  if (!name) k.die(1, 'error: resource(s) were provided, but no name was specified');
  let patch;
  try { patch = YAML.parse(String(opt.p ?? '')); } catch (e) { k.die(1, `error: unable to parse "${opt.p}": ${e.message}`); }
  const type = opt.type ?? 'strategic';
  const apply = (o) => (type === 'json' ? jsonPatch(o, patch) : type === 'merge' ? k.mergePatch(o, patch) : k.strategicMerge(o, patch));
  if (kind === 'Node') {
    mutateNode(name, (n) => {
      const o = apply({ metadata: { labels: n.labels ?? {}, annotations: n.annotations ?? {} }, spec: { unschedulable: n.unschedulable, taints: n.taints ?? [] } });
      n.labels = o.metadata?.labels ?? {}; n.annotations = o.metadata?.annotations ?? {}; n.unschedulable = !!o.spec?.unschedulable; n.taints = o.spec?.taints ?? [];
    });
    return process.stdout.write(`node/${name} patched\n`);
  }
  const ns = scopeNs(kind);
  const o = getObj(kind, ns, name);
  if (!o) k.die(1, notFound(kind, name));
  const next = apply(o);
  const same = JSON.stringify(next) === JSON.stringify(o);
  if (!same) { next.metadata.resourceVersion = String(Number(o.metadata.resourceVersion ?? 0) + 1); putObj(next); }
  process.stdout.write(`${resName(kind)}/${name} patched${same ? ' (no change)' : ''}\n`);
}

function cmdLabel(field) {
  const [[kind, name]] = targets(1).slice(0, 1);
  const changes = positional.slice(name === undefined ? 2 : positional[1].includes('/') ? 2 : 3).filter((w) => /=|-$/.test(w));
  const names = opt.all === true ? collect(kind, scopeNs(kind)).map((o) => o.metadata.name) : [name];
  for (const n of names) {
    const edit = (map) => {
      for (const ch of changes) {
        if (ch.endsWith('-') && !ch.includes('=')) delete map[ch.slice(0, -1)];
        else { const [key, ...v] = ch.split('='); if (key in map && map[key] !== v.join('=') && opt.overwrite !== true) k.die(1, `error: '${key}' already has a value (${map[key]}), and --overwrite is false`); map[key] = v.join('='); }
      }
    };
    if (kind === 'Node') mutateNode(n, (x) => { x[field] ??= {}; edit(x[field]); });
    else { const o = getObj(kind, scopeNs(kind), n); if (!o) k.die(1, notFound(kind, n)); o.metadata[field] ??= {}; edit(o.metadata[field]); putObj(o); }
    process.stdout.write(`${resName(kind)}/${n} ${field === 'labels' ? 'labeled' : 'annotated'}\n`);
  }
}

function cmdTaint() {
  const all = opt.all === true;
  const names = all ? k.nodes(c).map((n) => n.name) : [positional[2]];
  const specs = positional.slice(all ? 2 : 3);
  for (const name of names) {
    let removed = false;
    mutateNode(name, (n) => {
      n.taints ??= [];
      for (const s of specs) {
        const del = s.endsWith('-');
        const body = del ? s.slice(0, -1) : s;
        const [kv, effect] = body.split(':');
        const [key, value] = kv.split('=');
        if (del) {
          const before = n.taints.length;
          n.taints = n.taints.filter((t) => !(t.key === key && (!effect || t.effect === effect)));
          if (n.taints.length === before) k.die(1, `error: taint "${body}" not found`);
          removed = true;
        } else {
          n.taints = n.taints.filter((t) => !(t.key === key && t.effect === effect));
          n.taints.push({ key, ...(value ? { value } : {}), effect });
        }
      }
    });
    process.stdout.write(`node/${name} ${removed ? 'untainted' : 'tainted'}\n`);
  }
}

function cmdCordon(on) {
  const name = positional[1];
  const changed = mutateNode(name, (n) => { const was = !!n.unschedulable; n.unschedulable = on; return was !== on; });
  process.stdout.write(`node/${name} ${changed ? (on ? 'cordoned' : 'uncordoned') : 'already ' + (on ? 'cordoned' : 'uncordoned')}\n`);
}

/**
 * kubectl drain: cordon, then evict every pod on the node except DaemonSet pods (which need
 * --ignore-daemonsets), refusing pods with emptyDir volumes without --delete-emptydir-data, as
 * the real one does. There are no PodDisruptionBudgets in this model (hobbykube makes none), so
 * every eviction is granted; the evicted pods' replacements are placed by the scheduling model on
 * the other nodes (or stay Pending), and drain does not wait for them, like the real one.
 */
function cmdDrain() {
  const name = positional[1];
  // The pods the node runs before the cordon (the model places pods afresh on every call).
  const onNode = pods(undefined).filter((p) => p.spec.nodeName === name && p.metadata.ownerReferences);
  const was = mutateNode(name, (n) => { const before = !!n.unschedulable; n.unschedulable = true; return before; });
  process.stdout.write(`node/${name} ${was ? 'already cordoned' : 'cordoned'}\n`);
  const ds = onNode.filter((p) => p.metadata.ownerReferences[0].kind === 'DaemonSet');
  const evict = onNode.filter((x) => !ds.includes(x));
  const errors = [];
  if (ds.length && opt['ignore-daemonsets'] !== true) errors.push(`cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${ds.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}`);
  const local = evict.filter((p) => (p.spec.volumes ?? []).some((v) => v.emptyDir));
  if (local.length && opt['delete-emptydir-data'] !== true) errors.push(`cannot delete Pods with local storage (use --delete-emptydir-data to override): ${local.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}`);
  if (errors.length) {
    k.die(1, `error: unable to drain node "${name}" due to error: ${errors.join(', ')}, continuing command...\nThere are pending nodes to be drained:\n ${name}\n${errors.join('\n')}`);
  }
  if (ds.length) process.stderr.write(`Warning: ignoring DaemonSet-managed Pods: ${ds.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}\n`);
  for (const p of evict) process.stdout.write(`evicting pod ${p.metadata.namespace}/${p.metadata.name}\n`);
  for (const p of evict) process.stdout.write(`pod/${p.metadata.name} evicted\n`);
  process.stdout.write(`node/${name} drained\n`);
}

function timeoutMs() {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(String(opt.timeout ?? '30s'));
  if (!m) return 30000;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2] ?? 's'];
}
/** Poll a condition until it holds or the timeout passes, as the real wait does. */
function until(check) {
  const deadline = Date.now() + timeoutMs();
  for (;;) {
    const r = check();
    if (r) return r;
    if (Date.now() >= deadline) return undefined;
    k.sleepMs(200);
  }
}
function cmdWait() {
  const cond = String(opt.for ?? '');
  let ts;
  if (opt.all === true || opt.l) {
    const kind = resolveResource(positional[1]);
    ts = collect(kind, scopeNs(kind)).filter((o) => matchesSelector(o.metadata.labels, opt.l)).map((o) => [kind, o.metadata.name]);
    if (!ts.length) k.die(1, 'error: no matching resources found');
  } else ts = targets(1);
  for (const [kind, name] of ts) {
    const ns = scopeNs(kind);
    const ok = until(() => {
      const o = kind === 'Node' || kind === 'Pod' ? collect(kind, ns).find((x) => x.metadata.name === name) : getObj(kind, ns, name);
      if (cond === 'delete') return !o;
      if (!o) return false;
      const cm = /^condition=([^=]+)(?:=(.*))?$/i.exec(cond);
      if (cm) {
        const want = (cm[2] ?? 'True').toLowerCase();
        if (kind === 'Node' || kind === 'Pod') return o.status.conditions.some((x) => x.type.toLowerCase() === cm[1].toLowerCase() && x.status.toLowerCase() === want);
        if (['available', 'ready'].includes(cm[1].toLowerCase())) return workloadReady(o) === (want === 'true');
        if (kind === 'CustomResourceDefinition' && cm[1].toLowerCase() === 'established') return true;
        return (o.status?.conditions ?? []).some((x) => x.type.toLowerCase() === cm[1].toLowerCase() && String(x.status).toLowerCase() === want);
      }
      const jm = /^jsonpath=(\{[^}]*\})=(.*)$/.exec(cond);
      if (jm) return jsonpath(jm[1], o) === jm[2];
      k.die(1, `error: unrecognized condition: "${cond}"`);
    });
    if (!ok) k.die(1, `error: timed out waiting for the condition on ${pluralName(kind)}/${name}`);
    process.stdout.write(`${resName(kind)}/${name} condition met\n`);
  }
}

function cmdRollout() {
  const sub = positional[1];
  const save = positional;
  positional.splice(0, 1);
  const [[kind, name]] = targets(1);
  positional.splice(0, 0, save[0]);
  const o = getObj(kind, scopeNs(kind), name);
  if (!o) k.die(1, notFound(kind, name));
  if (sub === 'restart') {
    o.spec.template ??= {}; o.spec.template.metadata ??= {}; o.spec.template.metadata.annotations ??= {};
    o.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'] = new Date().toISOString();
    o.metadata.generation = (o.metadata.generation ?? 1) + 1;
    o.metadata.resourceVersion = String(Number(o.metadata.resourceVersion ?? 0) + 1);
    putObj(o);
    if (kind === 'Deployment') syncReplicaSets(o);
    return process.stdout.write(`${resName(kind)}/${name} restarted\n`);
  }
  if (sub !== 'status') k.die(1, `harness: kubectl rollout ${sub} is not covered by the test double`);
  const r = o.spec?.replicas ?? 1;
  if (!until(() => workloadReady(getObj(kind, scopeNs(kind), name) ?? o))) {
    process.stdout.write(`Waiting for deployment "${name}" rollout to finish: 0 of ${r} updated replicas are available...\n`);
    k.die(1, 'error: timed out waiting for the condition');
  }
  if (kind === 'Deployment') process.stdout.write(`deployment "${name}" successfully rolled out\n`);
  else if (kind === 'DaemonSet') process.stdout.write(`daemon set "${name}" successfully rolled out\n`);
  else process.stdout.write(`partitioned roll out complete: ${r} new pods have been updated...\n`);
}

/** The DNS model behind lesson 2: CoreDNS forwards to loopback (the resolved stub) => loop. */
function dnsAnswer(name) {
  const fail = () => k.die(1, ';; connection timed out; no servers could be reached\n');
  const coredns = getObj('Deployment', 'kube-system', 'coredns');
  if (!coredns || !workloadReady(coredns)) fail();
  const corefile = getObj('ConfigMap', 'kube-system', 'coredns')?.data?.Corefile ?? '';
  const isCluster = /(^kubernetes(\.default)?$)|\.svc(\.cluster\.local)?\.?$|\.cluster\.local\.?$/.test(name);
  if (!isCluster) {
    const fwd = /^\s*forward\s+\.\s+([^{\n]+)/m.exec(corefile);
    if (!fwd) fail();
    let upstream = fwd[1].trim().split(/\s+/);
    if (upstream.some((u) => u.startsWith('/'))) {
      const kubelet = getObj('ConfigMap', 'kube-system', 'kubelet-config')?.data?.kubelet ?? '';
      const file = /^\s*resolvConf:\s*["']?([^"'\s]+)/m.exec(kubelet)?.[1] ?? '/etc/resolv.conf';
      const text = c.resolvFiles?.[file] ?? '';
      upstream = [...text.matchAll(/^nameserver\s+(\S+)/gm)].map((m) => m[1]);
    }
    if (!upstream.length || upstream.every((u) => /^127\.|^::1$|^localhost$/.test(u.replace(/^dns:\/\//, '')))) fail();
  }
  const addr = isCluster ? '10.96.0.1' : '203.0.113.10';
  return `Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n${isCluster ? '' : 'Non-authoritative answer:\n'}Name:\t${name}\nAddress: ${addr}\n\n`;
}
function cmdRunOrExec() {
  const cmd = afterDashes;
  const tool = path.basename(cmd[0] ?? '');
  if (['nslookup', 'host', 'dig', 'getent'].includes(tool)) {
    const name = cmd.filter((a, i) => i > 0 && !a.startsWith('-') && a !== 'hosts' && a !== 'ahosts')[0] ?? '';
    process.stdout.write(dnsAnswer(name));
    if (verb === 'run' && opt.rm === true) process.stdout.write(`pod "${positional[1]}" deleted\n`);
    return;
  }
  if (verb !== 'exec') k.die(1, `harness: kubectl run only simulates DNS lookups (nslookup/host/dig/getent), not: ${cmd.join(' ')}`);
  if (!cmd.length) k.die(1, 'error: you must specify at least one command for the container');
  const name = String(positional[1] ?? '').replace(/^(pod|pods|po)\//, '');
  const ns = namespace();
  const pod = pods(ns).find((p) => p.metadata.name === name);
  if (!pod) k.die(1, `Error from server (NotFound): pods "${name}" not found`);
  const container = typeof opt.c === 'string' ? opt.c : typeof opt.container === 'string' ? opt.container : undefined;
  if (container && !(pod.spec.containers ?? []).some((x) => x.name === container)) k.die(1, `error: container ${container} not found in pod ${name}`);
  if (pod.status.phase !== 'Running') {
    if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') k.die(1, `error: cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
    k.die(1, `error: unable to upgrade connection: container not found ("${container ?? pod.spec.containers?.[0]?.name ?? ''}")`);
  }
  // What the image's own program does, when the test declared it (fake-images.cjs).
  const image = (pod.spec.containers ?? []).find((x) => !container || x.name === container)?.image;
  const declared = images.declaredRun(image, cmd);
  if (declared) {
    for (const line of declared.output ?? []) process.stdout.write(`${line}\n`);
    if ((declared.exitCode ?? 0) !== 0) k.die(declared.exitCode, `command terminated with exit code ${declared.exitCode}`);
    process.exit(0);
  }
  let r;
  try {
    r = runtime.runContainer(runtimeView(), pod, container, cmd, execTty ? runtime.INHERIT : execStdin ? extra.stdin : '');
  } catch (e) {
    if (e instanceof runtime.RuntimeError) k.die(1, `error: ${e.message}`);
    throw e;
  }
  if (r.code === 127 && /chroot: failed to run command/.test(r.stderr.toString('utf8'))) {
    // containerd's answer through the API server, as kubectl prints it.
    k.die(1, `error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${hash(`${name}${Date.now()}`, 64)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd[0]}": executable file not found in $PATH: unknown`);
  }
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  if (r.code !== 0) k.die(r.code, `command terminated with exit code ${r.code}`);
  process.exit(0);
}

// ---- Jobs: created from a CronJob (create job --from), run at once by the pod runtime
function jobPodFile(ns, name) { return path.join(c.dir, 'objects', '_jobpods', ns ?? 'default', `${name}.json`); }
function runtimeView() { return { c, getObj, list, pods }; }

/** Where the scheduler would put a batch pod now: after every serving pod, never preempting one. */
function placeBatchPod(podSpec) {
  SCHEDULE = undefined;
  const s = schedule();
  const req = podRequestMi(podSpec);
  const alloc = (n) => k.quantityMi(n.status.allocatable?.memory) || Infinity;
  const maxPods = (n) => Number(n.status.allocatable?.pods ?? 110);
  const candidates = placeable(podSpec);
  const fit = candidates
    .filter((n) => s.used.get(n.metadata.name) + req <= alloc(n) + 1e-9 && s.count.get(n.metadata.name) < maxPods(n))
    .sort((a, b) => (alloc(b) - s.used.get(b.metadata.name)) / alloc(b) - (alloc(a) - s.used.get(a.metadata.name)) / alloc(a) || a.metadata.name.localeCompare(b.metadata.name))[0];
  if (fit) return { node: fit.metadata.name };
  const total = nodeObjects().length;
  return { message: `0/${total} nodes are available: ${candidates.length ? `${candidates.length} Insufficient memory, ` : ''}${total - candidates.length} node(s) didn't match Pod's node affinity/selector. preemption: not eligible due to preemptionPolicy=Never.` };
}

function runJob(job) {
  const ns = job.metadata.namespace;
  const now = () => new Date().toISOString();
  const template = job.spec.template;
  const podName = `${job.metadata.name}-${hash(job.metadata.uid, 5)}`;
  const place = placeBatchPod(template.spec);
  job.status = { startTime: now(), active: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} };
  if (!place.node) {
    k.writeJson(jobPodFile(ns, job.metadata.name), { name: podName, phase: 'Pending', message: place.message });
    putObj(job);
    return;
  }
  const pod = { metadata: { name: podName, namespace: ns, labels: template.metadata?.labels ?? {} }, spec: { ...template.spec, nodeName: place.node } };
  const container = template.spec.containers[0];
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  const pull = pullProblem(container.image, template.spec, ns);
  if (pull) {
    k.writeJson(jobPodFile(ns, job.metadata.name), { name: podName, node: place.node, phase: 'Pending', waiting: { reason: 'ImagePullBackOff', message: pullMessage(container.image, pull) } });
    putObj(job);
    return;
  }
  const declared = images.declaredRun(container.image, argv);
  const attempts = (job.spec.backoffLimit ?? 6) + 1;
  let log = '';
  let r;
  let failures = 0;
  for (let i = 0; i < attempts; i++) {
    try {
      r = declared
        ? { code: declared.exitCode ?? 0, stdout: Buffer.from((declared.output ?? []).map((l) => `${l}\n`).join('')), stderr: Buffer.alloc(0) }
        : runtime.runContainer(runtimeView(), pod, container.name, argv, '');
    } catch (e) {
      if (!(e instanceof runtime.RuntimeError)) throw e;
      r = { code: 1, stdout: Buffer.alloc(0), stderr: Buffer.from(`${e.message}\n`) };
    }
    log += r.stdout.toString('utf8') + r.stderr.toString('utf8');
    if (r.code === 0) break;
    failures += 1;
  }
  const done = now();
  const ok = r.code === 0;
  k.writeJson(jobPodFile(ns, job.metadata.name), { name: podName, node: place.node, phase: ok ? 'Succeeded' : 'Failed', exitCode: r.code, restarts: failures, log });
  job.status = ok
    ? { startTime: job.status.startTime, completionTime: done, succeeded: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {}, conditions: [
      { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: done, lastTransitionTime: done },
      { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: done, lastTransitionTime: done }] }
    : { startTime: job.status.startTime, failed: failures, ready: 0, terminating: 0, uncountedTerminatedPods: {}, conditions: [
      { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: done, lastTransitionTime: done },
      { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: done, lastTransitionTime: done }] };
  putObj(job);
  // The CronJob controller: a succeeded Job it owns moves lastSuccessfulTime.
  const owner = (job.metadata.ownerReferences ?? []).find((o) => o.kind === 'CronJob' && o.controller);
  const cj = owner && getObj('CronJob', ns, owner.name);
  if (ok && cj) {
    cj.status = { ...(cj.status ?? {}), lastSuccessfulTime: done };
    putObj(cj);
  }
}

/** kubectl create job NAME --from=cronjob/CJ: the CronJob's jobTemplate, owned by it, as kubectl builds it. */
function cmdCreateJobFrom(name) {
  const from = String(opt.from ?? '');
  const m = /^(cronjob|cronjobs|cj|cronjobs\.batch)\/(.+)$/.exec(from);
  if (!m) k.die(1, `error: from must be an existing cronjob: ${from}`);
  const ns = namespace();
  const cj = getObj('CronJob', ns, m[2]);
  if (!cj) k.die(1, `Error from server (NotFound): cronjobs.batch "${m[2]}" not found`);
  if (getObj('Job', ns, name)) k.die(1, `error: failed to create job: jobs.batch "${name}" already exists`);
  const jt = cj.spec.jobTemplate;
  const job = {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name, namespace: ns, labels: { ...(jt.metadata?.labels ?? {}) }, annotations: { ...(jt.metadata?.annotations ?? {}), 'cronjob.kubernetes.io/instantiate': 'manual' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid, controller: true }], uid: crypto.randomUUID(), creationTimestamp: new Date().toISOString(), resourceVersion: '1', generation: 1 },
    spec: structuredClone(jt.spec),
  };
  putObj(job);
  process.stdout.write(`job.batch/${name} created\n`);
  runJob(job);
  process.exit(0);
}

/**
 * kubectl logs POD|TYPE/NAME|-l SELECTOR [-c C] [--previous] [--tail N] [--since D] [--prefix] [-f]:
 * what the behaviour files (or the image's declared log, fake-images.cjs) say the containers
 * printed. With -f on a running container kubectl stays until it is stopped (no new lines here).
 */
function cmdLogs() {
  const ns = namespace();
  const target = positional[1];
  let chosen;
  if (opt.l) chosen = pods(ns).filter((p) => matchesSelector(p.metadata.labels, opt.l) && p.status.phase !== 'Failed');
  else if (target && target.includes('/')) {
    const [type, name] = target.split('/');
    const kind = resolveResource(type);
    // A Job's pod keeps its log when it failed (that is when its log is read); a Deployment's failed pods are gone.
    chosen = kind === 'Pod' ? pods(ns).filter((p) => p.metadata.name === name) : pods(ns).filter((p) => p.metadata.ownerReferences?.[0]?.kind === kind && p.metadata.ownerReferences[0].name === name && (kind === 'Job' || p.status.phase !== 'Failed')).slice(0, 1);
    if (!chosen.length) k.die(1, `error: ${notFound(kind, name).replace(/^Error from server \(NotFound\): /, '')}`);
  } else {
    if (!target) k.die(1, 'error: expected \'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]\'.\nPOD or TYPE/NAME is a required argument for the logs command');
    chosen = pods(ns).filter((p) => p.metadata.name === target);
    if (!chosen.length) k.die(1, `Error from server (NotFound): pods "${target}" not found`);
  }
  if (!chosen.length) { process.stderr.write(`No resources found in ${ns} namespace.\n`); return; }
  const tail = opt.tail !== undefined ? Number(opt.tail) : -1;
  const previous = opt.previous === true || opt.p === true;
  const since = opt.since !== undefined ? images.durationMs(opt.since) : undefined;
  if (opt.since !== undefined && since === undefined) k.die(1, `error: invalid argument "${opt.since}" for "--since" flag: time: invalid duration "${opt.since}"`);
  const prefixed = opt.prefix === true || opt.prefix === 'true';
  const timedLines = (lines) => lines.map((l) => (typeof l === 'string' ? { text: l, time: Date.now() - 1000 } : l));
  /** The lines kubectl prints of one container: --since, then --tail, then --prefix. */
  const shown = (p, container, lines) => {
    let ls = timedLines(lines);
    if (since !== undefined) ls = ls.filter((l) => l.time >= Date.now() - since);
    ls = ls.slice(tail >= 0 ? -tail || ls.length : 0);
    return ls.map((l) => `${prefixed ? `[pod/${p.metadata.name}/${container}] ` : ''}${l.text}\n`).join('');
  };
  let follow = false;
  let out = '';
  for (const p of chosen) {
    const owner = p.metadata.ownerReferences?.[0];
    if (owner?.kind === 'Job') {
      // A Job's pod ran in the pod runtime: its log is what the container printed.
      const jp = k.readJson(jobPodFile(p.metadata.namespace, owner.name), undefined);
      if (!jp || jp.phase === 'Pending') k.die(1, `Error from server (BadRequest): container "${p.spec.containers?.[0]?.name ?? ''}" in pod "${p.metadata.name}" is waiting to start: ContainerCreating`);
      const lines = String(jp.log ?? '').split('\n');
      if (lines.at(-1) === '') lines.pop();
      out += shown(p, p.spec.containers?.[0]?.name ?? '', lines);
      continue;
    }
    const o = owner ? getObj(owner.kind, p.metadata.namespace, owner.name) : undefined;
    const beh = o ? behaviour(o) : {};
    const containers = p.spec.containers ?? [];
    const name = typeof opt.c === 'string' ? opt.c : typeof opt.container === 'string' ? opt.container : containers[0]?.name;
    if (!containers.some((ct) => ct.name === name)) k.die(1, `error: container ${name} is not valid for pod ${p.metadata.name}`);
    const status = (p.status.containerStatuses ?? []).find((x) => x.name === name);
    if (previous) {
      if (!status?.lastState?.terminated) k.die(1, `Error from server (BadRequest): previous terminated container "${name}" in pod "${p.metadata.name}" not found`);
      const lines = beh.crash?.log ?? (status.lastState.terminated.reason === 'OOMKilled' ? beh.log ?? [] : []);
      out += shown(p, name, lines);
      continue;
    }
    const waiting = status?.state?.waiting;
    if (!status || (waiting && waiting.reason !== 'CrashLoopBackOff')) k.die(1, `Error from server (BadRequest): container "${name}" in pod "${p.metadata.name}" is waiting to start: ${waiting?.reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : 'ContainerCreating'}`);
    const image = containers.find((ct) => ct.name === name)?.image;
    const lines = waiting ? beh.crash?.log ?? [] : beh.log ?? images.imageLog(image) ?? [];
    out += shown(p, name, lines);
    if (!waiting && p.status.phase === 'Running') follow = true;
  }
  process.stdout.write(out);
  if ((opt.f === true || opt.follow === true) && follow) {
    process.on('SIGTERM', () => process.exit(0));
    process.stdout.on('error', () => process.exit(0));
    setInterval(() => {}, 1 << 30);
  }
}

function cmdCreate() {
  if (inputs.length) return cmdWrite('create');
  const what = positional[1];
  const name = positional[what === 'secret' ? 3 : 2];
  let o;
  const data = {};
  for (const lit of multi['from-literal']) { const [key, ...v] = lit.split('='); data[key] = v.join('='); }
  for (const f of multi['from-file']) { const [key, file] = f.includes('=') ? f.split('=') : [path.basename(f), f]; data[key] = fs.readFileSync(file, 'utf8'); }
  if (what === 'namespace' || what === 'ns') o = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  else if (what === 'secret' && positional[2] === 'generic') o = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: namespace() }, type: 'Opaque', data: Object.fromEntries(Object.entries(data).map(([a, b]) => [a, Buffer.from(b).toString('base64')])) };
  else if (what === 'configmap' || what === 'cm') o = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: namespace() }, data };
  else if (what === 'job' && opt.from !== undefined) return cmdCreateJobFrom(positional[2]);
  else k.die(1, `harness: kubectl create ${what} is not covered by the test double`);
  if (typeof opt['dry-run'] === 'string' && opt['dry-run'] !== 'none') {
    o.metadata.creationTimestamp = null;
    return process.stdout.write(opt.o === 'json' ? `${JSON.stringify(o, null, 4)}\n` : opt.o === 'yaml' ? YAML.stringify(o) : `${resName(o.kind)}/${name} created (dry run)\n`);
  }
  inputs.push(['STDIN', JSON.stringify(o)]);
  cmdWrite('create');
}

function cmdTop() {
  const metrics = getObj('Deployment', 'kube-system', 'metrics-server');
  if (!metrics || !workloadReady(metrics)) k.die(1, 'error: Metrics API not available');
  const rows = [['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']];
  for (const n of nodeObjects()) {
    const memKi = parseInt(n.status.capacity.memory ?? '0', 10);
    rows.push([n.metadata.name, '250m', '12%', `${Math.round(memKi * 0.45 / 1024)}Mi`, '45%']);
  }
  process.stdout.write(table(rows));
}

// kubectl diff: exit 0 when the live objects already match, 1 (with a diff) when not.
function cmdDiff() {
  let differs = false;
  for (const [source, text] of inputs) {
    for (const o of parseDocs(source, text)) {
      const ki = KINDS[o.kind];
      if (!ki) k.die(2, `error: resource mapping not found for name: "${o.metadata?.name ?? ''}": no matches for kind "${o.kind}" in version "${o.apiVersion}"`);
      const ns = ki[3] ? (o.metadata.namespace ?? namespace()) : undefined;
      const existing = getObj(o.kind, ns, o.metadata.name);
      const wanted = structuredClone(o);
      if (ns) wanted.metadata.namespace = ns;
      if (!existing || strip(existing) !== strip(wanted)) {
        differs = true;
        process.stdout.write(`diff -u -N /tmp/LIVE/${resName(o.kind)}.${o.metadata.name} /tmp/MERGED/${resName(o.kind)}.${o.metadata.name}\n`);
      }
    }
  }
  process.exit(differs ? 1 : 0);
}

switch (verb) {
  case 'diff': cmdDiff(); break;
  case 'get': cmdGet(); break;
  case 'apply': cmdWrite('apply'); break;
  case 'replace': cmdWrite('replace'); break;
  case 'create': cmdCreate(); break;
  case 'delete': cmdDelete(); break;
  case 'patch': cmdPatch(); break;
  case 'label': cmdLabel('labels'); break;
  case 'annotate': cmdLabel('annotations'); break;
  case 'taint': cmdTaint(); break;
  case 'cordon': cmdCordon(true); break;
  case 'uncordon': cmdCordon(false); break;
  case 'drain': cmdDrain(); break;
  case 'wait': cmdWait(); break;
  case 'rollout': cmdRollout(); break;
  case 'run': case 'exec': cmdRunOrExec(); break;
  case 'top': cmdTop(); break;
  case 'logs': cmdLogs(); break;
  case 'cluster-info':
    process.stdout.write(`Kubernetes control plane is running at https://${c.endpoint}\nCoreDNS is running at https://${c.endpoint}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
    break;
  default: k.die(1, `harness: kubectl ${verb ?? ''} is not covered by the test double`);
}
