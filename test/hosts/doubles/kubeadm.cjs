'use strict';
// kubeadm double: init / join / reset / token / version / config, with the real preflight
// checks that matter on small VPSes (NumCPU, Mem, Swap, CRI, ip_forward, files in use).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const YAML = require('yaml');
const k8sYaml = require('./k8s-yaml.cjs');
const k = require('./k8s-common.cjs');

const args = process.argv.slice(2);
const opt = {};
const positional = [];
const VALUE_FLAGS = new Set(['config', 'ignore-preflight-errors', 'node-name', 'apiserver-advertise-address',
  'control-plane-endpoint', 'pod-network-cidr', 'service-cidr', 'token', 'discovery-token-ca-cert-hash', 'ttl',
  'kubeconfig', 'cri-socket', 'skip-phases', 'kubernetes-version', 'certificate-key', 'o', 'output', 'v',
  'apiserver-bind-port', 'description', 'usages', 'groups', 'image-repository', 'patches']);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const m = /^--?([^=]+)(?:=(.*))?$/.exec(a);
  if (!m) { positional.push(a); continue; }
  const name = m[1];
  if (m[2] !== undefined) opt[name] = m[2];
  else if (VALUE_FLAGS.has(name) && i + 1 < args.length) opt[name] = args[++i];
  else opt[name] = true;
}

// Read stdin only when the arguments say so; keep config file contents for the recording.
const extra = {};
let configText;
if (opt.config === '-' || opt.config === '/dev/stdin') { configText = k.readStdin(); extra.stdin = configText; }
else if (typeof opt.config === 'string') {
  try { configText = fs.readFileSync(opt.config, 'utf8'); extra.files = { [opt.config]: configText }; } catch { /* reported below */ }
}
k.begin('kubeadm', args, extra);

const version = k.k8sVersion('kubeadm');
if (!version) k.die(127, 'bash: kubeadm: command not found');
const minor = Number(version.split('.')[1]);

// ---- config documents
const docs = {};
if (opt.config !== undefined) {
  if (configText === undefined) k.die(1, `unable to read config from "${opt.config}" : open ${opt.config}: no such file or directory`);
  // Read as kubeadm reads it (go-yaml, YAML 1.1): a node named `on` unquoted is a boolean.
  const parsed = k8sYaml.parseStream(configText);
  if (parsed.error) k.die(1, `error converting YAML to JSON: ${parsed.error}`);
  parsed.docs.forEach((obj, index) => {
    if (!obj || !obj.kind) return;
    const api = String(obj.apiVersion ?? '');
    if (/^kubeadm\.k8s\.io\//.test(api) && !['kubeadm.k8s.io/v1beta4', 'kubeadm.k8s.io/v1beta3'].includes(api)) {
      k.die(1, `no kind "${obj.kind}" is registered for version "${api}" in scheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"`);
    }
    if (api === 'kubeadm.k8s.io/v1beta3') process.stderr.write(`W0826 10:00:00.000000    1234 common.go:101] your configuration file uses a deprecated API spec: "kubeadm.k8s.io/v1beta3" (kind: "${obj.kind}"). Please use 'kubeadm config migrate --old-config old-config-file --new-config new-config-file', which will write the new, similar spec using a newer API version.\n`);
    docs[obj.kind] = { obj, text: parsed.texts[index].replace(/^---\n/, '') };
  });
  // v1beta4 turned extraArgs into lists of {name, value}: a map is a strict decoding error.
  const check = (v, where) => {
    if (v !== undefined && !Array.isArray(v) && docs.ClusterConfiguration?.obj.apiVersion !== 'kubeadm.k8s.io/v1beta3') {
      k.die(1, `error unmarshaling configuration schema.GroupVersionKind{Group:"kubeadm.k8s.io", Version:"v1beta4", Kind:"${where.split('.')[0]}"}: json: cannot unmarshal object into Go struct field ${where} of type []v1beta4.Arg`);
    }
  };
  const cc = docs.ClusterConfiguration?.obj;
  if (cc) for (const c of ['apiServer', 'controllerManager', 'scheduler']) check(cc[c]?.extraArgs, `ClusterConfiguration.${c}.extraArgs`);
  if (cc?.etcd?.local) check(cc.etcd.local.extraArgs, 'ClusterConfiguration.etcd.local.extraArgs');
  for (const kind of ['InitConfiguration', 'JoinConfiguration']) check(docs[kind]?.obj.nodeRegistration?.kubeletExtraArgs, `${kind}.nodeRegistration.kubeletExtraArgs`);
}
const nodeReg = (docs.InitConfiguration ?? docs.JoinConfiguration)?.obj.nodeRegistration ?? {};
if (nodeReg.name !== undefined && typeof nodeReg.name !== 'string') {
  // Typed decoding, as the real kubeadm does after go-yaml: an unquoted `on` or `012` is no name.
  k.die(1, `json: cannot unmarshal ${typeof nodeReg.name === 'boolean' ? 'bool' : 'number'} into Go struct field NodeRegistrationOptions.nodeRegistration.name of type string`);
}
const ignored = new Set([...String(opt['ignore-preflight-errors'] ?? '').split(','), ...(nodeReg.ignorePreflightErrors ?? [])]
  .map((s) => s.trim().toLowerCase()).filter(Boolean));
const nodeName = String(opt['node-name'] ?? nodeReg.name ?? os.hostname()).toLowerCase();

function needRoot() {
  if (!k.isRoot()) preflightFail([['IsPrivilegedUser', 'user is not running as root']]);
}
function preflightFail(errors) {
  k.die(1, `error execution phase preflight: [preflight] Some fatal errors occurred:\n${errors.map(([n, m]) => `\t[ERROR ${n}]: ${m}`).join('\n')}\n[preflight] If you know what you are doing, you can make a check non-fatal with \`--ignore-preflight-errors=...\`\nTo see the stack trace of this error execute with --v=5 or higher`);
}
const unitActive = (u) => fs.existsSync(`${k.STATE}/systemd/${u}.active`);
const exists = (p) => fs.existsSync(p);

/** Checks shared by init and join; returns [name, message] errors, prints ignored ones as warnings. */
function preflight(checks) {
  process.stdout.write('[preflight] Running pre-flight checks\n');
  const errors = [];
  for (const [name, msg] of checks) {
    if (ignored.has('all') || ignored.has(name.toLowerCase())) process.stderr.write(`\t[WARNING ${name}]: ${msg}\n`);
    else errors.push([name, msg]);
  }
  if (errors.length) preflightFail(errors);
}
const swapOn = k.swapOn;
function nodeChecks() {
  const c = [];
  const cfg = exists('/etc/containerd/config.toml') ? fs.readFileSync('/etc/containerd/config.toml', 'utf8') : '';
  if (!unitActive('containerd')) c.push(['CRI', 'could not connect to the container runtime: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /var/run/containerd/containerd.sock: connect: no such file or directory"']);
  else if (/^\s*disabled_plugins\s*=\s*\[[^\]]*"cri"/m.test(cfg)) c.push(['CRI', 'container runtime is not running: output: time="2026-08-26T10:00:00Z" level=fatal msg="validate service connection: validate CRI v1 runtime API for endpoint \\"unix:///var/run/containerd/containerd.sock\\": rpc error: code = Unimplemented desc = unknown service runtime.v1.RuntimeService"']);
  // ContainerRuntimeVersion (kubeadm 1.35+): a runtime without the CRI RuntimeConfig call
  // (containerd 1.x) is a warning up to kubeadm 1.37 and an error from 1.38 (kubernetes#134906, #135923).
  const runtime = k.pkgVersion('containerd.io') || k.pkgVersion('containerd');
  if (runtime && Number(runtime.split('.')[0]) < 2 && unitActive('containerd')) {
    const msg = `the container runtime containerd ${runtime.split('-')[0]} does not support the RuntimeConfig gRPC method; the kubelet ${minor >= 38 ? 'refuses' : 'will refuse'} to start with it from Kubernetes 1.38. Upgrade the container runtime to containerd v2.0 or later`;
    if (minor >= 38) c.push(['ContainerRuntimeVersion', msg]);
    else process.stderr.write(`\t[WARNING ContainerRuntimeVersion]: ${msg}\n`);
  }
  if (!k.pkgVersion('cri-tools')) c.push(['FileExisting-crictl', 'crictl not found in system path']);
  if (!k.pkgVersion('kubelet')) c.push(['KubeletVersion', 'couldn\'t get kubelet version: cannot execute \'kubelet --version\': executable file not found in $PATH']);
  if (fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() !== '1') c.push(['FileContent--proc-sys-net-ipv4-ip_forward', '/proc/sys/net/ipv4/ip_forward contents are not set to 1']);
  // A warning only since kubeadm 1.23 (kubernetes/kubernetes#104854; wording of #125157): the kubelet
  // itself refuses to start with swap on unless failSwapOn is false (see kubeletStarts).
  if (swapOn()) process.stderr.write('\t[WARNING Swap]: swap is supported for cgroup v2 only. The kubelet must be properly configured to use swap. Please refer to https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory, or disable swap on the node\n');
  if (!exists(`${k.STATE}/systemd/kubelet.enabled`)) process.stderr.write('\t[WARNING Service-Kubelet]: kubelet service is not enabled, please run \'systemctl enable kubelet.service\'\n');
  return c;
}

function cpus() { return k.availableCpus(); }
function memMb() { return Math.floor(Number(/MemTotal:\s+(\d+)/.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024); }
/** Node capacity and allocatable memory from the kubelet config (reservations + hard eviction). */
const capacity = (kubeletText) => k.nodeCapacity(kubeletText);
function resolvFiles() {
  const out = {};
  for (const f of ['/etc/resolv.conf', '/run/systemd/resolve/resolv.conf']) { try { out[f] = fs.readFileSync(f, 'utf8'); } catch { /* absent */ } }
  return out;
}
function osImage() { return /PRETTY_NAME="([^"]*)"/.exec(fs.readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux'; }
function resolvedActive() { return unitActive('systemd-resolved'); }

function writeFile(p, text, mode = 0o644) {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text, { mode });
  fs.chmodSync(p, mode);
}

/**
 * The control plane's certificates as kubeadm init writes them, made with the real openssl so
 * that anything reading them (openssl x509 -enddate) sees real dates: CAs for 10 years, the rest
 * for one year (kubeadm's validity periods). EC P-256 and self-signed: only the dates, subjects
 * and file names match kubeadm's; nothing here verifies a chain.
 */
const PKI_FILES = [
  ['ca', 'kubernetes', 3650], ['front-proxy-ca', 'front-proxy-ca', 3650], ['etcd/ca', 'etcd-ca', 3650],
  ['apiserver', 'kube-apiserver', 365], ['apiserver-kubelet-client', 'kube-apiserver-kubelet-client', 365],
  ['apiserver-etcd-client', 'kube-apiserver-etcd-client', 365], ['front-proxy-client', 'front-proxy-client', 365],
  ['etcd/server', 'etcd-server', 365], ['etcd/peer', 'etcd-peer', 365], ['etcd/healthcheck-client', 'kube-etcd-healthcheck-client', 365],
];
function writeCertificates() {
  fs.mkdirSync('/etc/kubernetes/pki/etcd', { recursive: true });
  const script = PKI_FILES.map(([file, cn, days]) =>
    `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout /etc/kubernetes/pki/${file}.key -out /etc/kubernetes/pki/${file}.crt -days ${days} -subj /CN=${cn} 2>/dev/null || exit 1`).join('\n');
  const r = require('node:child_process').spawnSync('bash', ['-c', `umask 077\n${script}\nchmod 644 /etc/kubernetes/pki/*.crt /etc/kubernetes/pki/etcd/*.crt`], { encoding: 'utf8' });
  if (r.status !== 0) k.die(1, `harness: openssl could not make the fake control plane's certificates: ${r.stderr}`);
}

/**
 * The control plane's processes, as the kubelet would start them from the static pod manifests:
 * tiny stand-ins (sleep, under the component's name, so `ps` and /proc/PID/comm show
 * kube-apiserver ...) that live in the host's namespace until kubeadm reset or the host's end.
 */
const COMPONENTS = ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler'];
const PROC_DIR = `${k.STATE}/processes`;
function componentPids() {
  const out = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    let comm = '';
    try { comm = fs.readFileSync(`/proc/${e}/comm`, 'utf8').trim(); } catch { continue; }
    if (COMPONENTS.some((c) => c.slice(0, 15) === comm)) out.push(Number(e));
  }
  return out;
}
function startComponents() {
  if (componentPids().length > 0) return;
  fs.mkdirSync(PROC_DIR, { recursive: true });
  const sleep = fs.existsSync('/usr/bin/sleep') ? '/usr/bin/sleep' : '/bin/sleep';
  for (const comp of COMPONENTS) {
    const link = path.join(PROC_DIR, comp);
    try { fs.rmSync(link, { force: true }); fs.symlinkSync(sleep, link); } catch { /* kept */ }
    require('node:child_process').spawn(link, ['infinity'], { detached: true, stdio: 'ignore' }).unref();
  }
}
function stopComponents() {
  for (const pid of componentPids()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
}

function kubeletConfigText(doc) {
  let text = doc?.text ?? 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\n';
  if (!/^\s*resolvConf:/m.test(text) && resolvedActive()) {
    // kubeadm's own default when systemd-resolved is active
    text = `${text.replace(/\n*$/, '\n')}resolvConf: /run/systemd/resolve/resolv.conf\n`;
  }
  return text;
}

// ---- kubeadm's patches directory: files named target[suffix][+patchtype].(yaml|json), applied in
// alphanumeric order to the kubelet configuration, the static pod manifests and CoreDNS.
const PATCH_TARGETS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kubeletconfiguration', 'corednsdeployment'];
function patchDir() {
  return opt.patches ?? (docs.InitConfiguration ?? docs.JoinConfiguration)?.obj.patches?.directory;
}
function patchesFor(target) {
  const dir = patchDir();
  if (!dir) return [];
  let files = [];
  try { files = fs.readdirSync(dir).sort(); } catch { k.die(1, `could not list patch files for path "${dir}": open ${dir}: no such file or directory`); }
  const out = [];
  for (const f of files) {
    // target[suffix][+patchtype].extension, the target being one of the known names.
    const known = PATCH_TARGETS.filter((t) => f.startsWith(t)).sort((a, b) => b.length - a.length)[0];
    const m = known && /^([^+.]*)(?:\+(strategic|merge|json))?\.(yaml|yml|json)$/.exec(f.slice(known.length));
    if (!m || known !== target) continue;
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    let patch;
    try { patch = YAML.parse(text); } catch (e) { k.die(1, `could not parse patch file "${f}": ${e.message}`); }
    out.push({ file: f, type: m[2] ?? 'strategic', patch });
  }
  return out;
}
function applyPatches(target, obj) {
  let cur = obj;
  for (const { file, type, patch } of patchesFor(target)) {
    process.stdout.write(`[patches] Applied patch of type "application/${type === 'json' ? 'json-patch' : type === 'merge' ? 'merge-patch' : 'strategic-merge-patch'}+json" to target "${target}"\n`);
    if (type === 'json') k.die(1, `harness: json patches (${file}) are not covered by the test double`);
    cur = type === 'merge' ? k.mergePatch(cur, patch) : k.strategicMerge(cur, patch);
  }
  return cur;
}
/** The kubelet configuration as written to /var/lib/kubelet/config.yaml: the base text with the kubeletconfiguration patches. */
function patchedKubeletText(baseText) {
  const patches = patchesFor('kubeletconfiguration');
  if (patches.length === 0) return baseText;
  let obj = {};
  try { obj = YAML.parse(baseText) ?? {}; } catch { /* keep */ }
  return YAML.stringify(applyPatches('kubeletconfiguration', obj));
}
/** The kubelet does not start with swap on unless its configuration says failSwapOn: false. */
function kubeletStarts(kubeletText) {
  fs.rmSync(`${k.STATE}/systemd/kubelet.crashloop`, { force: true });
  if (k.kubeletWouldStart(kubeletText)) return;
  fs.rmSync(`${k.STATE}/systemd/kubelet.active`, { force: true });
  process.stdout.write('[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s\n[kubelet-check] The kubelet is not healthy after 4m0.000s\n\nUnfortunately, an error has occurred, likely caused by:\n\t- The kubelet is not running\n\t- The kubelet is unhealthy due to a misconfiguration of the node in some way (required cgroups disabled)\n');
  k.die(1, 'error execution phase kubelet-start: The HTTP call equal to \'curl -sSL http://127.0.0.1:10248/healthz\' returned error: Get "http://127.0.0.1:10248/healthz": dial tcp 127.0.0.1:10248: connect: connection refused\n(journalctl -u kubelet: "command failed" err="failed to run Kubelet: running with swap on is not supported, please disable swap or set --fail-swap-on flag to false")\nTo see the stack trace of this error execute with --v=5 or higher');
}

// Static pod manifests as kubeadm writes them (requests: kubeadm's defaults), then patched.
const STATIC_REQUESTS = { etcd: { cpu: '100m', memory: '100Mi' }, 'kube-apiserver': { cpu: '250m' }, 'kube-controller-manager': { cpu: '200m' }, 'kube-scheduler': { cpu: '100m' } };
const EXTRA_KEY = { 'kube-apiserver': 'apiServer', 'kube-controller-manager': 'controllerManager', 'kube-scheduler': 'scheduler' };
/** A component's command and host-path volumes as kubeadm builds them: its flags plus ClusterConfiguration's extraArgs / extraVolumes. */
function componentArgs(comp) {
  const section = docs.ClusterConfiguration?.obj?.[EXTRA_KEY[comp]] ?? {};
  const extra = Array.isArray(section.extraArgs) ? section.extraArgs : [];
  const volumes = Array.isArray(section.extraVolumes) ? section.extraVolumes : [];
  return { command: [comp, ...extra.map((a) => `--${a.name}=${a.value}`)], volumes };
}
const ETCD_IMAGE = 'registry.k8s.io/etcd:3.6.4-0';
function staticPod(comp, imageVersion = version) {
  const image = comp === 'etcd' ? ETCD_IMAGE : `registry.k8s.io/${comp}:${imageVersion}`;
  const { command, volumes } = comp === 'etcd' ? { command: ['etcd'], volumes: [] } : componentArgs(comp);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: comp, namespace: 'kube-system', labels: { component: comp, tier: 'control-plane' } }, spec: { priorityClassName: 'system-node-critical', hostNetwork: true, containers: [{ name: comp, image, command, resources: { requests: { ...STATIC_REQUESTS[comp] } }, volumeMounts: volumes.map((v) => ({ name: v.name, mountPath: v.mountPath, readOnly: v.readOnly === true })) }], volumes: volumes.map((v) => ({ name: v.name, hostPath: { path: v.hostPath, type: v.pathType ?? '' } })) } };
  return applyPatches(comp, pod);
}

/**
 * kube-apiserver's --encryption-provider-config, as the real API server reads it at start: the file
 * must be inside one of its host-path mounts and be an EncryptionConfiguration; otherwise the API
 * server exits and the control plane never becomes healthy. Returns what new Secrets are written
 * with ({ provider, key }), or undefined without the flag or with identity first.
 */
function apiServerEncryption(pod) {
  const container = pod.spec.containers[0];
  const flag = (container.command ?? []).find((a) => a.startsWith('--encryption-provider-config='));
  if (!flag) return undefined;
  const file = flag.slice(flag.indexOf('=') + 1);
  const fail = (why) => k.die(1, `[control-plane-check] Checking kube-apiserver at https://127.0.0.1:6443/livez\n[control-plane-check] kube-apiserver is not healthy after 4m0.000581s\n(kube-apiserver exited: ${why})\nerror execution phase wait-control-plane: failed while waiting for the control plane to start: kube-apiserver check failed\nTo see the stack trace of this error execute with --v=5 or higher`);
  const mounted = (pod.spec.volumes ?? []).some((v) => v.hostPath && (file === v.hostPath.path || file.startsWith(`${v.hostPath.path.replace(/\/$/, '')}/`)) && (container.volumeMounts ?? []).some((m) => m.name === v.name && m.mountPath === v.hostPath.path));
  if (!mounted) fail(`error while parsing file: open ${file}: no such file or directory (not mounted into the pod)`);
  let cfg;
  try { cfg = YAML.parse(fs.readFileSync(file, 'utf8')); } catch (e) { fail(`error while parsing file: ${e.code === 'ENOENT' ? `open ${file}: no such file or directory` : e.message}`); }
  if (cfg?.kind !== 'EncryptionConfiguration' || cfg?.apiVersion !== 'apiserver.config.k8s.io/v1') fail(`error while parsing file: no kind "${cfg?.kind}" is registered for version "${cfg?.apiVersion}"`);
  const providers = cfg.resources?.find((r) => (r.resources ?? []).includes('secrets'))?.providers ?? [];
  const first = providers[0] ?? { identity: {} };
  const [type, conf] = Object.entries(first)[0] ?? ['identity', {}];
  if (type === 'identity') return undefined;
  for (const key of conf.keys ?? []) {
    const bytes = Buffer.from(String(key.secret ?? ''), 'base64');
    if (type === 'secretbox' && bytes.length !== 32) fail(`secretbox key ${key.name}: expected 32 bytes, got ${bytes.length}`);
  }
  return { provider: type, key: conf.keys?.[0]?.name };
}

/** Writes a control-plane component's manifest; for kube-apiserver also the cluster's encryption state. */
function writeComponent(c, comp) {
  const pod = staticPod(comp);
  const encryption = comp === 'kube-apiserver' ? (apiServerEncryption(pod) ?? null) : undefined;
  if (encryption !== undefined && c) {
    const cj = k.readJson(path.join(c.dir, 'cluster.json'), {});
    cj.encryption = encryption;
    k.writeJson(path.join(c.dir, 'cluster.json'), cj);
  }
  writeFile(`/etc/kubernetes/manifests/${comp}.yaml`, YAML.stringify(pod), 0o600);
  return { pod, encryption };
}
/** kubeadm's CoreDNS Deployment (2 replicas, 70Mi request, 170Mi limit, control-plane toleration), then patched. */
function corednsDeployment() {
  const d = obj('Deployment', 'apps/v1', 'kube-system', 'coredns', {
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
          affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' } }] } },
          containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.1', resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } } }],
        },
      },
    },
  });
  return applyPatches('corednsdeployment', d);
}

function corefile() {
  return '.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30 {\n       disable success cluster.local\n       disable denial cluster.local\n    }\n    loop\n    reload\n    loadbalance\n}\n';
}

function obj(kind, apiVersion, ns, name, rest = {}) {
  return { apiVersion, kind, metadata: { name, ...(ns ? { namespace: ns } : {}), uid: crypto.randomUUID(), creationTimestamp: new Date().toISOString(), resourceVersion: '1' }, ...rest };
}
function saveObject(c, o) {
  const ns = o.metadata.namespace ?? '_cluster';
  k.writeJson(path.join(c.dir, 'objects', o.kind.toLowerCase(), ns, `${o.metadata.name}.json`), o);
}

function joinCommand(c, token) {
  return `kubeadm join ${c.endpoint} --token ${token} --discovery-token-ca-cert-hash sha256:${c.caHash}`;
}
/** Seconds in a Go duration ("24h0m0s", "15m", "90s"); "0" means never expires. */
function durationSeconds(text) {
  const t = String(text);
  if (t === '0' || t === '0s') return 0;
  if (!/^(\d+h)?(\d+m)?(\d+s)?$/.test(t) || t === '') k.die(1, `invalid argument "${t}" for "--ttl" flag: time: invalid duration "${t}"`);
  let secs = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([hms])/g)) secs += Number(n) * { h: 3600, m: 60, s: 1 }[unit];
  return secs;
}
function mintToken(c, token = k.newToken(), ttl = '24h0m0s', description = '') {
  const secs = durationSeconds(ttl);
  k.writeJson(path.join(c.dir, 'tokens', `${token.split('.')[0]}.json`), { token, expires: secs ? Date.now() + secs * 1000 : 0, description });
  return token;
}
/** kubeadm's short human duration (k8s.io/apimachinery duration.ShortHumanDuration). */
function shortDuration(ms) {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${Math.max(0, s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
/** The node's InternalIP: the kubelet's --node-ip, else the default route's address. */
function nodeIp(reg) {
  const arg = (reg?.kubeletExtraArgs ?? []).find((a) => a && a.name === 'node-ip');
  return arg ? String(arg.value) : k.defaultIPv4();
}
const runtimeVersion = () => (k.pkgVersion('containerd.io') || k.pkgVersion('containerd')).split('-')[0];
/** The cluster this control plane's admin.conf points at. */
function ownCluster() {
  if (!exists('/etc/kubernetes/admin.conf')) k.die(1, 'failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: no such file or directory\nTo see the stack trace of this error execute with --v=5 or higher');
  const s = k.serverOf(fs.readFileSync('/etc/kubernetes/admin.conf', 'utf8'));
  const dialed = s ? k.dialCluster(s.host, s.port) : { error: 'no server in admin.conf' };
  if (!dialed.c) k.die(1, `failed to create API client: Get "${s?.url}/api/v1/namespaces/kube-system/secrets": ${dialed.error}`);
  return dialed.c;
}

function init() {
  needRoot();
  const cc = docs.ClusterConfiguration?.obj ?? {};
  const ic = docs.InitConfiguration?.obj ?? {};
  const kubeletDoc = docs.KubeletConfiguration?.obj;
  // Unset, kubeadm advertises the default route interface's address.
  const advertise = String(opt['apiserver-advertise-address'] ?? ic.localAPIEndpoint?.advertiseAddress ?? k.defaultIPv4());
  const cpe = String(opt['control-plane-endpoint'] ?? cc.controlPlaneEndpoint ?? `${advertise}:6443`);
  const endpoint = cpe.includes(':') ? cpe : `${cpe}:6443`;
  const kver = String(opt['kubernetes-version'] ?? cc.kubernetesVersion ?? version);
  process.stdout.write(`[init] Using Kubernetes version: ${kver.startsWith('v') ? kver : `v${kver}`}\n`);
  const checks = [];
  if (cpus() < 2) checks.push(['NumCPU', `the number of available CPUs ${cpus()} is less than the required 2`]);
  if (memMb() < 1700) checks.push(['Mem', `the system RAM (${memMb()} MB) is less than the minimum 1700 MB`]);
  if (exists('/etc/kubernetes/manifests/kube-apiserver.yaml')) {
    checks.push(['Port-6443', 'Port 6443 is in use']);
    checks.push(['FileAvailable--etc-kubernetes-manifests-kube-apiserver.yaml', '/etc/kubernetes/manifests/kube-apiserver.yaml already exists']);
  }
  if (exists('/etc/kubernetes/kubelet.conf') && !exists('/etc/kubernetes/manifests/kube-apiserver.yaml')) checks.push(['Port-10250', 'Port 10250 is in use']);
  let etcd = [];
  try { etcd = fs.readdirSync('/var/lib/etcd'); } catch { /* absent */ }
  if (etcd.length) checks.push(['DirAvailable--var-lib-etcd', '/var/lib/etcd is not empty']);
  preflight([...checks, ...nodeChecks()]);

  const kubeletText = patchedKubeletText(kubeletConfigText(docs.KubeletConfiguration));
  const clusterKubeletText = kubeletConfigText(docs.KubeletConfiguration);
  const server = `https://${endpoint}`;
  process.stdout.write('[certs] Using certificateDir folder "/etc/kubernetes/pki"\n');
  writeCertificates();
  writeFile('/etc/kubernetes/pki/sa.pub', 'fake public key\n');
  writeFile('/etc/kubernetes/pki/sa.key', 'fake key\n', 0o600);
  writeExpiry(newExpiry());
  for (const [f, user] of [['admin.conf', 'kubernetes-admin'], ['super-admin.conf', 'kubernetes-super-admin'], ['kubelet.conf', `system:node:${nodeName}`], ['controller-manager.conf', 'system:kube-controller-manager'], ['scheduler.conf', 'system:kube-scheduler']]) {
    process.stdout.write(`[kubeconfig] Writing "${f}" kubeconfig file\n`);
    writeFile(`/etc/kubernetes/${f}`, k.kubeconfig(server, user), 0o600);
  }
  process.stdout.write('[etcd] Creating static Pod manifest for local etcd in "/etc/kubernetes/manifests"\n');
  const staticPodRequestsMi = {};
  const staticPodCommands = {};
  let encryption = null;
  for (const comp of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
    process.stdout.write(`[control-plane] Creating static Pod manifest for "${comp}"\n`);
    const { pod, encryption: enc } = writeComponent(undefined, comp);
    if (comp === 'kube-apiserver') encryption = enc;
    staticPodRequestsMi[comp] = k.quantityMi(pod.spec.containers[0].resources?.requests?.memory);
    staticPodCommands[comp] = pod.spec.containers[0].command;
  }
  fs.mkdirSync('/var/lib/etcd/member', { recursive: true, mode: 0o700 });
  process.stdout.write('[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"\n');
  writeFile('/var/lib/kubelet/config.yaml', kubeletText);
  writeFile('/var/lib/kubelet/kubeadm-flags.env', 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10"\n');
  fs.writeFileSync(`${k.STATE}/systemd/kubelet.active`, '');
  kubeletStarts(kubeletText);
  if (!k.isLocalAddress(advertise)) {
    // etcd and kube-apiserver bind the advertise address; on a NAT'd VPS the public address is on
    // no interface, so etcd exits ("bind: cannot assign requested address") and the wait times out.
    k.die(1, `[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory "/etc/kubernetes/manifests"\n[kubelet-check] The kubelet is healthy after 501.62ms\n[control-plane-check] Waiting for healthy control plane components. This can take up to 4m0s\n[control-plane-check] Checking kube-apiserver at https://${advertise}:6443/livez\n[control-plane-check] kube-apiserver is not healthy after 4m0.000581s\n\nA control plane component may have crashed or exited when started by the container runtime.\nTo troubleshoot, list all containers using your preferred container runtimes CLI.\nHere is one example how you may list all running Kubernetes containers by using crictl:\n\t- 'crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock ps -a | grep kube | grep -v pause'\n\tOnce you have found the failing container, you can inspect its logs with:\n\t- 'crictl --runtime-endpoint unix:///var/run/containerd/containerd.sock logs CONTAINERID'\n\nerror execution phase wait-control-plane: failed while waiting for the control plane to start: kube-apiserver check failed at https://${advertise}:6443/livez: Get "https://${advertise}:6443/livez?timeout=10s": dial tcp ${advertise}:6443: connect: connection refused\nTo see the stack trace of this error execute with --v=5 or higher`);
  }

  startComponents();
  // Shared state, keyed by the host the kubeconfigs point at (an IP or a name), with aliases for
  // the node's public (spec) address and its advertise address. An advertise address that is not
  // the public one is private: only this host reaches it (see k.dialCluster).
  const host = endpoint.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  fs.rmSync(k.clusterDir(host), { recursive: true, force: true });
  const aliases = [...new Set([k.ADDR, advertise])].filter((a) => a !== host);
  const privateAddresses = advertise !== k.ADDR ? [advertise] : [];
  const c = { dir: k.clusterDir(host), endpoint, host: k.HOST, address: k.ADDR, aliases, privateAddresses, caHash: crypto.randomBytes(32).toString('hex'), version, createdAt: new Date().toISOString(), podSubnet: opt['pod-network-cidr'] ?? cc.networking?.podSubnet ?? '', resolvFiles: resolvFiles(), encryption };
  k.writeJson(path.join(c.dir, 'cluster.json'), { ...c, dir: undefined });
  for (const alias of aliases) { fs.rmSync(k.clusterDir(alias), { recursive: true, force: true }); fs.symlinkSync(host, k.clusterDir(alias)); }
  // nodeRegistration.taints as kubeadm reads it: a list (empty: none) is used as given; left out
  // or null, the control-plane taint.
  const initTaints = Array.isArray(ic.nodeRegistration?.taints) ? ic.nodeRegistration.taints : [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }];
  k.saveNode(c, { name: nodeName, host: k.HOST, address: nodeIp(ic.nodeRegistration), containerd: runtimeVersion(), version, kubeletUp: true, createdAt: c.createdAt, unschedulable: false, taints: initTaints, labels: { 'node-role.kubernetes.io/control-plane': '' }, osImage: osImage(), staticPodRequestsMi, staticPodCommands, ...capacity(kubeletText) });
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) saveObject(c, obj('Namespace', 'v1', undefined, ns, { status: { phase: 'Active' } }));
  saveObject(c, obj('ConfigMap', 'v1', 'kube-system', 'coredns', { data: { Corefile: corefile() } }));
  saveObject(c, obj('ConfigMap', 'v1', 'kube-system', 'kubeadm-config', { data: { ClusterConfiguration: docs.ClusterConfiguration?.text ?? `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: ${version}\n` } }));
  // The cluster-wide kubelet-config ConfigMap holds the KubeletConfiguration as given, without this node's patches.
  saveObject(c, obj('ConfigMap', 'v1', 'kube-system', 'kubelet-config', { data: { kubelet: clusterKubeletText } }));
  saveObject(c, corednsDeployment());
  saveObject(c, obj('DaemonSet', 'apps/v1', 'kube-system', 'kube-proxy', { spec: { selector: { matchLabels: { 'k8s-app': 'kube-proxy' } } } }));
  saveObject(c, obj('Service', 'v1', 'kube-system', 'kube-dns', { spec: { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] } }));
  saveObject(c, obj('Service', 'v1', 'default', 'kubernetes', { spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } }));
  // No bootstrapTokens (or an empty list): kubeadm's default, one token valid 24h.
  const configured = ic.bootstrapTokens?.length ? ic.bootstrapTokens : [{}];
  let token;
  for (const t of configured) {
    const minted = mintToken(c, t.token ?? k.newToken(), t.ttl ?? '24h0m0s', t.description ?? '');
    token ??= minted;
  }
  process.stdout.write(`[mark-control-plane] Marking the node ${nodeName} as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]\n${initTaints.length > 0 ? `[mark-control-plane] Marking the node ${nodeName} as control-plane by adding the taints [${initTaints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(' ')}]\n` : ''}[bootstrap-token] Using token: ${token}\n[addons] Applied essential addon: CoreDNS\n[addons] Applied essential addon: kube-proxy\n\nYour Kubernetes control-plane has initialized successfully!\n\nTo start using your cluster, you need to run the following as a regular user:\n\n  mkdir -p $HOME/.kube\n  sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config\n  sudo chown $(id -u):$(id -g) $HOME/.kube/config\n\nAlternatively, if you are the root user, you can run:\n\n  export KUBECONFIG=/etc/kubernetes/admin.conf\n\nYou should now deploy a pod network to the cluster.\nRun "kubectl apply -f [podnetwork].yaml" with one of the options listed at:\n  https://kubernetes.io/docs/concepts/cluster-administration/addons/\n\nThen you can join any number of worker nodes by running the following on each as root:\n\n${joinCommand(c, token).replace(' --discovery', ' \\\n\t--discovery')} \n`);
}

function join() {
  needRoot();
  const jc = docs.JoinConfiguration?.obj ?? {};
  const bt = jc.discovery?.bootstrapToken ?? {};
  const endpoint = String(positional[1] ?? bt.apiServerEndpoint ?? '');
  const token = String(opt.token ?? bt.token ?? jc.discovery?.tlsBootstrapToken ?? '');
  const hashes = [opt['discovery-token-ca-cert-hash'], ...(bt.caCertHashes ?? [])].filter(Boolean).map(String);
  const skipCa = opt['discovery-token-unsafe-skip-ca-verification'] === true || bt.unsafeSkipCAVerification === true;
  const checks = [];
  if (exists('/etc/kubernetes/kubelet.conf')) checks.push(['FileAvailable--etc-kubernetes-kubelet.conf', '/etc/kubernetes/kubelet.conf already exists']);
  if (exists('/etc/kubernetes/pki/ca.crt')) checks.push(['FileAvailable--etc-kubernetes-pki-ca.crt', '/etc/kubernetes/pki/ca.crt already exists']);
  preflight([...checks, ...nodeChecks()]);
  if (!endpoint) k.die(1, 'discovery.bootstrapToken.apiServerEndpoint: Invalid value: "": the API server endpoint is required');
  if (!hashes.length && !skipCa) k.die(1, 'discovery.bootstrapToken: Invalid value: "": using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue');
  if (!/^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(token)) k.die(1, `[discovery] the bootstrap token "${token}" was not of the form "^([a-z0-9]{6})\\.([a-z0-9]{16})$"`);
  const host = endpoint.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const dialed = k.dialCluster(host, /:(\d+)$/.exec(endpoint)?.[1] ?? '6443');
  if (!dialed.c) k.die(1, `error execution phase preflight: couldn't validate the identity of the API Server: failed to request the cluster-info ConfigMap: Get "https://${endpoint}/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s": ${dialed.error}\nTo see the stack trace of this error execute with --v=5 or higher`);
  const c = dialed.c;
  const id = token.split('.')[0];
  const t = k.readJson(path.join(c.dir, 'tokens', `${id}.json`), undefined);
  if (!t || t.token !== token || (t.expires && t.expires < Date.now())) k.die(1, `error execution phase preflight: couldn't validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID "${id}"\nTo see the stack trace of this error execute with --v=5 or higher`);
  if (!skipCa && !hashes.includes(`sha256:${c.caHash}`)) k.die(1, `error execution phase preflight: couldn't validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "sha256:${c.caHash}" are pinned\nTo see the stack trace of this error execute with --v=5 or higher`);
  const existing = k.nodes(c).find((n) => n.name === nodeName);
  if (existing && k.nodeReady(c, existing)) k.die(1, `error execution phase kubelet-start: a Node with name "${nodeName}" and status "Ready" already exists in the cluster. You must delete the existing Node or change the name of this new joining Node\nTo see the stack trace of this error execute with --v=5 or higher`);
  const kubeletCm = k.readJson(path.join(c.dir, 'objects', 'configmap', 'kube-system', 'kubelet-config.json'), undefined);
  process.stdout.write('[preflight] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\n[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"\n');
  writeFile('/etc/kubernetes/pki/ca.crt', Buffer.from(k.FAKE_CERT, 'base64').toString());
  writeFile('/etc/kubernetes/kubelet.conf', k.kubeconfig(`https://${endpoint}`, `system:node:${nodeName}`), 0o600);
  const kubeletText = patchedKubeletText(kubeletCm?.data?.kubelet ?? kubeletConfigText(undefined));
  writeFile('/var/lib/kubelet/config.yaml', kubeletText);
  fs.mkdirSync('/etc/kubernetes/manifests', { recursive: true });
  fs.writeFileSync(`${k.STATE}/systemd/kubelet.active`, '');
  kubeletStarts(kubeletText);
  const labels = opt['control-plane'] === true ? { 'node-role.kubernetes.io/control-plane': '' } : {};
  k.saveNode(c, { name: nodeName, host: k.HOST, address: nodeIp(jc.nodeRegistration), containerd: runtimeVersion(), version, kubeletUp: true, createdAt: new Date().toISOString(), unschedulable: false, taints: [], labels, osImage: osImage(), ...capacity(kubeletText) });
  process.stdout.write('[kubelet-start] Starting the kubelet\n\nThis node has joined the cluster:\n* Certificate signing request was sent to apiserver and a response was received.\n* The Kubelet was informed of the new secure connection details.\n\nRun \'kubectl get nodes\' on the control-plane to see this node join the cluster.\n\n');
}

function reset() {
  if (!k.isRoot()) preflightFail([['IsPrivilegedUser', 'user is not running as root']]);
  if (opt.f !== true && opt.force !== true) {
    // The real one asks on stdin and blocks until it gets an answer or EOF.
    process.stdout.write('W0826 10:00:00.000000    1234 reset.go:123] [reset] WARNING: Changes made to this host by \'kubeadm init\' or \'kubeadm join\' will be reverted.\n[reset] Are you sure you want to proceed? [y/N]: ');
    const answer = k.readStdin().split('\n')[0].trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') k.die(1, 'error execution phase preflight: won\'t proceed; the user didn\'t answer (Y|n) in order to continue');
  }
  // Shared state: a control plane takes its cluster with it; a worker's Node object stays
  // (NotReady) until someone runs `kubectl delete node`, as on a real cluster.
  let server;
  for (const f of ['/etc/kubernetes/admin.conf', '/etc/kubernetes/kubelet.conf']) {
    if (!server && exists(f)) server = k.serverOf(fs.readFileSync(f, 'utf8'));
  }
  const c = server && k.dialCluster(server.host, server.port).c;
  if (c && c.host === k.HOST) {
    const real = fs.realpathSync(c.dir);
    for (const alias of [k.ADDR, ...(c.aliases ?? [])]) {
      try { if (fs.lstatSync(k.clusterDir(alias)).isSymbolicLink()) fs.rmSync(k.clusterDir(alias)); } catch { /* none */ }
    }
    fs.rmSync(real, { recursive: true, force: true });
  } else if (c) {
    for (const n of k.nodes(c)) if (n.host === k.HOST) k.saveNode(c, { ...n, kubeletUp: false });
  }
  stopComponents();
  fs.rmSync(`${k.STATE}/systemd/kubelet.active`, { force: true });
  const cleared = [];
  for (const d of ['/etc/kubernetes/manifests', '/var/lib/kubelet', '/etc/kubernetes/pki', '/var/lib/etcd']) {
    if (!exists(d)) continue;
    for (const e of fs.readdirSync(d)) fs.rmSync(path.join(d, e), { recursive: true, force: true });
    cleared.push(d);
  }
  const files = ['admin.conf', 'super-admin.conf', 'kubelet.conf', 'bootstrap-kubelet.conf', 'controller-manager.conf', 'scheduler.conf'].map((f) => `/etc/kubernetes/${f}`);
  for (const f of files) fs.rmSync(f, { force: true });
  process.stdout.write(`[preflight] Running pre-flight checks\n[reset] Stopping the kubelet service\n[reset] Unmounting mounted directories in "/var/lib/kubelet"\n[reset] Deleting contents of directories: [${cleared.join(' ')}]\n[reset] Deleting files: [${files.join(' ')}]\n\nThe reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d\n\nThe reset process does not reset or clean up iptables rules or IPVS tables.\n\nThe reset process does not clean your kubeconfig files and you must remove them manually.\nPlease, check the contents of the $HOME/.kube/config file.\n`);
}

/**
 * `kubeadm init phase NAME [SUB] --config F` on a running control plane: control-plane rewrites
 * the components' manifests from the configuration (the kubelet restarts them; the mirror pods'
 * commands follow), upload-config stores the ClusterConfiguration in the kubeadm-config
 * ConfigMap; the other phases hobbykube reruns only re-create what they own (a no-op here).
 */
function initPhase() {
  needRoot();
  const [, , phase, sub = 'all'] = positional;
  const c = ownCluster();
  if (phase === 'control-plane') {
    const comps = sub === 'all' ? ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] : [sub === 'apiserver' ? 'kube-apiserver' : `kube-${sub}`];
    const nodeFile = path.join(c.dir, 'nodes', `${nodeName}.json`);
    const node = k.readJson(nodeFile, undefined);
    for (const comp of comps) {
      process.stdout.write(`[control-plane] Creating static Pod manifest for "${comp}"\n`);
      const { pod } = writeComponent(c, comp);
      if (node) node.staticPodCommands = { ...(node.staticPodCommands ?? {}), [comp]: pod.spec.containers[0].command };
    }
    if (node) k.saveNode(c, node);
  } else if (phase === 'upload-config') {
    if (sub === 'kubeadm' || sub === 'all') {
      process.stdout.write('[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace\n');
      saveObject(c, obj('ConfigMap', 'v1', 'kube-system', 'kubeadm-config', { data: { ClusterConfiguration: docs.ClusterConfiguration?.text ?? '' } }));
    }
    if (sub === 'kubelet' || sub === 'all') process.stdout.write('[kubelet] Creating a ConfigMap "kubelet-config" in namespace kube-system with the configuration for the kubelets in the cluster\n');
  } else if (['mark-control-plane', 'bootstrap-token', 'kubelet-finalize', 'addon'].includes(phase)) {
    process.stdout.write(`[${phase}] done\n`);
  } else k.die(1, `harness: kubeadm init phase ${phase ?? ''} is not covered by the test double`);
}

function token() {
  const sub = positional[1];
  if (!k.isRoot()) k.die(1, 'failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: permission denied');
  const c = ownCluster();
  if (sub === 'create') {
    const t = mintToken(c, positional[2] ?? k.newToken(), String(opt.ttl ?? '24h0m0s'), typeof opt.description === 'string' ? opt.description : '');
    process.stdout.write(opt['print-join-command'] ? `${joinCommand(c, t)} \n` : `${t}\n`);
  } else if (sub === 'list') {
    const dir = path.join(c.dir, 'tokens');
    process.stdout.write('TOKEN                     TTL         EXPIRES                USAGES                   DESCRIPTION   EXTRA GROUPS\n');
    for (const f of fs.readdirSync(dir)) {
      const t = k.readJson(path.join(dir, f));
      if (!t || (t.expires && t.expires < Date.now())) continue;
      const ttl = t.expires ? shortDuration(t.expires - Date.now()) : '<forever>';
      process.stdout.write(`${t.token}   ${ttl.padEnd(11)} ${(t.expires ? new Date(t.expires).toISOString().replace(/\.\d+Z$/, 'Z') : '<never>').padEnd(22)} authentication,signing   ${t.description || '<none>'}   system:bootstrappers:kubeadm:default-node-token\n`);
    }
  } else if (sub === 'delete') {
    for (const t of positional.slice(2)) {
      fs.rmSync(path.join(c.dir, 'tokens', `${t.split('.')[0]}.json`), { force: true });
      process.stdout.write(`bootstrap token "${t.split('.')[0]}" deleted\n`);
    }
  } else if (sub === 'generate') {
    process.stdout.write(`${k.newToken()}\n`);
  } else k.die(1, `unknown command "${sub}" for "kubeadm token"`);
}

function config() {
  const sub = positional.slice(1).join(' ');
  if (sub.startsWith('images pull') || sub.startsWith('images list')) {
    const pull = sub.startsWith('images pull');
    if (pull && !k.isRoot()) preflightFail([['IsPrivilegedUser', 'user is not running as root']]);
    for (const img of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy']) process.stdout.write(`${pull ? '[config/images] Pulled ' : ''}registry.k8s.io/${img}:${version}\n`);
    process.stdout.write(`${pull ? '[config/images] Pulled ' : ''}registry.k8s.io/coredns/coredns:v1.12.1\n${pull ? '[config/images] Pulled ' : ''}registry.k8s.io/pause:3.10\n${pull ? '[config/images] Pulled ' : ''}registry.k8s.io/etcd:3.6.4-0\n`);
  } else if (sub === 'print init-defaults') {
    process.stdout.write(`apiVersion: kubeadm.k8s.io/v1beta4\nbootstrapTokens:\n- groups:\n  - system:bootstrappers:kubeadm:default-node-token\n  token: abcdef.0123456789abcdef\n  ttl: 24h0m0s\n  usages:\n  - signing\n  - authentication\nkind: InitConfiguration\nlocalAPIEndpoint:\n  advertiseAddress: 1.2.3.4\n  bindPort: 6443\nnodeRegistration:\n  criSocket: unix:///var/run/containerd/containerd.sock\n  imagePullPolicy: IfNotPresent\n  name: node\n  taints: null\n---\napiServer: {}\napiVersion: kubeadm.k8s.io/v1beta4\ncertificatesDir: /etc/kubernetes/pki\nclusterName: kubernetes\ncontrollerManager: {}\ndns: {}\netcd:\n  local:\n    dataDir: /var/lib/etcd\nimageRepository: registry.k8s.io\nkind: ClusterConfiguration\nkubernetesVersion: ${version.replace(/\.\d+$/, '.0')}\nnetworking:\n  dnsDomain: cluster.local\n  serviceSubnet: 10.96.0.0/12\nscheduler: {}\n`);
  } else if (sub.startsWith('validate')) {
    process.stdout.write('ok\n');
  } else k.die(1, `harness: kubeadm config ${sub} is not covered by the test double`);
}

// ---- certificates: the double keeps each certificate's NotAfter beside the fake PEM files, in
// /etc/kubernetes/pki/.hobbykube-fake-expiry.json (gone with `kubeadm reset`, like pki/). Tests
// rewrite it to fake a certificate close to expiry.
const EXPIRY_FILE = '/etc/kubernetes/pki/.hobbykube-fake-expiry.json';
const YEAR_MS = 365 * 24 * 3600 * 1000;
/** kubeadm's certificates with a stacked etcd: [name, CA, what `certs renew` says it renewed]. */
const CERTS = [
  ['admin.conf', 'ca', 'certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself'],
  ['apiserver', 'ca', 'certificate for serving the Kubernetes API'],
  ['apiserver-etcd-client', 'etcd-ca', 'certificate the apiserver uses to access etcd'],
  ['apiserver-kubelet-client', 'ca', 'certificate for the API server to connect to kubelet'],
  ['controller-manager.conf', 'ca', 'certificate embedded in the kubeconfig file for the controller manager to use'],
  ['etcd-healthcheck-client', 'etcd-ca', 'certificate for liveness probes to healthcheck etcd'],
  ['etcd-peer', 'etcd-ca', 'certificate for etcd nodes to communicate with each other'],
  ['etcd-server', 'etcd-ca', 'certificate for serving etcd'],
  ['front-proxy-client', 'front-proxy-ca', 'certificate for the front proxy client'],
  ['scheduler.conf', 'ca', 'certificate embedded in the kubeconfig file for the scheduler manager to use'],
  ['super-admin.conf', 'ca', 'certificate embedded in the kubeconfig file for the super-admin'],
];
const CAS = ['ca', 'etcd-ca', 'front-proxy-ca'];
const KUBECONFIG_USERS = { 'admin.conf': 'kubernetes-admin', 'super-admin.conf': 'kubernetes-super-admin', 'controller-manager.conf': 'system:kube-controller-manager', 'scheduler.conf': 'system:kube-scheduler' };

function readExpiry() { return k.readJson(EXPIRY_FILE, undefined); }
function writeExpiry(e) { writeFile(EXPIRY_FILE, JSON.stringify(e, null, 2), 0o600); }
/** At init: certificates valid one year, CAs ten years, as kubeadm makes them. */
function newExpiry(now = Date.now()) {
  return { certs: Object.fromEntries(CERTS.map(([name]) => [name, now + YEAR_MS])), cas: Object.fromEntries(CAS.map((ca) => [ca, now + 10 * YEAR_MS])), serial: 0 };
}
/** Renews every certificate (not the CAs): one more year from now; the kubeconfigs get the new client certificates. */
function renewAll(print) {
  const e = readExpiry() ?? newExpiry();
  const now = Date.now();
  e.serial = (e.serial ?? 0) + 1;
  for (const [name, , what] of CERTS) {
    e.certs[name] = now + YEAR_MS;
    if (print) process.stdout.write(`${what} renewed\n`);
  }
  writeExpiry(e);
  for (const [file, user] of Object.entries(KUBECONFIG_USERS)) {
    const p = `/etc/kubernetes/${file}`;
    if (!exists(p)) continue;
    const server = k.serverOf(fs.readFileSync(p, 'utf8'));
    if (server) writeFile(p, k.kubeconfig(server.url, user, `${e.serial}x${now}`), 0o600);
  }
}
/** Go's "Jan 02, 2006 15:04 MST" in UTC. */
function expiresText(ms) {
  const d = new Date(ms);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const two = (n) => String(n).padStart(2, '0');
  return `${month} ${two(d.getUTCDate())}, ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}
/** apimachinery's duration.ShortHumanDuration, which kubeadm's RESIDUAL TIME column uses. */
function residual(ms) {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h`;
  if (hours < 24 * 365) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}
/** Go's tabwriter as kubeadm sets it up (minwidth 10, padding 3): every column but the last padded. */
function tabwrite(rows) {
  const widths = rows[0].map((_, i) => Math.max(10, ...rows.map((r) => String(r[i]).length + 3)));
  return rows.map((r) => r.map((v, i) => (i === r.length - 1 ? String(v) : String(v).padEnd(widths[i]))).join('')).join('\n') + '\n';
}

function certs() {
  const sub = positional[1];
  if (!k.isRoot()) k.die(1, 'error: failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: permission denied\nTo see the stack trace of this error execute with --v=5 or higher');
  if (sub === 'check-expiration') {
    process.stdout.write(exists('/etc/kubernetes/admin.conf')
      ? '[check-expiration] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\n[check-expiration] Use \'kubeadm init phase upload-config kubeadm --config your-config-file\' to re-upload it.\n\n'
      : '[check-expiration] Error reading configuration from the Cluster. Falling back to default configuration\n\n');
    const e = readExpiry();
    const now = Date.now();
    const rows = [['CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'EXTERNALLY MANAGED']];
    for (const [name, ca] of CERTS) {
      const at = e?.certs?.[name];
      rows.push(at === undefined ? ['!MISSING! ' + name, '', '', '', ''] : [name, expiresText(at), residual(at - now), ca, 'no']);
    }
    const caRows = [['CERTIFICATE AUTHORITY', 'EXPIRES', 'RESIDUAL TIME', 'EXTERNALLY MANAGED']];
    for (const ca of CAS) {
      const at = e?.cas?.[ca];
      caRows.push(at === undefined ? ['!MISSING! ' + ca, '', '', ''] : [ca, expiresText(at), residual(at - now), 'no']);
    }
    process.stdout.write(`${tabwrite(rows)}\n${tabwrite(caRows)}`);
  } else if (sub === 'renew') {
    const which = positional[2];
    if (which !== 'all') k.die(1, `harness: kubeadm certs renew ${which ?? ''} is not covered by the test double (only "all")`);
    if (!readExpiry()) k.die(1, 'error: open /etc/kubernetes/pki/ca.crt: no such file or directory\nTo see the stack trace of this error execute with --v=5 or higher');
    process.stdout.write('[renew] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\n[renew] Use \'kubeadm init phase upload-config kubeadm --config your-config-file\' to re-upload it.\n\n');
    renewAll(true);
    process.stdout.write('\nDone renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates.\n');
  } else k.die(1, `harness: kubeadm certs ${sub ?? ''} is not covered by the test double`);
}

// ---- upgrade: plan, apply (the control plane) and node (a worker's kubelet configuration).
function semver(text) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(String(text ?? '').trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: `v${m[1]}.${m[2]}.${m[3]}` } : undefined;
}
const lessThan = (a, b) => a.major !== b.major ? a.major < b.major : a.minor !== b.minor ? a.minor < b.minor : a.patch < b.patch;
/** The cluster's version: ClusterConfiguration.kubernetesVersion in the kubeadm-config ConfigMap. */
function clusterVersionOf(c) {
  const cm = k.readJson(path.join(c.dir, 'objects', 'configmap', 'kube-system', 'kubeadm-config.json'), undefined);
  let v;
  try { v = YAML.parse(cm?.data?.ClusterConfiguration ?? '')?.kubernetesVersion; } catch { /* below */ }
  return semver(v) ?? semver(c.version);
}
/** kubeadm's EnforceVersionPolicies: mandatory errors, and errors --force may skip. */
function versionPolicy(c, target) {
  const cluster = clusterVersionOf(c);
  const kubeadmV = semver(version);
  const mandatory = [];
  const skippable = [];
  if (target.minor > cluster.minor + 1) mandatory.push(`Specified version to upgrade to "${target.text}" is too high; kubeadm can upgrade only 1 minor version at a time`);
  if (target.minor < cluster.minor - 1) mandatory.push(`Specified version to downgrade to "${target.text}" is too low; kubeadm can downgrade only 1 minor version at a time`);
  if (lessThan(kubeadmV, target)) {
    if (target.minor > kubeadmV.minor) mandatory.push(`Specified version to upgrade to "${target.text}" is at least one minor release higher than the kubeadm minor release (${target.minor} > ${kubeadmV.minor}). Such an upgrade is not supported`);
    else skippable.push(`Specified version to upgrade to "${target.text}" is higher than the kubeadm version "${kubeadmV.text}". Upgrade kubeadm first using the tool you used to install kubeadm`);
  }
  if (kubeadmV.minor > target.minor) skippable.push(`Kubeadm version ${kubeadmV.text} can only be used to upgrade to Kubernetes version 1.${kubeadmV.minor}`);
  // The kubelet may be up to three minors older than the control plane (version skew policy).
  const old = [...new Set(k.nodes(c).map((n) => n.version).filter((v) => semver(v) && target.minor > semver(v).minor + 3))];
  if (old.length) skippable.push(`There are kubelets in this cluster that are too old that have these versions [${old.join(' ')}]`);
  return { cluster, mandatory, skippable };
}
function failPolicy(policy) {
  const force = opt.force === true || opt.f === true;
  if (policy.mandatory.length) {
    k.die(1, `error: error execution phase preflight: the version argument is invalid due to these fatal errors:\n\n${[...policy.mandatory, ...policy.skippable].map((e) => `\t- ${e}\n`).join('')}\nPlease fix the misalignments highlighted above and try upgrading again\nTo see the stack trace of this error execute with --v=5 or higher`);
  }
  if (policy.skippable.length && !force) {
    k.die(1, `error: error execution phase preflight: the version argument is invalid due to these errors:\n\n${policy.skippable.map((e) => `\t- ${e}\n`).join('')}\nCan be bypassed if you pass the --force flag\nTo see the stack trace of this error execute with --v=5 or higher`);
  }
}
/** kubeadm's cluster health check before an upgrade: every control plane node Ready. */
function healthCheck(c) {
  process.stdout.write('[upgrade] Running cluster health checks\n');
  const notReady = k.nodes(c).filter((n) => n.labels?.['node-role.kubernetes.io/control-plane'] !== undefined && !k.nodeReady(c, n)).map((n) => n.name);
  if (notReady.length) {
    k.die(1, `error: error execution phase preflight: [preflight] Some fatal errors occurred:\n\t[ERROR ControlPlaneNodesReady]: there are NotReady control-planes in the cluster: [${notReady.join(' ')}]\n[preflight] If you know what you are doing, you can make a check non-fatal with \`--ignore-preflight-errors=...\`\nTo see the stack trace of this error execute with --v=5 or higher`);
  }
}
function upgradeTarget(required) {
  const arg = positional[2];
  if (arg === undefined) {
    if (required) k.die(1, 'error: missing one or more required arguments: [version]\nTo see the stack trace of this error execute with --v=5 or higher');
    return semver(version);
  }
  const t = semver(arg);
  if (!t) k.die(1, `error: error execution phase preflight: unable to parse normalized version "${arg}" as a semantic version\nTo see the stack trace of this error execute with --v=5 or higher`);
  return t;
}
const table3 = (rows) => tabwrite(rows);

function upgradePlan() {
  needRoot();
  const c = ownCluster();
  process.stdout.write('[preflight] Running pre-flight checks.\n[upgrade/config] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\n[upgrade/config] Use \'kubeadm init phase upload-config kubeadm --config your-config-file\' to re-upload it.\n');
  healthCheck(c);
  process.stdout.write('[upgrade] Fetching available versions to upgrade to\n');
  const target = upgradeTarget(false);
  const policy = versionPolicy(c, target);
  const cluster = policy.cluster;
  process.stdout.write(`[upgrade/versions] Cluster version: ${cluster.text}\n[upgrade/versions] kubeadm version: ${version}\n[upgrade/versions] Target version: ${target.text}\n[upgrade/versions] Latest version in the v1.${cluster.minor} series: ${cluster.text}\n\n`);
  failPolicy(policy);
  if (!lessThan(cluster, target)) {
    process.stdout.write('Awesome, you\'re up-to-date! Enjoy!\n');
    return;
  }
  const cps = k.nodes(c).filter((n) => n.labels?.['node-role.kubernetes.io/control-plane'] !== undefined);
  process.stdout.write('Components that must be upgraded manually after you have upgraded the control plane with \'kubeadm upgrade apply\':\n');
  process.stdout.write(table3([['COMPONENT', 'NODE', 'CURRENT', 'TARGET'], ...k.nodes(c).map((n) => ['kubelet', n.name, n.version, target.text])]));
  process.stdout.write(`\nUpgrade to the latest ${target.minor > cluster.minor ? 'stable version' : `version in the v1.${cluster.minor} series`}:\n\n`);
  const rows = [['COMPONENT', 'NODE', 'CURRENT', 'TARGET']];
  for (const comp of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) for (const n of cps) rows.push([comp, n.name, cluster.text, target.text]);
  rows.push(['kube-proxy', '', cluster.text.slice(1), target.text], ['CoreDNS', '', 'v1.12.1', 'v1.12.1']);
  for (const n of cps) rows.push(['etcd', n.name, '3.6.4-0', '3.6.4-0']);
  process.stdout.write(table3(rows));
  process.stdout.write(`\nYou can now apply the upgrade by executing the following command:\n\n\tkubeadm upgrade apply ${target.text}\n\n_____________________________________________________________________\n\n`);
  process.stdout.write('\nThe table below shows the current state of component configs as understood by this version of kubeadm.\nConfigs that have a "yes" mark in the "MANUAL UPGRADE REQUIRED" column require manual config upgrade or\nresetting to kubeadm defaults before a successful upgrade can be performed. The version to manually\nupgrade to is denoted in the "PREFERRED VERSION" column.\n\n');
  process.stdout.write(table3([['API GROUP', 'CURRENT VERSION', 'PREFERRED VERSION', 'MANUAL UPGRADE REQUIRED'], ['kubeproxy.config.k8s.io', 'v1alpha1', 'v1alpha1', 'no'], ['kubelet.config.k8s.io', 'v1beta1', 'v1beta1', 'no']]));
  process.stdout.write('_____________________________________________________________________\n\n');
}

/** kubeadm's kubelet-config phase: the kubelet-config ConfigMap, with this node's patches, into /var/lib/kubelet/config.yaml (a backup first). */
function upgradeKubeletConfig(c) {
  const cm = k.readJson(path.join(c.dir, 'objects', 'configmap', 'kube-system', 'kubelet-config.json'), undefined);
  const tmp = `/etc/kubernetes/tmp/kubeadm-kubelet-config${crypto.randomInt(1e9)}`;
  process.stdout.write(`W0826 10:00:00.000000    1234 postupgrade.go:117] Using temporary directory ${tmp} for kubelet config. To override it set the environment variable KUBEADM_UPGRADE_DRYRUN_DIR\n`);
  if (exists('/var/lib/kubelet/config.yaml')) {
    process.stdout.write(`[upgrade] Backing up kubelet config file to ${tmp}/config.yaml\n`);
    writeFile(`${tmp}/config.yaml`, fs.readFileSync('/var/lib/kubelet/config.yaml', 'utf8'));
  }
  const text = patchedKubeletText(cm?.data?.kubelet ?? kubeletConfigText(undefined));
  process.stdout.write('[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"\n');
  writeFile('/var/lib/kubelet/config.yaml', text);
  process.stdout.write('[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!\n');
}

function upgradeApply() {
  needRoot();
  const c = ownCluster();
  process.stdout.write('[upgrade] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\n[upgrade] Use \'kubeadm init phase upload-config kubeadm --config your-config-file\' to re-upload it.\n[upgrade/preflight] Running preflight checks\n');
  healthCheck(c);
  const target = upgradeTarget(true);
  process.stdout.write(`[upgrade/preflight] You have chosen to upgrade the cluster version to "${target.text}"\n`);
  const policy = versionPolicy(c, target);
  process.stdout.write(`[upgrade/versions] Cluster version: ${policy.cluster.text}\n[upgrade/versions] kubeadm version: ${version}\n`);
  failPolicy(policy);
  if (!(opt.yes === true || opt.y === true || opt.force === true || opt.f === true)) {
    process.stdout.write('[upgrade] Are you sure you want to proceed? [y/N]: ');
    const answer = k.readStdin().split('\n')[0].trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') k.die(1, 'error: error execution phase preflight: won\'t proceed; the user didn\'t answer (Y|n) in order to continue\nTo see the stack trace of this error execute with --v=5 or higher');
  }
  process.stdout.write('[upgrade/preflight] Pulling images required for setting up a Kubernetes cluster\n[upgrade/preflight] This might take a minute or two, depending on the speed of your internet connection\n[upgrade/preflight] You can also perform this action beforehand using \'kubeadm config images pull\'\n');
  process.stdout.write(`[upgrade/control-plane] Upgrading your static Pod-hosted control plane to version "${target.text}" (timeout: 5m0s)...\n`);
  // The manifests are made again from the ClusterConfiguration just read from the ConfigMap: its
  // extraArgs and extraVolumes (the API server's encryption at rest) stay, as with the real kubeadm.
  if (!docs.ClusterConfiguration) {
    const stored = k.readJson(path.join(c.dir, 'objects', 'configmap', 'kube-system', 'kubeadm-config.json'), undefined);
    try {
      const obj = YAML.parse(stored?.data?.ClusterConfiguration ?? '');
      if (obj && typeof obj === 'object') docs.ClusterConfiguration = { obj, text: stored.data.ClusterConfiguration };
    } catch { /* none uploaded: kubeadm's defaults */ }
  }
  const stamp = new Date().toISOString().replace(/[T:]/g, '-').replace(/\..*$/, '');
  const backup = `/etc/kubernetes/tmp/kubeadm-backup-manifests-${stamp}`;
  const staticPodRequestsMi = {};
  for (const comp of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
    const file = `/etc/kubernetes/manifests/${comp}.yaml`;
    process.stdout.write(`[upgrade/staticpods] Preparing for "${comp}" upgrade\n`);
    if (exists(file)) writeFile(`${backup}/${comp}.yaml`, fs.readFileSync(file, 'utf8'), 0o600);
    const pod = staticPod(comp, target.text);
    staticPodRequestsMi[comp] = k.quantityMi(pod.spec.containers[0].resources?.requests?.memory);
    writeFile(file, YAML.stringify(pod), 0o600);
    process.stdout.write(`[upgrade/staticpods] Moved new manifest to "${file}" and backed up old manifest to "${backup}/${comp}.yaml"\n[upgrade/staticpods] Waiting for the kubelet to restart the component\n[upgrade/staticpods] This can take up to 5m0s\n[apiclient] Found 1 Pods for label selector component=${comp}\n[upgrade/staticpods] Component "${comp}" upgraded successfully!\n`);
  }
  process.stdout.write('[upgrade/control-plane] The control plane instance for this node was successfully upgraded!\n');
  // upload-config: the cluster's version in kubeadm-config; the kubelet-config ConfigMap is re-uploaded as it is.
  const cmFile = path.join(c.dir, 'objects', 'configmap', 'kube-system', 'kubeadm-config.json');
  const cm = k.readJson(cmFile, undefined);
  if (cm) {
    let cc = {};
    try { cc = YAML.parse(cm.data?.ClusterConfiguration ?? '') ?? {}; } catch { /* replaced below */ }
    cm.data = { ...cm.data, ClusterConfiguration: YAML.stringify({ ...cc, kubernetesVersion: target.text }) };
    k.writeJson(cmFile, cm);
  }
  const clusterFile = path.join(c.dir, 'cluster.json');
  k.writeJson(clusterFile, { ...k.readJson(clusterFile), version: target.text });
  process.stdout.write('[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace\n[kubelet] Creating a ConfigMap "kubelet-config" in namespace kube-system with the configuration for the kubelets in the cluster\n');
  if (opt['certificate-renewal'] !== 'false') renewAll(false);
  process.stdout.write('[upgrade/kubeconfig] The kubeconfig files for this node were successfully upgraded!\n');
  upgradeKubeletConfig(c);
  // The static pods' requests as the new manifests say (the scheduler sees them through the node).
  const me = k.nodes(c).find((n) => n.host === k.HOST);
  if (me) k.saveNode(c, { ...me, staticPodRequestsMi });
  process.stdout.write('[upgrade/bootstrap-token] Configuring bootstrap token and cluster-info RBAC rules\n[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes\n[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get long term certificate credentials\n[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a Node Bootstrap Token\n[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster\n');
  // CoreDNS: kubeadm's Deployment again (with the corednsdeployment patch, when given), keeping
  // the replica count (kubernetes#85837) and the Corefile ConfigMap (migrated, custom settings kept).
  const dnsFile = path.join(c.dir, 'objects', 'deployment', 'kube-system', 'coredns.json');
  const old = k.readJson(dnsFile, undefined);
  const fresh = corednsDeployment();
  if (old) {
    fresh.metadata = { ...old.metadata, resourceVersion: String(Number(old.metadata.resourceVersion ?? 1) + 1), generation: (old.metadata.generation ?? 1) + 1 };
    fresh.spec.replicas = old.spec?.replicas ?? fresh.spec.replicas;
  }
  k.writeJson(dnsFile, fresh);
  process.stdout.write('[addons] Applied essential addon: CoreDNS\n[addons] Applied essential addon: kube-proxy\n\n');
  process.stdout.write(`[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "${target.text}".\n\n[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order.\n`);
}

function upgradeNode() {
  needRoot();
  if (exists('/etc/kubernetes/manifests/kube-apiserver.yaml')) k.die(1, 'harness: kubeadm upgrade node on a control plane node is not covered by the test double (hobbykube upgrades its one control plane with kubeadm upgrade apply)');
  if (!exists('/etc/kubernetes/kubelet.conf')) k.die(1, 'error: error execution phase preflight: couldn\'t create a Kubernetes client from file "/etc/kubernetes/kubelet.conf": failed to load admin kubeconfig: open /etc/kubernetes/kubelet.conf: no such file or directory\nTo see the stack trace of this error execute with --v=5 or higher');
  const s = k.serverOf(fs.readFileSync('/etc/kubernetes/kubelet.conf', 'utf8'));
  const dialed = s ? k.dialCluster(s.host, s.port) : { error: 'no server in kubelet.conf' };
  if (!dialed.c) k.die(1, `error: error execution phase preflight: unable to fetch the kubeadm-config ConfigMap: failed to get config map: Get "${s?.url}/api/v1/namespaces/kube-system/configmaps/kubeadm-config?timeout=10s": ${dialed.error}\nTo see the stack trace of this error execute with --v=5 or higher`);
  process.stdout.write('[upgrade] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...\n[upgrade] Use \'kubeadm init phase upload-config kubeadm --config your-config-file\' to re-upload it.\n[upgrade/preflight] Running pre-flight checks\n[upgrade/preflight] Skipping prepull. Not a control plane node.\n[upgrade/control-plane] Skipping phase. Not a control plane node.\n[upgrade/kubeconfig] Skipping phase. Not a control plane node.\n');
  upgradeKubeletConfig(dialed.c);
  process.stdout.write('[upgrade/addon] Skipping the addon/coredns phase. Not a control plane node.\n[upgrade/addon] Skipping the addon/kube-proxy phase. Not a control plane node.\n');
}

function upgrade() {
  const sub = positional[1];
  if (sub === 'plan') upgradePlan();
  else if (sub === 'apply') upgradeApply();
  else if (sub === 'node') upgradeNode();
  else k.die(1, `error: unknown command "${sub ?? ''}" for "kubeadm upgrade"`);
}

switch (positional[0]) {
  case 'version':
    if (opt.o === 'short' || opt.output === 'short') process.stdout.write(`${version}\n`);
    else process.stdout.write(`kubeadm version: &version.Info{Major:"1", Minor:"${minor}", EmulationMajor:"", EmulationMinor:"", MinCompatibilityMajor:"", MinCompatibilityMinor:"", GitVersion:"${version}", GitCommit:"0000000000000000000000000000000000000000", GitTreeState:"clean", BuildDate:"2026-08-26T00:00:00Z", GoVersion:"go1.25.1", Compiler:"gc", Platform:"linux/amd64"}\n`);
    break;
  case 'init': if (positional[1] === 'phase') initPhase(); else init(); break;
  case 'join': join(); break;
  case 'reset': reset(); break;
  case 'token': token(); break;
  case 'config': config(); break;
  case 'upgrade': upgrade(); break;
  case 'certs': certs(); break;
  default: k.die(1, `harness: kubeadm ${positional[0] ?? ''} is not covered by the test double`);
}
