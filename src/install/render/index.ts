// Pure renderers for the install: scripts (probe + action per step, one step renderer per file),
// kubeadm and kubelet configuration, and the parsers for what those scripts print. The public
// entry: callers import from here.
export * from './script.js';
export * from './version.js';
// one node's preparation, in order (prepare.ts lists them)
export * from './prepare.js';
export * from './swap-off.js';
export * from './swapfile.js';
export * from './kernel.js';
export * from './base-packages.js';
export * from './containerd.js';
export * from './kubernetes-packages.js';
export * from './sandbox-image.js';
export * from './resolved.js';
export * from './api-endpoint.js';
// the cluster
export * from './kubeadm-config.js';
export * from './static-pods.js';
export * from './init.js';
export * from './admin-conf.js';
export * from './flannel.js';
export * from './flannel-public-ip.js';
export * from './wait-ready.js';
export * from './coredns.js';
export * from './dns-check.js';
export * from './join-token.js';
export * from './join.js';
export * from './reset-node.js';
// safe on the public internet
export * from './firewall.js';
export * from './encryption.js';
export * from './pins.js';
