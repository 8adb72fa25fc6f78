// Pure renderers for the install: scripts (probe + action per step), kubeadm and kubelet
// configuration, and the parsers for what those scripts print.
export * from './script.js';
export * from './version.js';
export * from './reservations.js';
export * from './swap.js';
export * from './static-pods.js';
export * from './prepare.js';
export * from './containerd.js';
export * from './addresses.js';
export * from './kubeadm-config.js';
export * from './cluster.js';
export * from './firewall.js';
export * from './flannel.js';
export * from './encryption.js';
export * from './pins.js';
