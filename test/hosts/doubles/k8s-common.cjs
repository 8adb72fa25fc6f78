'use strict';
// Shared by the kubeadm and kubectl doubles: recording/delay/faults (same file formats as
// lib.sh) and the cluster state shared by all hosts of a test bed, kept in
// /run/hobbykube/shared/clusters/<control-plane address>/ (outside every namespace).
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const crypto = require('node:crypto');
const os = require('node:os');
const YAML = require('yaml');

const HK = '/run/hobbykube';
const STATE = '/var/lib/hobbykube-fake';
const K8S_PATCH = 1;
const read1 = (f) => fs.readFileSync(f, 'utf8').trim();
const HOST = read1(`${HK}/host/name`);
const ADDR = read1(`${HK}/host/address`);
const CLUSTERS = `${HK}/shared/clusters`;
const isRoot = () => process.geteuid() === 0;

function record(argv, extra = {}) {
  const rec = { host: HOST, argv, ...extra, uid: process.geteuid(), time: Date.now() };
  fs.appendFileSync(`${HK}/host/recordings.jsonl`, `${JSON.stringify(rec)}\n`);
}

function sleepMs(ms) {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function delay(cmd) {
  for (const f of [`${HK}/host/control/delay.${cmd}`, `${HK}/host/control/delay`]) {
    if (fs.existsSync(f)) { sleepMs(Number(read1(f)) || 0); return; }
  }
}

function fault(cmd, args) {
  const dir = `${HK}/host/control/faults`;
  let entries = [];
  try { entries = fs.readdirSync(dir).filter((e) => e.endsWith(`.${cmd}`)).sort(); } catch { return; }
  for (const e of entries) {
    let text;
    try { text = fs.readFileSync(path.join(dir, e), 'utf8'); } catch { continue; }
    const [code, match, mode, out, ...err] = text.split('\n');
    if (!` ${args.join(' ')} `.includes(match)) continue;
    if (mode !== 'always') {
      try { fs.renameSync(path.join(dir, e), path.join(dir, `${e}.used.${process.pid}`)); } catch { continue; }
    }
    if (out) writeAll(1, `${out}\n`);
    if (err.join('\n')) writeAll(2, err.join('\n'));
    process.exit(Number(code));
  }
}

/**
 * Write all of `text` to a file descriptor before going on. A pipe inherited in non-blocking mode
 * takes 64-128 KiB and then answers EAGAIN, and process.stdout.write followed by process.exit
 * would cut the output there (a 20000-row dump was cut at 128 KiB): write synchronously, waiting.
 */
function writeAll(fd, text) {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if (e.code === 'EAGAIN') { sleepMs(5); continue; }
      throw e;
    }
  }
}

function readStdin() {
  if (process.stdin.isTTY) return '';
  // Read to EOF. A pipe inherited in non-blocking mode answers EAGAIN while the writer is still
  // on its way (readFileSync(0) would throw and lose the input): wait and read on.
  const chunks = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      if (e.code === 'EAGAIN') { sleepMs(5); continue; }
      if (e.code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Record, then delay, then maybe fail. extra: { stdin?, files? } */
function begin(cmd, args, extra) {
  record([cmd, ...args], extra);
  delay(cmd);
  fault(cmd, args);
}

function die(code, ...lines) {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(code);
}

function pkgVersion(pkg) {
  try { return read1(`${STATE}/pkg/${pkg}`); } catch { return ''; }
}
/** 'v1.37.1' from an installed package version like '1.37.1-1.1'. */
function k8sVersion(pkg) {
  const v = pkgVersion(pkg);
  return v ? `v${v.split('-')[0]}` : '';
}

const rand = (n, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789') =>
  Array.from(crypto.randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
const newToken = () => `${rand(6)}.${rand(16)}`;

// ---- shared cluster state (world-writable: kubectl may run as a plain user)
process.umask(0);
function clusterDir(host) { return path.join(CLUSTERS, host); }
function readJson(f, dflt) { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return dflt; } }
function writeJson(f, v) {
  fs.mkdirSync(path.dirname(f), { recursive: true });
  const tmp = `${f}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(v, null, 2));
  fs.renameSync(tmp, f);
}
function loadCluster(host) {
  const dir = clusterDir(host);
  const c = readJson(path.join(dir, 'cluster.json'), undefined);
  return c ? { ...c, dir } : undefined;
}
function nodes(c) {
  const d = path.join(c.dir, 'nodes');
  let list = [];
  try { list = fs.readdirSync(d).filter((e) => e.endsWith('.json')); } catch { /* none */ }
  return list.map((e) => readJson(path.join(d, e))).filter(Boolean).sort((a, b) => a.name.localeCompare(b.name));
}
function saveNode(c, n) { writeJson(path.join(c.dir, 'nodes', `${n.name}.json`), n); }
function deleteNode(c, name) { fs.rmSync(path.join(c.dir, 'nodes', `${name}.json`), { force: true }); }

const CNI_HINT = /flannel|calico|cilium|weave|kube-router|canal|antrea/i;
/** Nodes report Ready only once a CNI add-on has been applied, as on a real cluster. */
function networkReady(c) {
  if (fs.existsSync(path.join(c.dir, 'network-ready'))) return true;
  for (const kind of ['daemonset', 'deployment']) {
    const d = path.join(c.dir, 'objects', kind);
    let nss = [];
    try { nss = fs.readdirSync(d); } catch { continue; }
    for (const ns of nss) {
      if (CNI_HINT.test(ns)) return true;
      for (const f of fs.readdirSync(path.join(d, ns))) if (CNI_HINT.test(f)) return true;
    }
  }
  return false;
}
function nodeReady(c, n) { return n.kubeletUp !== false && n.runtimeUp !== false && networkReady(c); }

// ---- this host's addresses and how far a dial gets
/** The host's interface addresses (fake table from the profile's interfaceAddresses). */
function interfaces() {
  let text = '';
  try { text = fs.readFileSync(`${HK}/host/fake/interfaces`, 'utf8'); } catch { return [{ dev: 'eth0', family: 'inet', address: ADDR, prefix: 8 }]; }
  return text.split('\n').filter((l) => l.trim()).map((l) => {
    const [dev, family, cidr] = l.trim().split(/\s+/);
    const [address, prefix] = cidr.split('/');
    return { dev, family, address, prefix: Number(prefix) };
  });
}
/** What binding a listener to `ip` would find: the address is on one of this host's interfaces. */
function isLocalAddress(ip) { return ip === '127.0.0.1' || ip === '::1' || interfaces().some((i) => i.address === ip); }
/** The default route's source address, which the kubelet and kubeadm pick when told nothing. */
function defaultIPv4() { return interfaces().find((i) => i.family === 'inet')?.address ?? ADDR; }
/** A name from this host's /etc/hosts (no DNS here: the fake names exist nowhere else). */
function lookupHosts(name) {
  let text = '';
  try { text = fs.readFileSync('/etc/hosts', 'utf8'); } catch { return undefined; }
  for (const raw of text.split('\n')) {
    const fields = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (fields.length > 1 && fields.slice(1).includes(name)) return fields[0];
  }
  return undefined;
}
/**
 * Dials the API server at host:port from this host, as a client would: a name is resolved
 * through /etc/hosts, and a cluster's private (interface-only) address answers only on the
 * control plane itself, as behind a provider's NAT. Returns { c } or { error } in Go's words.
 */
function dialCluster(host, port = '6443') {
  const h = String(host).replace(/^\[|\]$/g, '');
  const ip = net.isIP(h) ? h : lookupHosts(h);
  const at = (a) => (net.isIPv6(a) ? `[${a}]:${port}` : `${a}:${port}`);
  if (!ip) return { error: `dial tcp: lookup ${h} on 127.0.0.53:53: no such host` };
  const c = loadCluster(ip);
  if (!c) return { error: `dial tcp ${at(ip)}: connect: connection refused` };
  if ((c.privateAddresses ?? []).includes(ip) && c.host !== HOST) return { error: `dial tcp ${at(ip)}: i/o timeout` };
  return { c };
}

/** Server host from a kubeconfig text (the cluster it points at). */
function serverOf(kubeconfigText) {
  const m = /server:\s*["']?https?:\/\/(\[[^\]]+\]|[^:/\s"']+)(?::(\d+))?/.exec(kubeconfigText);
  return m ? { host: m[1], port: m[2] ?? '443', url: `https://${m[1]}:${m[2] ?? '443'}` } : undefined;
}

const FAKE_CERT = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIHobbykubeFakeCAwDQYJKoZIhvcNAQELBQAwFTETMBEG\nA1UEAxMKa3ViZXJuZXRlczAeFw0yNjA4MjYwMDAwMDBaFw0zNjA4MjMwMDAwMDBa\n-----END CERTIFICATE-----\n').toString('base64');
const FAKE_KEY = Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAhobbykubeFakeKeyNotARealKey\n-----END RSA PRIVATE KEY-----\n').toString('base64');

/** A fake client certificate; `serial` differs after a renewal (kubeadm certs renew, upgrade apply). */
function clientCert(serial) {
  if (!serial) return FAKE_CERT;
  return Buffer.from(`-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgIIHobbykubeRenewed${serial}\n-----END CERTIFICATE-----\n`).toString('base64');
}

function kubeconfig(server, user, serial) {
  return `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${FAKE_CERT}
    server: ${server}
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: ${user}
  name: ${user}@kubernetes
current-context: ${user}@kubernetes
kind: Config
preferences: {}
users:
- name: ${user}
  user:
    client-certificate-data: ${clientCert(serial)}
    client-key-data: ${FAKE_KEY}
`;
}

/** RFC 7386 JSON merge patch: maps merge, null deletes, anything else (lists too) replaces. */
function mergePatch(target, patch) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [key, v] of Object.entries(patch)) {
    if (v === null) delete out[key];
    else out[key] = mergePatch(out[key], v);
  }
  return out;
}

/**
 * Strategic merge patch, the part Kubernetes objects use: maps merge, null deletes, lists of
 * objects with a `name` (containers, env, volumes, ports ...) merge item by item on that key as
 * their patchMergeKey says, other lists replace.
 */
function strategicMerge(target, patch) {
  if (Array.isArray(patch)) {
    const named = patch.every((x) => x && typeof x === 'object' && typeof x.name === 'string');
    if (!named || !Array.isArray(target)) return patch;
    const out = target.map((x) => ({ ...x }));
    for (const item of patch) {
      const i = out.findIndex((x) => x && x.name === item.name);
      if (i < 0) out.push(item);
      else out[i] = strategicMerge(out[i], item);
    }
    return out;
  }
  if (patch === null || typeof patch !== 'object') return patch;
  const out = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [key, v] of Object.entries(patch)) {
    if (v === null) delete out[key];
    else out[key] = strategicMerge(out[key], v);
  }
  return out;
}

function availableCpus() { return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length; }

/** A node's capacity and allocatable memory as its kubelet computes them from its configuration (reservations + hard eviction). */
function nodeCapacity(kubeletText) {
  const memKi = Number(/MemTotal:\s+(\d+)/.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  let cfg = {};
  try { cfg = YAML.parse(kubeletText) ?? {}; } catch { /* keep defaults */ }
  const toKi = (q) => {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(String(q ?? '0'));
    if (!m) return 0;
    const f = { Ki: 1, Mi: 1024, Gi: 1048576, K: 1000 / 1024, M: 1e6 / 1024, G: 1e9 / 1024 }[m[2] ?? ''] ?? 1 / 1024;
    return Math.round(Number(m[1]) * f);
  };
  const evict = cfg.evictionHard?.['memory.available'] ?? '100Mi';
  const reserved = toKi(cfg.systemReserved?.memory) + toKi(cfg.kubeReserved?.memory) + (String(evict).endsWith('%') ? Math.round(memKi * parseFloat(evict) / 100) : toKi(evict));
  const cpus = availableCpus();
  return {
    capacity: { cpu: String(cpus), memory: `${memKi}Ki`, pods: String(cfg.maxPods ?? 110) },
    allocatable: { cpu: String(cpus), memory: `${Math.max(0, memKi - reserved)}Ki`, pods: String(cfg.maxPods ?? 110) },
  };
}

const swapOn = () => fs.readFileSync('/proc/swaps', 'utf8').trim().split('\n').length > 1;
/** The kubelet refuses to start with swap on unless its configuration says failSwapOn: false. */
function kubeletWouldStart(kubeletText) {
  let cfg = {};
  try { cfg = YAML.parse(kubeletText) ?? {}; } catch { /* defaults */ }
  return !swapOn() || cfg.failSwapOn === false;
}

/** MiB in a Kubernetes memory quantity (128Mi, 1Gi, 500M, 1048576, 968424Ki); 0 when absent. */
function quantityMi(q) {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/.exec(String(q ?? '').trim());
  if (!m) return 0;
  const f = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024, k: 1000 / 1048576, K: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576, T: 1e12 / 1048576 }[m[2] ?? ''] ?? 1 / 1048576;
  return Number(m[1]) * f;
}

module.exports = {
  HK, STATE, HOST, ADDR, K8S_PATCH, isRoot, begin, die, readStdin, writeAll, pkgVersion, k8sVersion, rand, newToken,
  clusterDir, readJson, writeJson, loadCluster, dialCluster, interfaces, isLocalAddress, defaultIPv4, lookupHosts, nodes, saveNode, deleteNode, networkReady, nodeReady, serverOf,
  kubeconfig, clientCert, FAKE_CERT, sleepMs, mergePatch, strategicMerge, quantityMi, nodeCapacity, availableCpus, swapOn, kubeletWouldStart,
};
