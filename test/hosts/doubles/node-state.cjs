'use strict';
// Used by the systemctl double: what the API server sees when a unit stops or starts on this
// host. kubelet stopped: its Node stops posting status (Ready Unknown, NodeStatusUnknown);
// containerd stopped: the kubelet reports "container runtime is down" (Ready False). The change
// applies to this host's Node in every fake cluster of the bed. Not recorded (not a command).
//   node node-state.cjs kubelet|containerd up|down
const fs = require('node:fs');
const path = require('node:path');
const k = require('./k8s-common.cjs');

const [unit, state] = process.argv.slice(2);
const field = unit === 'kubelet' ? 'kubeletUp' : unit === 'containerd' ? 'runtimeUp' : undefined;
if (!field) process.exit(0);
const root = `${k.HK}/shared/clusters`;
let entries = [];
try { entries = fs.readdirSync(root); } catch { process.exit(0); }
for (const e of entries) {
  const dir = path.join(root, e);
  try { if (fs.lstatSync(dir).isSymbolicLink()) continue; } catch { continue; }
  const c = k.loadCluster(e);
  if (!c) continue;
  for (const n of k.nodes(c)) {
    if (n.host !== k.HOST) continue;
    // A node reset by kubeadm stays down whatever systemctl does (kubeadm join brings it back).
    if (field === 'kubeletUp' && state === 'up' && !fs.existsSync('/var/lib/kubelet/config.yaml')) continue;
    k.saveNode(c, { ...n, [field]: state === 'up' });
  }
}
