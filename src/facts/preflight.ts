// Preflight: a pure judgement of one node's facts against its role in the spec, before anything
// is installed. Every finding says what was found, with numbers, and what hobbykube will do.
//
// Units: "MB" in messages is kubeadm's MB, which is MiB (MemTotal / 1024 / 1024); see types.ts.
//
// Why one file of ~600 lines: one small check per concern (OS, size, swap, cgroups, resolver,
// runtime, address, cluster, ports, disk, clock) over the same facts, adding findings in the order
// they are printed; the printout (formatFacts, formatVerdict) and its helpers close the file.

import { isIPv4 } from 'node:net';
import type { NetworkSpec, NodeRole, NodeSpec } from '../spec/types.js';
import { networkFindings } from './network.js';
import type { NodeFacts } from './types.js';
import { WATCHED_PORTS } from './gather-script.js';
import { nodeAddressing } from './addressing.js';
import { CONTAINERD_MIN_VERSION, DOCKER_ENGINE_PACKAGES } from '../install/render/containerd.js';
import { OS_MIB, nodeProfile } from '../node-profile.js';
import { SWAPFILE, SWAP_DISK_MARGIN_MIB } from '../install/render/swapfile.js';
import { formatDuration } from '../text/duration.js';

export type FindingLevel = 'ok' | 'warn' | 'fail';

export interface Finding {
  level: FindingLevel;
  /** Stable machine name of the check: 'undersized', 'swap', 'resolver', 'port-in-use' ... */
  code: string;
  /** One plain sentence (or two) for the owner, with the numbers. No node name, no colors. */
  message: string;
}

/** kubeadm preflight error names hobbykube may ask kubeadm to ignore. */
export type PreflightError = 'NumCPU' | 'Mem';

export interface Verdict {
  node: string;
  role: NodeRole;
  /** No finding failed: installing may go ahead. */
  ok: boolean;
  findings: Finding[];
  /** What kubeadm init/join must be told to ignore on this node (see ignorePreflightErrors). */
  ignorePreflightErrors: PreflightError[];
}

// --- thresholds -----------------------------------------------------------------------------------

/** kubeadm's control-plane minimum (its NumCPU and Mem preflight errors). */
export const CONTROL_PLANE_MIN_CPUS = 2;
export const CONTROL_PLANE_MIN_MIB = 1700;

/**
 * Below this MemTotal no node is usable, whatever the owner accepts: the OS (~100-150 MB),
 * containerd (~40), the kubelet (~50-80), kube-proxy (~25) and the network plugin (~40-60) take
 * about 300 MB before any workload, and the kubelet's hard eviction threshold keeps 100 MB free
 * (memory.available<100Mi). A "512 MB" VPS reports about 460-490 MB and works as a worker; a
 * machine under 400 MB would evict its own pods. kubeadm itself checks no memory on a worker join.
 */
export const NODE_MIN_MIB = 400;

/**
 * A control plane below this is not even the "1 GB" class (a 1 GB VPS reports ~970 MB; some lose
 * a few dozen MB to crashkernel). The source document ran a 1 GB / 2 core control plane but its
 * kubeadm init on 512 MB / 1 core never completed, so accepting such a node gets a stark warning.
 */
export const ONE_GB_CLASS_MIB = 900;

/**
 * MemAvailable wanted before installing. Control plane: the source document measured
 * kube-apiserver at ~25% of 1 GB and etcd, controller-manager and kubelet at ~5% each, plus
 * scheduler, containerd and kube-proxy: about 500 MB. Worker: kubelet, containerd, kube-proxy and
 * the network plugin, about 200 MB. Only a warning: other services can be stopped.
 */
export const CONTROL_PLANE_AVAILABLE_MIB = 500;
export const WORKER_AVAILABLE_MIB = 200;
/** Tolerance before the OS footprint warning: MemAvailable moves by a few dozen MiB with the page cache. */
export const OS_MARGIN_MIB = 40;

/**
 * Free space on the filesystem holding /var (containerd's images, the kubelet, etcd, logs).
 * Fail below 2 GB: containerd and the Kubernetes packages (~300 MB), the control-plane and
 * network-plugin images unpacked (~700 MB-1 GB), apt's cache while installing, and etcd's data
 * leave nothing to spare under that. Warn below 5 GB: installation fits, but workload images
 * (a MySQL image alone is ~600 MB unpacked) and logs soon fill it. Also warn below 15% free: the
 * kubelet garbage-collects images once the disk is 85% full and evicts pods under 10% free.
 */
export const DISK_FAIL_MIB = 2048;
export const DISK_WARN_MIB = 5120;
export const DISK_WARN_FREE_PERCENT = 15;

/** Certificates (notBefore) and bootstrap tokens are checked against the clock; 2 s is already sloppy for NTP. */
export const MAX_CLOCK_SKEW_MS = 2000;

export const SUPPORTED_OS: ReadonlyArray<{ id: string; versionId: string; label: string }> = [
  { id: 'ubuntu', versionId: '22.04', label: 'Ubuntu 22.04' },
  { id: 'ubuntu', versionId: '24.04', label: 'Ubuntu 24.04' },
  { id: 'debian', versionId: '12', label: 'Debian 12' },
];

const PORT_USERS: Record<number, string> = {
  6443: 'kube-apiserver',
  2379: 'etcd (clients)',
  2380: 'etcd (peers)',
  10250: 'the kubelet',
  10257: 'kube-controller-manager',
  10259: 'kube-scheduler',
};

// --- the checks -------------------------------------------------------------------------------------

/**
 * What kubeadm must ignore on this node: nothing, unless it is a control plane below kubeadm's
 * minimum and the owner accepted that (acceptUndersized); then exactly the short resources.
 * A worker join runs no NumCPU/Mem check, so a worker never needs any.
 */
export function ignorePreflightErrors(node: NodeSpec, facts: NodeFacts): PreflightError[] {
  if (node.role !== 'control-plane' || !node.acceptUndersized) return [];
  const errors: PreflightError[] = [];
  if (facts.cpus !== undefined && facts.cpus < CONTROL_PLANE_MIN_CPUS) errors.push('NumCPU');
  if (facts.memory.totalMiB !== undefined && facts.memory.totalMiB < CONTROL_PLANE_MIN_MIB) errors.push('Mem');
  return errors;
}

/** `network`: the spec's (WireGuard unless privateNetwork): what the pod network needs from the kernel. */
export function preflight(node: NodeSpec, facts: NodeFacts, network?: NetworkSpec): Verdict {
  const findings: Finding[] = [];
  const add = (level: FindingLevel, code: string, message: string): void => {
    findings.push({ level, code, message });
  };

  if (!facts.complete) add('warn', 'facts-incomplete', "the fact probe's output ended early: what it did not reach is unknown and not checked");
  if (facts.uid !== undefined && facts.uid !== 0) add('warn', 'not-root', `the fact probe ran as uid ${facts.uid}, not root: some facts may be missing`);

  checkOs(facts, add);
  checkArch(facts, add);
  checkSize(node, facts, add);
  checkSwap(node, facts, add);
  checkCgroup(facts, add);
  checkResolver(facts, add);
  checkContainerRuntime(facts, add);
  checkAddress(node, facts, add, network);
  for (const finding of networkFindings(node, facts, network)) add(finding.level, finding.code, finding.message);
  const member = checkCluster(node, facts, add);
  if (member === false) checkPorts(node, facts, add);
  checkDisk(node, facts, add);
  checkClock(facts, add);

  return {
    node: node.name,
    role: node.role,
    ok: findings.every((finding) => finding.level !== 'fail'),
    findings,
    ignorePreflightErrors: ignorePreflightErrors(node, facts),
  };
}

type Add = (level: FindingLevel, code: string, message: string) => void;

function checkOs(facts: NodeFacts, add: Add): void {
  const supported = SUPPORTED_OS.map((os) => os.label).join(', ');
  const { id, versionId } = facts.os;
  if (id === undefined) {
    add('warn', 'os', `could not read /etc/os-release: hobbykube supports ${supported}`);
    return;
  }
  const match = SUPPORTED_OS.find((os) => os.id === id && os.versionId === versionId);
  if (match) add('ok', 'os', `${match.label} is supported`);
  else add('warn', 'os', `${osLabel(facts)} is not a system hobbykube supports (${supported}): installing may work but is untested`);
}

function checkArch(facts: NodeFacts, add: Add): void {
  if (facts.arch !== undefined) add('ok', 'arch', `${facts.arch} is supported`);
  else if (facts.machine === undefined) add('warn', 'arch', 'could not read the architecture (uname -m)');
  else add('fail', 'arch', `architecture ${facts.machine} is not supported: hobbykube installs amd64 and arm64 packages only`);
}

function checkSize(node: NodeSpec, facts: NodeFacts, add: Add): void {
  const { cpus } = facts;
  const { totalMiB, availableMiB } = facts.memory;
  const controlPlane = node.role === 'control-plane';

  if (totalMiB !== undefined && totalMiB < NODE_MIN_MIB) {
    add(
      'fail',
      'too-small',
      `${mb(totalMiB)} of memory is too little for any Kubernetes node: the system, containerd, the kubelet, kube-proxy and the network plugin take about 300 MB and the kubelet evicts pods below 100 MB available; at least ${mb(NODE_MIN_MIB)} is needed (a "512 MB" VPS reports about 480 MB)`,
    );
  } else if (controlPlane) {
    const shortCpu = cpus !== undefined && cpus < CONTROL_PLANE_MIN_CPUS;
    const shortMem = totalMiB !== undefined && totalMiB < CONTROL_PLANE_MIN_MIB;
    if (shortCpu || shortMem) {
      const short = ignoreList(shortCpu, shortMem);
      const what =
        shortCpu && shortMem
          ? `${cpuCount(cpus)} and ${mb(totalMiB)} are below kubeadm's control-plane minimum of ${cpuCount(CONTROL_PLANE_MIN_CPUS)} and ${mb(CONTROL_PLANE_MIN_MIB)}`
          : shortCpu
            ? `${cpuCount(cpus)} is below kubeadm's control-plane minimum of ${cpuCount(CONTROL_PLANE_MIN_CPUS)}`
            : `${mb(totalMiB)} of memory is below kubeadm's control-plane minimum of ${mb(CONTROL_PLANE_MIN_MIB)}`;
      const tiny = shortCpu || (totalMiB !== undefined && totalMiB < ONE_GB_CLASS_MIB);
      if (node.acceptUndersized) {
        add(
          'warn',
          'undersized',
          `${what}; going ahead on the owner's explicit choice (acceptUndersized): kubeadm runs with ignorePreflightErrors ${short}` +
            (tiny ? `. Expect trouble: on a 512 MB / 1 CPU VPS kubeadm init has been seen never to finish` : ''),
        );
      } else if (tiny) {
        add(
          'fail',
          'undersized',
          `${what}. On a 512 MB / 1 CPU VPS kubeadm init has been seen never to finish: use at least 1 GB / 2 CPUs for the control plane (this node can be a worker), or accept it as undersized at your own risk (kubeadm then ignores ${short})`,
        );
      } else {
        add(
          'fail',
          'undersized',
          `${what} (a "1 GB" VPS reports about 970 MB). A 1 GB / 2 CPU control plane does work: accept the node as undersized to go ahead (kubeadm then ignores ${short}), or use a bigger VPS`,
        );
      }
    } else if (cpus === undefined || totalMiB === undefined) {
      add('warn', 'size', `could not read ${unknownSize(cpus, totalMiB)}: kubeadm's own check (${cpuCount(CONTROL_PLANE_MIN_CPUS)}, ${mb(CONTROL_PLANE_MIN_MIB)} for a control plane) will decide`);
    } else {
      add('ok', 'size', `${cpuCount(cpus)} and ${mb(totalMiB)} meet kubeadm's control-plane minimum (${cpuCount(CONTROL_PLANE_MIN_CPUS)}, ${mb(CONTROL_PLANE_MIN_MIB)})`);
    }
  } else if (cpus === undefined || totalMiB === undefined) {
    add('warn', 'size', `could not read ${unknownSize(cpus, totalMiB)}: a worker needs at least 1 CPU and ${mb(NODE_MIN_MIB)}`);
  } else {
    add('ok', 'size', `${cpuCount(cpus)} and ${mb(totalMiB)} are enough for a worker (at least 1 CPU and ${mb(NODE_MIN_MIB)}; kubeadm checks no minimum on a worker join)`);
  }

  // Memory already in use, judged by MemAvailable (page cache is reclaimable, MemFree misleads).
  // A cluster member already runs its components, so its available memory says nothing here.
  if (facts.cluster.member !== false || totalMiB === undefined || availableMiB === undefined) return;
  if (totalMiB < NODE_MIN_MIB) return;
  // The small-node profile reserves OS_MIB for the kernel and the operating system: measured here,
  // before anything is installed, as MemTotal - MemAvailable.
  const osUse = totalMiB - availableMiB;
  if (nodeProfile(totalMiB, node.role).kind === 'small' && osUse > OS_MIB + OS_MARGIN_MIB) {
    add(
      'warn',
      'os-memory',
      `the operating system already uses ${mb(osUse)} (MemTotal - MemAvailable) before Kubernetes, more than the ${mb(OS_MIB)} hobbykube's small-node profile reserves for it: pods get that much less than the capacity table shows; stop services the node does not need (snapd, multipathd, unattended-upgrades ...)`,
    );
  }
  const wanted = controlPlane ? CONTROL_PLANE_AVAILABLE_MIB : WORKER_AVAILABLE_MIB;
  if (availableMiB >= wanted) return;
  const who = controlPlane
    ? `the control plane's own components need about ${mb(wanted)} (kube-apiserver alone takes about 25% of a 1 GB node)`
    : `the kubelet, containerd, kube-proxy and the network plugin need about ${mb(wanted)} before any workload`;
  add('warn', 'low-available-memory', `only ${mb(availableMiB)} of ${mb(totalMiB)} is available (MemAvailable): ${who}; stop services the node does not need`);
}

/** The swapfile hobbykube gives this node (small workers), from its memory; undefined otherwise or when unknown. */
function plannedSwapMiB(node: NodeSpec, facts: NodeFacts): number | undefined {
  const total = facts.memory.totalMiB;
  return total !== undefined && total > 0 ? nodeProfile(total, node.role).swap?.sizeMiB : undefined;
}

function checkSwap(node: NodeSpec, facts: NodeFacts, add: Add): void {
  const { totalMiB, usedMiB } = facts.swap;
  const planned = plannedSwapMiB(node, facts);
  const now = totalMiB === undefined ? '' : totalMiB === 0 ? 'swap is off' : `swap is on (${mb(totalMiB)}${usedMiB !== undefined ? `, ${mb(usedMiB)} used` : ''})`;
  if (planned !== undefined) {
    // A small worker: swap is wanted, never an error (kubelet failSwapOn: false, LimitedSwap).
    add(
      'ok',
      'swap',
      `${now || 'the swap size is unknown'}: a worker of ${mb(facts.memory.totalMiB)} gets hobbykube's ${mb(planned)} swapfile (${SWAPFILE}) and the kubelet's LimitedSwap; other swap is left as it is`,
    );
    return;
  }
  if (totalMiB === undefined) add('warn', 'swap', 'could not read the swap size (/proc/meminfo): hobbykube turns swap off in any case');
  else if (totalMiB === 0) add('ok', 'swap', 'swap is off');
  else
    add(
      'ok',
      'swap',
      `${now}: hobbykube turns it off (swapoff, and in /etc/fstab) because ${node.role === 'control-plane' ? 'a control plane runs without swap, as the Kubernetes swap documentation advises' : 'only workers of 1 GB or less run with swap'}`,
    );
}

function checkCgroup(facts: NodeFacts, add: Add): void {
  if (facts.cgroup === 'v2') add('ok', 'cgroup', 'cgroup v2');
  else if (facts.cgroup === 'v1')
    add(
      'fail',
      'cgroup-v1',
      `the node runs cgroup v1 (/sys/fs/cgroup is ${facts.cgroupFs ?? 'tmpfs'}): since Kubernetes 1.35 the kubelet refuses to start on cgroup v1 (failCgroupV1 defaults to true) and kubeadm's preflight reports it as an error; boot with cgroup v2 (kernel option systemd.unified_cgroup_hierarchy=1), the default on Ubuntu 22.04+ and Debian 12`,
    );
  else
    add(
      'warn',
      'cgroup',
      `could not tell the cgroup version (${facts.cgroupFs === undefined ? 'stat -fc %T /sys/fs/cgroup printed nothing' : `/sys/fs/cgroup is ${facts.cgroupFs}`}): Kubernetes 1.35 and newer need cgroup v2`,
    );
}

function checkResolver(facts: NodeFacts, add: Add): void {
  const { resolver, nameservers, upstream } = facts.dns;
  const upstreamNote =
    upstream.length > 0
      ? `found: ${upstream.join(', ')}`
      : 'none found in /run/systemd/resolve/resolv.conf, the wizard asks for them';
  switch (resolver) {
    case 'systemd-stub':
      add(
        'warn',
        'resolver',
        `/etc/resolv.conf names only systemd-resolved's stub (${nameservers.join(', ')}), which pods cannot reach, so cluster DNS would fail for every outside name. hobbykube points CoreDNS and the kubelet at the upstream servers instead (${upstreamNote})`,
      );
      break;
    case 'loopback':
      add(
        'warn',
        'resolver',
        `/etc/resolv.conf names only a local resolver (${nameservers.join(', ')}), which pods cannot reach and CoreDNS would forward to itself; hobbykube points CoreDNS and the kubelet at the upstream servers from the DNS question instead`,
      );
      break;
    case 'direct':
      add('ok', 'resolver', `/etc/resolv.conf names ${nameservers.join(', ')}`);
      break;
    case 'none':
      add(
        'warn',
        'resolver',
        `/etc/resolv.conf ${facts.dns.resolvConf === 'missing' ? 'is missing' : 'names no server'}: the node may not resolve names (apt, image pulls); hobbykube points CoreDNS and the kubelet at the upstream servers from the DNS question`,
      );
      break;
    default:
      add('warn', 'resolver', 'could not read /etc/resolv.conf');
  }
}

/**
 * containerd 2.2+ for Kubernetes 1.36 and later (containerd RELEASES.md; 1.35 was the last
 * Kubernetes release for containerd 1.x). What is installed decides: nothing (installed), a
 * supported 2.x (kept), an older containerd from a package (replaced or upgraded by apt), one not
 * from a package (refused: it cannot be replaced safely), Docker Engine (refused).
 */
function checkContainerRuntime(facts: NodeFacts, add: Add): void {
  const packages = facts.packages;
  const docker = DOCKER_ENGINE_PACKAGES.find((name) => packages[name] !== undefined);
  if (docker !== undefined || facts.tools.dockerd !== undefined) {
    const what = docker !== undefined ? `${docker} ${packages[docker]}` : `dockerd at ${facts.tools.dockerd!.path}`;
    add(
      'fail',
      'docker',
      `Docker Engine is installed (${what}). Docker runs its containers on the same containerd that Kubernetes needs at ${CONTAINERD_MIN_VERSION} or newer, so replacing or reconfiguring it would stop them, and Docker's own iptables rules (its FORWARD policy DROP) get in the way of pod traffic: hobbykube does not install Kubernetes beside it. Move what runs in Docker elsewhere and remove it (apt-get purge ${docker ?? 'docker-ce docker-ce-cli'}; /var/lib/docker keeps images and volumes until you delete it), or use a fresh VPS`,
    );
    return;
  }
  const tool = facts.tools.containerd;
  const install = `containerd.io 2.x from Docker's apt repository (download.docker.com)`;
  if (tool === undefined) {
    add('ok', 'containerd', `containerd is not installed: hobbykube installs ${install}`);
    return;
  }
  const source = packages['containerd.io'] !== undefined ? `containerd.io ${packages['containerd.io']}` : packages.containerd !== undefined ? `the distribution's containerd ${packages.containerd}` : `not from a package, at ${tool.path}`;
  const [major, minor] = (tool.version ?? '').split('.').map(Number);
  const [minMajor, minMinor] = CONTAINERD_MIN_VERSION.split('.').map(Number) as [number, number];
  if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) {
    add('warn', 'containerd', `containerd is installed (${source}) but its version could not be read (${tool.raw ?? 'containerd --version printed nothing'}): hobbykube installs ${install} unless it reports ${CONTAINERD_MIN_VERSION} or newer`);
  } else if (major > minMajor) {
    add('fail', 'containerd', `containerd ${tool.version} (${source}) is newer than hobbykube knows: it writes the containerd ${minMajor}.x configuration (version 3) and would not touch a ${major}.x one`);
  } else if (major === minMajor && minor >= minMinor) {
    add('ok', 'containerd', `containerd ${tool.version} (${source}) is supported (Kubernetes 1.36 and later need ${CONTAINERD_MIN_VERSION} or newer): kept, and configured for kubeadm`);
  } else if (packages['containerd.io'] !== undefined) {
    add('warn', 'containerd', `containerd ${tool.version} (${source}) is older than ${CONTAINERD_MIN_VERSION}, which Kubernetes 1.36 and later need: hobbykube upgrades containerd.io in place to the newest 2.x from Docker's repository (images and containers under /var/lib/containerd are kept; containerd restarts)`);
  } else if (packages.containerd !== undefined) {
    add(
      'warn',
      'containerd',
      `containerd ${tool.version} (${source}) is too old: Kubernetes 1.35 was the last release to support containerd 1.x, and 1.37 needs ${CONTAINERD_MIN_VERSION} or newer. hobbykube replaces it with ${install}; apt removes the containerd${packages.runc !== undefined ? ' and runc packages' : ' package'} (containerd.io brings its own runc; images and containers under /var/lib/containerd are kept)`,
    );
  } else {
    add(
      'fail',
      'containerd',
      `containerd ${tool.version} at ${tool.path} was not installed from a package, and Kubernetes 1.37 needs ${CONTAINERD_MIN_VERSION} or newer: hobbykube cannot replace it safely. Remove it (its binaries and its systemd unit) or upgrade it to ${CONTAINERD_MIN_VERSION} or newer yourself`,
    );
  }
}

/** Whether the spec's address is on the node's interface (else NAT), and that the node has IPv4 at all. */
function checkAddress(node: NodeSpec, facts: NodeFacts, add: Add, network?: NetworkSpec): void {
  if (facts.addresses === undefined) {
    add('warn', 'address', `could not list the node's addresses (neither ip nor hostname -I): ${node.address} is assumed to be on its interface`);
    return;
  }
  const own = facts.addresses.interfaces.map((i) => `${i.address}${i.device ? ` (${i.device})` : ''}`);
  const a = nodeAddressing(node, facts);
  if (a.local === undefined) {
    add('fail', 'address', `the node has no IPv4 address on any interface (${own.length > 0 ? own.join(', ') : 'none'}): hobbykube builds an IPv4 cluster`);
    return;
  }
  const on = a.device ? ` on ${a.device}` : '';
  if (a.mode === 'direct') add('ok', 'address', `${node.address} is on the node's interface${on}`);
  else if (a.mode === 'name') add('ok', 'address', `Kubernetes binds ${a.local}${on} (the default route's address); ${node.address} is how SSH reaches the node`);
  else if (a.mode === 'nat' && isIPv4(node.address)) {
    const pod = network?.privateNetwork === true ? 'UDP 8472 (flannel VXLAN)' : 'UDP 51820 (flannel WireGuard)';
    const ports = node.role === 'control-plane' ? `TCP 6443 (API server), TCP 10250 (kubelet) and ${pod}` : `TCP 10250 (kubelet) and ${pod}`;
    add(
      'warn',
      'address-nat',
      `${node.address} is on no interface of the node (${own.join(', ')}): a NAT'd public address. Kubernetes binds ${a.local}${on}; the other nodes${node.role === 'control-plane' ? ' and your kubeconfig' : ''} use ${node.address}, so the provider's firewall must let ${ports} reach it from the other nodes`,
    );
  }
}

/** Returns whether the node is already a cluster member (undefined: unknown). */
function checkCluster(node: NodeSpec, facts: NodeFacts, add: Add): boolean | undefined {
  const { member, controlPlane, leftovers } = facts.cluster;
  const installed = installedTools(facts);
  if (member === undefined) {
    add('warn', 'cluster', 'could not tell whether the node already belongs to a cluster');
    return undefined;
  }
  if (member) {
    const wantControlPlane = node.role === 'control-plane';
    if (wantControlPlane && !controlPlane)
      add('fail', 'role-mismatch', 'already joined to a cluster as a worker, but the spec makes it the control plane: reset it first (kubeadm reset is offered)');
    else if (!wantControlPlane && controlPlane)
      add('fail', 'role-mismatch', 'already the control plane of a cluster, but the spec makes it a worker: reset it first (kubeadm reset is offered)');
    else if (controlPlane)
      add('ok', 'member', 'already a control plane (/etc/kubernetes/admin.conf): left as it is; kubeadm reset is offered to start over');
    else add('ok', 'member', 'already joined to a cluster (/etc/kubernetes/kubelet.conf): left as it is; kubeadm reset is offered to start over');
    return true;
  }
  // Not a member. kubeadm init refuses a non-empty manifests dir or /var/lib/etcd; join only the former.
  const blocking = leftovers.filter((dir) => node.role === 'control-plane' || dir !== '/var/lib/etcd');
  if (blocking.length > 0)
    add(
      'fail',
      'leftovers',
      `not in a cluster, but ${blocking.join(' and ')} ${blocking.length === 1 ? 'is' : 'are'} not empty (left by an earlier kubeadm run): kubeadm refuses to run until ${blocking.length === 1 ? 'it is' : 'they are'} cleared; kubeadm reset (offered) clears ${blocking.length === 1 ? 'it' : 'them'}`,
    );
  else add('ok', 'member', 'not part of a cluster yet');
  if (installed.length > 0) add('ok', 'installed', `already installed: ${installed.join(', ')}`);
  return false;
}

function checkPorts(node: NodeSpec, facts: NodeFacts, add: Add): void {
  const relevant: readonly number[] = node.role === 'control-plane' ? WATCHED_PORTS : [10250];
  if (facts.ports.source === undefined) {
    add('warn', 'ports', "could not list listening ports (neither ss nor /proc/net/tcp): kubeadm's own check will catch a busy port");
    return;
  }
  const busy = facts.ports.listening.filter((listener) => relevant.includes(listener.port));
  for (const { port, process } of busy)
    add('fail', 'port-in-use', `port ${port} is already in use${process ? ` by ${process}` : ''}: kubeadm needs it for ${PORT_USERS[port] ?? 'Kubernetes'}`);
  if (busy.length === 0)
    add('ok', 'ports', relevant.length === 1 ? `port ${relevant[0]} is free` : `ports ${relevant.join(', ')} are free`);
}

function checkDisk(node: NodeSpec, facts: NodeFacts, add: Add): void {
  const disk = facts.varDisk;
  if (disk === undefined) {
    add('warn', 'disk', 'could not read the free space on /var (df)');
    return;
  }
  const where = disk.mount === '/var' ? 'on /var' : `on /var (filesystem ${disk.mount})`;
  const percent = disk.totalMiB > 0 ? Math.floor((disk.availableMiB / disk.totalMiB) * 100) : 0;
  // The swapfile (small workers) is counted, unless it is already there.
  const swap = plannedSwapMiB(node, facts);
  const swapNeeded = swap !== undefined && facts.cluster.member !== true && (facts.swap.totalMiB ?? 0) < swap ? swap : 0;
  const minimum = DISK_FAIL_MIB + swapNeeded;
  if (disk.availableMiB < minimum)
    add(
      'fail',
      'disk',
      `only ${gb(disk.availableMiB)} free ${where}: containerd, the Kubernetes packages and the system images need at least ${gb(DISK_FAIL_MIB)}` +
        (swapNeeded > 0 ? `, and hobbykube's swapfile ${gb(swapNeeded)} more (${gb(minimum)}; the swap step itself keeps ${gb(SWAP_DISK_MARGIN_MIB)} free beside it)` : ''),
    );
  else if (disk.availableMiB < DISK_WARN_MIB)
    add(
      'warn',
      'disk',
      `only ${gb(disk.availableMiB)} free ${where}: enough to install, but workload images (MySQL alone is about 600 MB) and logs soon fill it; ${gb(DISK_WARN_MIB)} or more is comfortable`,
    );
  else if (percent < DISK_WARN_FREE_PERCENT)
    add(
      'warn',
      'disk',
      `only ${percent}% of ${gb(disk.totalMiB)} free ${where}: the kubelet deletes images once the disk is 85% full and evicts pods below 10% free`,
    );
  else add('ok', 'disk', `${gb(disk.availableMiB)} free ${where}`);
}

function checkClock(facts: NodeFacts, add: Add): void {
  const skew = facts.clock.skewMs;
  if (skew === undefined) {
    add('warn', 'clock', "could not compare the node's clock with this computer's");
    return;
  }
  const seconds = formatDuration(Math.abs(skew));
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS)
    add(
      'warn',
      'clock-skew',
      `the node's clock is ${seconds} ${skew > 0 ? 'ahead of' : 'behind'} this computer's: certificates and join tokens are checked against the clock; turn on time sync (systemd-timesyncd or chrony)`,
    );
  else add('ok', 'clock', `clock within ${seconds} of this computer's`);
}

// --- formatting -----------------------------------------------------------------------------------

/** One line per node for `hobbykube plan`, plus one for installed Kubernetes software, if any. */
export function formatFacts(facts: NodeFacts, name: string = facts.hostname ?? '?'): string[] {
  const { totalMiB, availableMiB } = facts.memory;
  const memory =
    totalMiB === undefined
      ? 'memory ?'
      : `${mb(totalMiB)}${availableMiB !== undefined ? ` (${mb(availableMiB)} available)` : ''}`;
  const swap =
    facts.swap.totalMiB === undefined ? 'swap ?' : facts.swap.totalMiB === 0 ? 'swap off' : `swap ${mb(facts.swap.totalMiB)}`;
  const parts = [
    name,
    `${osLabel(facts)} ${facts.arch ?? facts.machine ?? '?'}`,
    `${facts.cpus ?? '?'} CPU`,
    memory,
    swap,
    `cgroup ${facts.cgroup ?? '?'}`,
    `resolver: ${resolverLabel(facts)}`,
  ];
  if (facts.varDisk) parts.push(`/var ${gb(facts.varDisk.availableMiB)} free`);
  const lines = [parts.join('  ')];

  const second = installedTools(facts);
  if (facts.cluster.member) second.push(facts.cluster.controlPlane ? 'member: control plane' : 'member: worker');
  if (second.length > 0) lines.push(`${' '.repeat(name.length)}  ${second.join('  ')}`);
  const addresses = facts.addresses?.interfaces ?? [];
  if (addresses.length > 0) {
    const shown = addresses.map((i) => `${i.device && i.device !== facts.addresses!.defaultDevice ? `${i.device} ` : ''}${i.address}${i.prefix !== undefined ? `/${i.prefix}` : ''}`);
    lines.push(`${' '.repeat(name.length)}  addresses: ${shown.join(', ')}${facts.addresses!.defaultDevice ? ` (default route via ${facts.addresses!.defaultDevice})` : ''}`);
  }
  return lines;
}

export function formatFinding(finding: Finding): string {
  return `${finding.level.padEnd(4)}  ${finding.message}`;
}

/**
 * Plain lines for a verdict: warnings and failures (every finding with `all`), or one "ok" line
 * when there is nothing to say. Callers add colors from `verdict.findings[i].level`.
 */
export function formatVerdict(verdict: Verdict, options: { all?: boolean } = {}): string[] {
  const shown = options.all ? verdict.findings : verdict.findings.filter((finding) => finding.level !== 'ok');
  if (shown.length === 0) return [formatFinding({ level: 'ok', code: 'all', message: 'all checks passed' })];
  return shown.map(formatFinding);
}

// --- helpers --------------------------------------------------------------------------------------

function mb(mib: number | undefined): string {
  return `${mib ?? '?'} MB`;
}

function gb(mib: number): string {
  return `${(mib / 1024).toFixed(1)} GB`;
}

function cpuCount(cpus: number | undefined): string {
  return cpus === 1 ? '1 CPU' : `${cpus ?? '?'} CPUs`;
}

function ignoreList(cpu: boolean, mem: boolean): string {
  return `[${[cpu ? 'NumCPU' : '', mem ? 'Mem' : ''].filter(Boolean).join(', ')}]`;
}

function unknownSize(cpus: number | undefined, totalMiB: number | undefined): string {
  const missing = [cpus === undefined ? 'the CPU count (nproc)' : '', totalMiB === undefined ? 'the memory size (/proc/meminfo)' : ''];
  return missing.filter(Boolean).join(' or ');
}

function osLabel(facts: NodeFacts): string {
  const { id, versionId, prettyName } = facts.os;
  const names: Record<string, string> = { ubuntu: 'Ubuntu', debian: 'Debian' };
  if (id !== undefined && names[id] !== undefined) return versionId ? `${names[id]} ${versionId}` : (names[id] ?? id);
  if (prettyName !== undefined) return prettyName;
  if (id !== undefined) return versionId ? `${id} ${versionId}` : id;
  return 'unknown OS';
}

function resolverLabel(facts: NodeFacts): string {
  switch (facts.dns.resolver) {
    case 'systemd-stub':
      return 'systemd stub';
    case 'loopback':
      return `local ${facts.dns.nameservers[0] ?? ''}`.trim();
    case 'direct':
      return facts.dns.nameservers.join(' ');
    case 'none':
      return 'none';
    default:
      return '?';
  }
}

function installedTools(facts: NodeFacts): string[] {
  const out: string[] = [];
  for (const name of ['kubeadm', 'kubelet', 'kubectl', 'containerd'] as const) {
    const tool = facts.tools[name];
    if (!tool) continue;
    const text = tool.version ? `${name} ${tool.version}` : name;
    if (name !== 'containerd') out.push(text);
    else if (facts.packages['containerd.io'] !== undefined) out.push(`${text} (containerd.io)`);
    else if (facts.packages.containerd !== undefined) out.push(`${text} (distribution package)`);
    else out.push(text);
  }
  for (const name of DOCKER_ENGINE_PACKAGES) if (facts.packages[name] !== undefined) out.push(`${name} ${facts.packages[name]}`);
  return out;
}
