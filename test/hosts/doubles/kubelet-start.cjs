'use strict';
// Not a double: what the kubelet does when systemctl (re)starts it on a node that has joined a
// cluster (called by the systemctl double, not recorded itself). It reads its configuration
// again, so the Node reports the kubelet package's version and the allocatable memory and
// maxPods of /var/lib/kubelet/config.yaml, or, when the configuration cannot start with swap on
// (failSwapOn not false), it crash-loops: the unit is "activating" and the Node goes NotReady
// ("Kubelet stopped posting node status"), as on a real node.
const fs = require('node:fs');
const k = require('./k8s-common.cjs');

const crashloop = `${k.STATE}/systemd/kubelet.crashloop`;
let config = '';
try { config = fs.readFileSync('/var/lib/kubelet/config.yaml', 'utf8'); } catch { /* no config yet: before kubeadm init/join */ }
const starts = config !== '' && k.kubeletWouldStart(config);
if (config !== '' && !starts) fs.writeFileSync(crashloop, 'running with swap on is not supported, please disable swap or set --fail-swap-on flag to false\n');
else fs.rmSync(crashloop, { force: true });

let kubeconfig;
try { kubeconfig = fs.readFileSync('/etc/kubernetes/kubelet.conf', 'utf8'); } catch { process.exit(0); }
const server = k.serverOf(kubeconfig);
const c = server && k.dialCluster(server.host, server.port).c;
if (!c) process.exit(0);
const node = k.nodes(c).find((n) => n.host === k.HOST);
if (!node) process.exit(0);
if (!starts) {
  k.saveNode(c, { ...node, kubeletUp: false });
  process.exit(0);
}
k.saveNode(c, { ...node, kubeletUp: true, version: k.k8sVersion('kubelet') || node.version, ...k.nodeCapacity(config) });
