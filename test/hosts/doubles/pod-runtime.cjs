'use strict';
// The fake cluster's container runtime, for the kubectl double (`exec`, and the pods of Jobs):
// runs a container's command for real, with bash and coreutils of this machine, in a private
// mount namespace and a chroot that looks like the container:
//
//   /usr (read-only), /dev, /proc          this machine's (bash, gzip, date, ... of the "image");
//   /etc                                  a copy of passwd, group, hosts
//   /usr/local/bin                        the image's own tools, as doubles: doubles/images/<repo>
//                                         (mysql: mysql, mysqldump; etcd: etcdctl, etcdutl)
//   the pod's volumes at their mountPaths hostPath and PersistentVolume (hostPath) volumes on the
//                                         pod's node: that node's pod-visible disk (below);
//                                         configMap and emptyDir volumes in a scratch directory
//   the environment                       the container's env, secretKeyRef and configMapKeyRef
//                                         resolved from the cluster's objects
//
// Pod-visible disks: every test host has /var/lib/hobbykube/volumes and /var/lib/hobbykube/backups
// bind-mounted from the bed's shared/disks/<host>/... (ns-setup.sh), so what a pod writes into a
// hostPath there is on that node's own disk, where SSH finds it, wherever the double runs. Other
// hostPaths are refused ("harness: ...").
//
// MySQL servers: a pod whose container mounts /var/lib/mysql is a MySQL server once it runs; the
// runtime starts it (fake-mysqld.initialize: first start with the pod's MYSQL_ROOT_PASSWORD) and
// passes every container the cluster's view of them (HK_FAKE_MYSQL_SERVERS: Service names that
// select a running server pod -> its data directory), which the mysql doubles connect through.
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { spawnSync } = require('node:child_process');
const k = require('./k8s-common.cjs');
const mysqld = require('./fake-mysqld.cjs');

const POD_DISK_ROOTS = ['/var/lib/hobbykube/volumes', '/var/lib/hobbykube/backups'];
const IMAGES = path.join(k.HK, 'doubles', 'images');
const CONTAINER_PATH = '/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin';

class RuntimeError extends Error {}

/** Where a node's hostPath is, seen from any host: the node's pod-visible disk in the shared dir. */
function hostPathDir(c, nodeName, hostPath, create) {
  const node = k.nodes(c).find((n) => n.name === nodeName);
  if (!node) throw new RuntimeError(`no node ${nodeName}`);
  const p = path.posix.normalize(hostPath);
  if (!POD_DISK_ROOTS.some((root) => p === root || p.startsWith(`${root}/`))) {
    throw new RuntimeError(`harness: hostPath ${hostPath} is not on a pod-visible disk (${POD_DISK_ROOTS.join(', ')}; test/hosts/README.md)`);
  }
  const dir = path.join(k.HK, 'shared', 'disks', node.host, p);
  if (create) fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (!fs.existsSync(dir)) throw new RuntimeError(`hostPath type check failed: ${hostPath} is not a directory`);
  return dir;
}

function decode(secret, key) {
  const v = secret?.data?.[key];
  return v === undefined ? secret?.stringData?.[key] : Buffer.from(v, 'base64').toString('utf8');
}

/** The container's environment, as the kubelet builds it; a missing Secret or key fails like CreateContainerConfigError. */
function containerEnv(cl, pod, container) {
  const ns = pod.metadata.namespace ?? 'default';
  const env = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
    else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      const secret = cl.getObj('Secret', ns, ref.name);
      if (!secret) throw new RuntimeError(`Error: secret "${ref.name}" not found`);
      const v = decode(secret, ref.key);
      if (v === undefined) throw new RuntimeError(`Error: couldn't find key ${ref.key} in Secret ${ns}/${ref.name}`);
      env[e.name] = v;
    } else if (e.valueFrom?.configMapKeyRef) {
      const ref = e.valueFrom.configMapKeyRef;
      const cm = cl.getObj('ConfigMap', ns, ref.name);
      if (!cm) throw new RuntimeError(`Error: configmap "${ref.name}" not found`);
      env[e.name] = String(cm.data?.[ref.key] ?? '');
    }
  }
  return env;
}

/** [source dir on this host, mountPath] for each volumeMount; scratch dirs go under `scratch`. */
function mounts(cl, pod, container, scratch) {
  const ns = pod.metadata.namespace ?? 'default';
  const out = [];
  for (const vm of container.volumeMounts ?? []) {
    const v = (pod.spec.volumes ?? []).find((x) => x.name === vm.name);
    if (!v) throw new RuntimeError(`volume ${vm.name} not found in the pod`);
    let src;
    if (v.hostPath) src = hostPathDir(cl.c, pod.spec.nodeName, v.hostPath.path, v.hostPath.type === 'DirectoryOrCreate');
    else if (v.persistentVolumeClaim) {
      const pvc = cl.getObj('PersistentVolumeClaim', ns, v.persistentVolumeClaim.claimName);
      const pv = pvc && cl.getObj('PersistentVolume', undefined, pvc.spec?.volumeName);
      if (!pv?.spec?.hostPath) throw new RuntimeError(`persistentvolumeclaim "${v.persistentVolumeClaim.claimName}" is not bound to a hostPath volume`);
      src = hostPathDir(cl.c, pod.spec.nodeName, pv.spec.hostPath.path, pv.spec.hostPath.type === 'DirectoryOrCreate' || pv.spec.hostPath.type === undefined);
    } else if (v.configMap) {
      const cm = cl.getObj('ConfigMap', ns, v.configMap.name);
      if (!cm) throw new RuntimeError(`configmap "${v.configMap.name}" not found`);
      src = fs.mkdtempSync(path.join(scratch, 'cm-'));
      for (const [key, value] of Object.entries(cm.data ?? {})) fs.writeFileSync(path.join(src, key), String(value));
    } else if (v.emptyDir) src = fs.mkdtempSync(path.join(scratch, 'empty-'));
    else throw new RuntimeError(`harness: volume ${vm.name}: only hostPath, persistentVolumeClaim, configMap and emptyDir are simulated`);
    out.push([src, vm.mountPath, vm.readOnly === true]);
  }
  return out;
}

/** The data directory a MySQL server pod uses (its /var/lib/mysql), or undefined. */
function mysqlDataDir(cl, pod) {
  for (const container of pod.spec.containers ?? []) {
    const vm = (container.volumeMounts ?? []).find((m) => m.mountPath === '/var/lib/mysql');
    if (!vm) continue;
    const [[src]] = mounts(cl, pod, { volumeMounts: [vm] }, os.tmpdir());
    return { dir: src, env: () => containerEnv(cl, pod, container) };
  }
  return undefined;
}

const matches = (selector, labels) => Object.entries(selector ?? {}).every(([key, v]) => labels?.[key] === v);

/** Running MySQL servers by the names a pod in `ns` may use for their Service; each started once. */
function mysqlServers(cl, ns) {
  const out = {};
  const running = cl.pods(undefined).filter((p) => p.status.phase === 'Running' && p.spec.nodeName);
  for (const svc of cl.list('Service')) {
    const selector = svc.spec?.selector;
    if (!selector || Object.keys(selector).length === 0) continue;
    const pod = running.find((p) => p.metadata.namespace === svc.metadata.namespace && matches(selector, p.metadata.labels));
    if (!pod) continue;
    let server;
    try { server = mysqlDataDir(cl, pod); } catch { continue; }
    if (!server) continue;
    const password = server.env().MYSQL_ROOT_PASSWORD;
    if (password) mysqld.initialize(server.dir, password, '8.4.6');
    const { name, namespace } = svc.metadata;
    const names = [`${name}.${namespace}.svc.cluster.local`, `${name}.${namespace}.svc`, `${name}.${namespace}`];
    if (namespace === ns) names.push(name);
    for (const n of names) out[n] = server.dir;
  }
  return out;
}

const SETUP = `
set -euo pipefail
root=$1 image=$2 nodebin=$3
shift 3
mount -t tmpfs -o mode=0755 hk-pod "$root"
for d in bin lib lib64 sbin; do
  if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$root/$d"
  elif [ -d "/$d" ]; then mkdir "$root/$d"; mount --rbind "/$d" "$root/$d"; fi
done
for d in usr dev proc run/hobbykube; do mkdir -p "$root/$d"; mount --rbind "/$d" "$root/$d"; done
mount -o remount,bind,ro "$root/usr"
# The image's own /etc: a few files, so that volumes may be mounted anywhere below it.
mkdir -p "$root/etc"
for f in passwd group hosts nsswitch.conf; do if [ -e "/etc/$f" ]; then cp "/etc/$f" "$root/etc/$f"; fi; done
case $nodebin in /usr/*) ;; *) mkdir -p "$root$nodebin"; mount --bind "$nodebin" "$root$nodebin" ;; esac
if [ -n "$image" ]; then mount --bind "$image" "$root/usr/local/bin"; fi
mkdir -p -m 1777 "$root/tmp"
mkdir -p "$root/root" "$root/var/run" "$root/var/lib"
while [ "$1" != -- ]; do
  src=$1 dst=$2 ro=$3
  shift 3
  mkdir -p "$root$dst"
  mount --bind "$src" "$root$dst"
  if [ "$ro" = ro ]; then mount -o remount,bind,ro "$root$dst"; fi
done
shift
exec chroot "$root" "$@"
`;

/**
 * Runs `argv` in `containerName` of `pod` (a Pod as the kubectl double shows it, on a node).
 * cl: { c, getObj(kind, ns, name), list(kind, ns), pods(ns) }. Returns { code, stdout, stderr }
 * (Buffers); a pod the kubelet could not start the container of is a RuntimeError.
 */
function runContainer(cl, pod, containerName, argv, stdin) {
  const container = (pod.spec.containers ?? []).find((x) => !containerName || x.name === containerName);
  if (!container) throw new RuntimeError(`container ${containerName} not found in pod ${pod.metadata.name}`);
  if (!pod.spec.nodeName) throw new RuntimeError(`pod ${pod.metadata.name} is not scheduled on any node`);
  const ns = pod.metadata.namespace ?? 'default';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hk-pod-'));
  try {
    const env = containerEnv(cl, pod, container);
    const vols = mounts(cl, pod, container, scratch);
    const repo = String(container.image ?? '').split('@')[0].split('/').pop().split(':')[0];
    const image = fs.existsSync(path.join(IMAGES, repo)) ? path.join(IMAGES, repo) : '';
    const root = fs.mkdtempSync(path.join(scratch, 'root-'));
    const nodebin = path.dirname(fs.realpathSync(process.execPath));
    const node = k.nodes(cl.c).find((n) => n.name === pod.spec.nodeName);
    const spawnEnv = {
      PATH: CONTAINER_PATH,
      HOME: '/root',
      HOSTNAME: pod.metadata.name,
      ...env,
      HK_POD: `${ns}/${pod.metadata.name}`,
      HK_POD_NODE: `${pod.spec.nodeName}${node ? ` (host ${node.host})` : ''}`,
      HK_IMAGE: String(container.image ?? ''),
      HK_FAKE_MYSQL_SERVERS: JSON.stringify(mysqlServers(cl, ns)),
    };
    const volArgs = vols.flatMap(([src, dst, ro]) => [src, dst, ro ? 'ro' : 'rw']);
    const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'bash', '-c', SETUP, 'hk-pod', root, image, nodebin, ...volArgs, '--', ...argv], {
      input: stdin ?? '',
      env: spawnEnv,
      maxBuffer: 1024 * 1024 * 1024,
    });
    if (r.error) throw r.error;
    return { code: r.status ?? 128, stdout: r.stdout, stderr: r.stderr };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

module.exports = { runContainer, mysqlServers, hostPathDir, RuntimeError, POD_DISK_ROOTS };
