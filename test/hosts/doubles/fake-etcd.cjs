'use strict';
// etcdctl and etcdutl of the etcd image (run by the crictl double's `exec` in the control plane's
// etcd container, whose /var/lib/etcd and /etc/kubernetes/pki/etcd are the host's own paths).
//
// - etcdctl snapshot save PATH: needs the client certificate flags to name existing files and etcd
//   to run on this host (a control plane whose kubelet is up); writes PATH.part, then renames it,
//   as etcdctl does. The "database" is the fake cluster's objects as JSON (Secrets included, as in
//   a real etcd without encryption at rest), padded to whole 4 KiB pages like a bbolt file, then
//   the 32-byte sha256 of those bytes, which the etcd server appends to every snapshot (a saved
//   snapshot's size is 32 more than a multiple of 512). Prints etcdctl 3.6's log lines on stderr
//   and "Snapshot saved at PATH".
// - etcdutl snapshot status PATH [-w json|table|simple]: revision, total keys, total size and a
//   hash of the content; a file that is not such a database is "Error: invalid database".
// - etcd 3.6 (the default) has no `etcdctl snapshot status` (removed; etcdutl has it); with the
//   host's control/etcd-image-3.5 the image is an older one: etcdctl 3.5 still answers it, with
//   its deprecation warning, and there is no etcdutl (the crictl double refuses to exec it).
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const k = require('./k8s-common.cjs');

const tool = path.basename(process.argv[1]);
const args = process.argv.slice(2);
k.begin(tool, args);
const old = fs.existsSync(`${k.HK}/host/control/etcd-image-3.5`);
const VERSION = old ? '3.5.21' : '3.6.5';

const opt = { positional: [] };
for (let i = 0; i < args.length; i++) {
  const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(args[i]);
  if (!m) { opt.positional.push(args[i]); continue; }
  const name = m[1] === 'w' ? 'write-out' : m[1];
  opt[name] = m[2] ?? (['endpoints', 'cacert', 'cert', 'key', 'write-out', 'dial-timeout', 'command-timeout'].includes(name) ? args[++i] : true);
}
const [cmd, sub, file] = opt.positional;
const die = (code, text) => k.die(code, text);
const log = (msg, extra = {}) => process.stderr.write(`${JSON.stringify({ level: 'info', ts: new Date().toISOString(), caller: 'snapshot/v3_snapshot.go:65', msg, ...extra })}\n`);

if (cmd === 'version') {
  process.stdout.write(`${tool} version: ${VERSION}\nAPI version: ${VERSION.replace(/\.\d+$/, '')}\n`);
  process.exit(0);
}

/** The page-padded fake database of a snapshot file without its sha256 trailer, or undefined. */
function readDb(p) {
  let bytes;
  try { bytes = fs.readFileSync(p); } catch (e) { die(1, `Error: ${e.code === 'ENOENT' ? `stat ${p}: no such file or directory` : e.message}`); }
  const db = bytes.length % 512 === 32 ? bytes.subarray(0, bytes.length - 32) : bytes;
  const text = db.toString('utf8').replace(/\0+$/, '');
  try {
    const parsed = JSON.parse(text);
    return parsed && parsed.format === 'hobbykube-fake-etcd-db' ? { parsed, size: db.length, hash: db.readUInt32BE(0) ^ crypto.createHash('sha256').update(db).digest().readUInt32BE(0) } : undefined;
  } catch { return undefined; }
}

function status(p) {
  const db = readDb(p);
  if (!db) die(1, 'Error: invalid database');
  const s = { hash: db.hash >>> 0, revision: db.parsed.revision, totalKey: Object.keys(db.parsed.keys).length, totalSize: db.size, ...(old ? {} : { version: '3.6.0' }) };
  const w = opt['write-out'] ?? 'simple';
  const human = `${Math.round(s.totalSize / 1000)} kB`;
  if (w === 'json') process.stdout.write(`${JSON.stringify(s)}\n`);
  else if (w === 'table') {
    process.stdout.write(`+----------+----------+------------+------------+${old ? '' : '---------+'}\n|   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |${old ? '' : ' VERSION |'}\n+----------+----------+------------+------------+${old ? '' : '---------+'}\n| ${s.hash.toString(16).padStart(8)} | ${String(s.revision).padStart(8)} | ${String(s.totalKey).padStart(10)} | ${human.padStart(10)} |${old ? '' : ` ${s.version} |`}\n+----------+----------+------------+------------+${old ? '' : '---------+'}\n`);
  } else process.stdout.write(`${s.hash.toString(16)}, ${s.revision}, ${s.totalKey}, ${human}${old ? '' : `, ${s.version}`}\n`);
  process.exit(0);
}

if (tool === 'etcdutl') {
  if (cmd === 'snapshot' && sub === 'status' && file) status(file);
  die(1, `Error: unknown command "${[cmd, sub].filter(Boolean).join(' ')}" for "etcdutl"\nRun 'etcdutl --help' for usage.`);
}

// ---- etcdctl
if (cmd !== 'snapshot') die(1, `harness: etcdctl ${cmd ?? ''} is not covered by the test double`);
if (sub === 'status' && file) {
  if (!old) die(1, 'Error: unknown command "status" for "etcdctl snapshot"\nRun \'etcdctl snapshot --help\' for usage.');
  process.stderr.write('Deprecated: Use `etcdutl snapshot status` instead.\n\n');
  status(file);
}
if (sub !== 'save' || !file) die(1, `Error: unknown command "${sub ?? ''}" for "etcdctl snapshot"`);
for (const f of ['cacert', 'cert', 'key']) {
  if (opt[f] === undefined) die(1, `{"level":"warn","msg":"retrying of unary invoker failed","error":"rpc error: code = Unavailable desc = connection error: desc = \\"error reading server preface: EOF\\""}\nError: context deadline exceeded`);
  if (!fs.existsSync(opt[f])) die(1, `Error: open ${opt[f]}: no such file or directory`);
}
const endpoint = String(opt.endpoints ?? '127.0.0.1:2379');
if (!/^(https:\/\/)?(127\.0\.0\.1|localhost):2379$/.test(endpoint)) die(1, `Error: context deadline exceeded (harness: etcd listens on https://127.0.0.1:2379 here, not ${endpoint})`);
const c = k.loadCluster(k.ADDR) ?? (() => {
  try { return k.loadCluster(fs.readdirSync(`${k.HK}/shared/clusters`).find((d) => k.loadCluster(d)?.host === k.HOST)); } catch { return undefined; }
})();
const up = fs.existsSync(`${k.STATE}/systemd/kubelet.active`) && fs.existsSync('/var/lib/etcd/member');
if (!c || c.host !== k.HOST || !up) die(1, '{"level":"warn","msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc000000000/127.0.0.1:2379","error":"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: connection error: desc = \\"transport: Error while dialing: dial tcp 127.0.0.1:2379: connect: connection refused\\""}\nError: context deadline exceeded');

// Every object of the cluster, keyed as the API server stores them.
const keys = {};
const objects = path.join(c.dir, 'objects');
for (const kind of fs.existsSync(objects) ? fs.readdirSync(objects).filter((d) => !d.startsWith('_')) : []) {
  for (const ns of fs.readdirSync(path.join(objects, kind))) {
    for (const f of fs.readdirSync(path.join(objects, kind, ns))) {
      const o = k.readJson(path.join(objects, kind, ns, f), undefined);
      if (o) keys[`/registry/${kind}s/${ns === '_cluster' ? '' : `${ns}/`}${o.metadata.name}`] = o;
    }
  }
}
for (const n of k.nodes(c)) keys[`/registry/minions/${n.name}`] = n;
const body = Buffer.from(JSON.stringify({ format: 'hobbykube-fake-etcd-db', revision: 1000 + Object.keys(keys).length * 7, keys }));
const db = Buffer.alloc(Math.ceil((body.length + 1) / 4096) * 4096);
body.copy(db);
const part = `${file}.part`;
log('created temporary db file', { path: part });
fs.writeFileSync(part, Buffer.concat([db, crypto.createHash('sha256').update(db).digest()]), { mode: 0o600 });
log('fetching snapshot', { endpoint });
fs.renameSync(part, file);
log('fetched snapshot', { endpoint, size: `${Math.round(db.length / 1000)} kB`, took: 'now', 'etcd-version': VERSION.replace(/\.\d+$/, '.0') });
log('saved', { path: file });
process.stdout.write(`Snapshot saved at ${file}\n`);
