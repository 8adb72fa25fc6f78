import { describe, expect, it } from 'vitest';
import { parseFacts } from '../../src/facts/parse.js';
import {
  formatFacts,
  formatVerdict,
  ignorePreflightErrors,
  preflight,
  type Finding,
} from '../../src/facts/preflight.js';
import type { NodeFacts } from '../../src/facts/types.js';
import { isPrivateIPv4 } from '../../src/facts/network.js';
import { fixture, healthyFacts, nodeSpec } from './helpers.js';

const cp = nodeSpec('cp1', 'control-plane');
const cpAccepted = nodeSpec('cp1', 'control-plane', true);
const worker = nodeSpec('w1', 'worker');
const workerAccepted = nodeSpec('w1', 'worker', true);

// MemAvailable: what a fresh Debian VPS leaves (~90 MiB used by the OS), unless a test says otherwise.
function sized(cpus: number, totalMiB: number, availableMiB = totalMiB - 90): NodeFacts {
  return healthyFacts({ cpus, memory: { totalMiB, availableMiB, freeMiB: 100 } });
}

function finding(findings: Finding[], code: string): Finding | undefined {
  return findings.find((f) => f.code === code);
}

describe('preflight: size', () => {
  it('fails a 1 GB / 2 CPU control plane below 1700 MB, with the numbers', () => {
    const verdict = preflight(cp, sized(2, 970));
    expect(verdict.ok).toBe(false);
    expect(finding(verdict.findings, 'undersized')).toEqual({
      level: 'fail',
      code: 'undersized',
      message:
        '970 MB of memory is below kubeadm\'s control-plane minimum of 1700 MB (a "1 GB" VPS reports about 970 MB). A 1 GB / 2 CPU control plane does work: accept the node as undersized to go ahead (kubeadm then ignores [Mem]), or use a bigger VPS',
    });
    expect(verdict.ignorePreflightErrors).toEqual([]);
  });

  it('warns instead when the owner accepted it, and ignores exactly [Mem]', () => {
    const verdict = preflight(cpAccepted, sized(2, 970));
    expect(verdict.ok).toBe(true);
    expect(finding(verdict.findings, 'undersized')).toEqual({
      level: 'warn',
      code: 'undersized',
      message:
        "970 MB of memory is below kubeadm's control-plane minimum of 1700 MB; going ahead on the owner's explicit choice (acceptUndersized): kubeadm runs with ignorePreflightErrors [Mem]",
    });
    expect(verdict.ignorePreflightErrors).toEqual(['Mem']);
  });

  it('fails a 512 MB / 1 CPU control plane naming both, and says what happens on such a VPS', () => {
    const verdict = preflight(cp, sized(1, 480));
    expect(finding(verdict.findings, 'undersized')).toEqual({
      level: 'fail',
      code: 'undersized',
      message:
        "1 CPU and 480 MB are below kubeadm's control-plane minimum of 2 CPUs and 1700 MB. On a 512 MB / 1 CPU VPS kubeadm init has been seen never to finish: use at least 1 GB / 2 CPUs for the control plane (this node can be a worker), or accept it as undersized at your own risk (kubeadm then ignores [NumCPU, Mem])",
    });
    expect(ignorePreflightErrors(cp, sized(1, 480))).toEqual([]);
  });

  it('accepted 512 MB / 1 CPU control plane: warn with a stark note, ignore [NumCPU, Mem]', () => {
    const verdict = preflight(cpAccepted, sized(1, 480));
    expect(verdict.ok).toBe(true);
    expect(finding(verdict.findings, 'undersized')?.message).toBe(
      "1 CPU and 480 MB are below kubeadm's control-plane minimum of 2 CPUs and 1700 MB; going ahead on the owner's explicit choice (acceptUndersized): kubeadm runs with ignorePreflightErrors [NumCPU, Mem]. Expect trouble: on a 512 MB / 1 CPU VPS kubeadm init has been seen never to finish",
    );
    expect(verdict.ignorePreflightErrors).toEqual(['NumCPU', 'Mem']);
  });

  it('only CPUs short: ignore only NumCPU', () => {
    const verdict = preflight(cpAccepted, sized(1, 3900));
    expect(finding(verdict.findings, 'undersized')?.message).toBe(
      "1 CPU is below kubeadm's control-plane minimum of 2 CPUs; going ahead on the owner's explicit choice (acceptUndersized): kubeadm runs with ignorePreflightErrors [NumCPU]. Expect trouble: on a 512 MB / 1 CPU VPS kubeadm init has been seen never to finish",
    );
    expect(verdict.ignorePreflightErrors).toEqual(['NumCPU']);
  });

  it('a control plane at the minimum is ok, and accepting changes nothing', () => {
    const verdict = preflight(cpAccepted, sized(2, 1700));
    expect(finding(verdict.findings, 'size')).toEqual({
      level: 'ok',
      code: 'size',
      message: "2 CPUs and 1700 MB meet kubeadm's control-plane minimum (2 CPUs, 1700 MB)",
    });
    expect(finding(verdict.findings, 'undersized')).toBeUndefined();
    expect(verdict.ignorePreflightErrors).toEqual([]);
  });

  it('a 512 MB / 1 CPU worker is ok', () => {
    const verdict = preflight(worker, sized(1, 480));
    expect(verdict.ok).toBe(true);
    expect(verdict.findings.filter((f) => f.level !== 'ok')).toEqual([]);
    expect(finding(verdict.findings, 'size')?.message).toBe(
      '1 CPU and 480 MB are enough for a worker (at least 1 CPU and 400 MB; kubeadm checks no minimum on a worker join)',
    );
    expect(verdict.ignorePreflightErrors).toEqual([]);
    expect(ignorePreflightErrors(workerAccepted, sized(1, 480))).toEqual([]);
  });

  it('fails any node below 400 MB, accepted or not', () => {
    const message =
      '380 MB of memory is too little for any Kubernetes node: the system, containerd, the kubelet, kube-proxy and the network plugin take about 300 MB and the kubelet evicts pods below 100 MB available; at least 400 MB is needed (a "512 MB" VPS reports about 480 MB)';
    for (const node of [worker, workerAccepted, cpAccepted]) {
      const verdict = preflight(node, sized(1, 380));
      expect(verdict.ok).toBe(false);
      expect(finding(verdict.findings, 'too-small')).toEqual({ level: 'fail', code: 'too-small', message });
    }
  });

  it('warns when little memory is available before installing (MemAvailable)', () => {
    expect(finding(preflight(cpAccepted, sized(2, 970, 420)).findings, 'low-available-memory')?.message).toBe(
      "only 420 MB of 970 MB is available (MemAvailable): the control plane's own components need about 500 MB (kube-apiserver alone takes about 25% of a 1 GB node); stop services the node does not need",
    );
    expect(finding(preflight(worker, sized(1, 480, 150)).findings, 'low-available-memory')).toEqual({
      level: 'warn',
      code: 'low-available-memory',
      message:
        'only 150 MB of 480 MB is available (MemAvailable): the kubelet, containerd, kube-proxy and the network plugin need about 200 MB before any workload; stop services the node does not need',
    });
    expect(finding(preflight(worker, sized(1, 480, 250)).findings, 'low-available-memory')).toBeUndefined();
  });

  it('says so when the size is unknown', () => {
    const facts = healthyFacts({ cpus: undefined, memory: {} });
    expect(finding(preflight(cp, facts).findings, 'size')).toEqual({
      level: 'warn',
      code: 'size',
      message:
        "could not read the CPU count (nproc) or the memory size (/proc/meminfo): kubeadm's own check (2 CPUs, 1700 MB for a control plane) will decide",
    });
    expect(finding(preflight(worker, facts).findings, 'size')?.message).toBe(
      'could not read the CPU count (nproc) or the memory size (/proc/meminfo): a worker needs at least 1 CPU and 400 MB',
    );
    expect(ignorePreflightErrors(cpAccepted, facts)).toEqual([]);
  });
});

describe('preflight: system', () => {
  it('warns about an unsupported OS, listing the supported ones', () => {
    const facts = healthyFacts({ os: { id: 'fedora', versionId: '42', prettyName: 'Fedora Linux 42 (Server Edition)' } });
    expect(finding(preflight(worker, facts).findings, 'os')).toEqual({
      level: 'warn',
      code: 'os',
      message:
        'Fedora Linux 42 (Server Edition) is not a system hobbykube supports (Ubuntu 22.04, Ubuntu 24.04, Debian 12): installing may work but is untested',
    });
    expect(finding(preflight(worker, healthyFacts({ os: { id: 'debian', versionId: '13' } })).findings, 'os')?.message).toBe(
      'Debian 13 is not a system hobbykube supports (Ubuntu 22.04, Ubuntu 24.04, Debian 12): installing may work but is untested',
    );
    expect(finding(preflight(worker, healthyFacts()).findings, 'os')).toEqual({ level: 'ok', code: 'os', message: 'Ubuntu 24.04 is supported' });
  });

  it('fails an architecture other than amd64/arm64', () => {
    const verdict = preflight(worker, healthyFacts({ machine: 'armv7l', arch: undefined }));
    expect(verdict.ok).toBe(false);
    expect(finding(verdict.findings, 'arch')).toEqual({
      level: 'fail',
      code: 'arch',
      message: 'architecture armv7l is not supported: hobbykube installs amd64 and arm64 packages only',
    });
  });

  it('swap on a control plane is ok and says it will be turned off, and why', () => {
    const facts = parseFacts(fixture('ubuntu-22.04-swap-stub.txt'));
    expect(finding(preflight(cp, facts).findings, 'swap')).toEqual({
      level: 'ok',
      code: 'swap',
      message:
        'swap is on (1023 MB, 12 MB used): hobbykube turns it off (swapoff, and in /etc/fstab) because a control plane runs without swap, as the Kubernetes swap documentation advises',
    });
    const big = { ...facts, memory: { ...facts.memory, totalMiB: 3900 } };
    expect(finding(preflight(worker, big).findings, 'swap')?.message).toBe(
      'swap is on (1023 MB, 12 MB used): hobbykube turns it off (swapoff, and in /etc/fstab) because only workers of 1 GB or less run with swap',
    );
  });

  it('swap on a worker of 1 GB or less is never an error: it gets the swapfile and LimitedSwap, other swap stays', () => {
    const swapped = parseFacts(fixture('ubuntu-22.04-swap-stub.txt'));
    const facts = { ...swapped, memory: { totalMiB: 481, availableMiB: 390, freeMiB: 100 } };
    const verdict = preflight(worker, facts);
    expect(finding(verdict.findings, 'swap')).toEqual({
      level: 'ok',
      code: 'swap',
      message:
        "swap is on (1023 MB, 12 MB used): a worker of 481 MB gets hobbykube's 1024 MB swapfile (/var/lib/hobbykube/swapfile) and the kubelet's LimitedSwap; other swap is left as it is",
    });
    const w480 = preflight(worker, sized(1, 480));
    expect(finding(w480.findings, 'swap')?.message).toBe(
      "swap is off: a worker of 480 MB gets hobbykube's 960 MB swapfile (/var/lib/hobbykube/swapfile) and the kubelet's LimitedSwap; other swap is left as it is",
    );
    expect(w480.findings.filter((f) => f.level !== 'ok')).toEqual([]);
  });

  it("warns when a small node's operating system already uses more than the small-node profile reserves (measured)", () => {
    expect(finding(preflight(worker, sized(1, 480, 480 - 120)).findings, 'os-memory')).toBeUndefined();
    expect(finding(preflight(worker, sized(1, 480, 480 - 121)).findings, 'os-memory')).toEqual({
      level: 'warn',
      code: 'os-memory',
      message:
        "the operating system already uses 121 MB (MemTotal - MemAvailable) before Kubernetes, more than the 80 MB hobbykube's small-node profile reserves for it: pods get that much less than the capacity table shows; stop services the node does not need (snapd, multipathd, unattended-upgrades ...)",
    });
    // Nodes of 2 GB or more keep the standard reservations: no such warning.
    expect(finding(preflight(worker, sized(2, 3900, 3000)).findings, 'os-memory')).toBeUndefined();
  });

  it("counts the swapfile in a small worker's disk need", () => {
    const facts = healthyFacts({ memory: { totalMiB: 480, availableMiB: 390, freeMiB: 100 }, varDisk: { totalMiB: 10240, availableMiB: 2900, mount: '/' } });
    expect(finding(preflight(worker, facts).findings, 'disk')).toEqual({
      level: 'fail',
      code: 'disk',
      message:
        "only 2.8 GB free on /var (filesystem /): containerd, the Kubernetes packages and the system images need at least 2.0 GB, and hobbykube's swapfile 0.9 GB more (2.9 GB; the swap step itself keeps 1.0 GB free beside it)",
    });
    expect(finding(preflight(cp, { ...facts, memory: { totalMiB: 1980, availableMiB: 1800, freeMiB: 100 } }).findings, 'disk')?.level).toBe('warn');
  });

  it('fails cgroup v1, which kubelet 1.35+ refuses by default', () => {
    const verdict = preflight(worker, healthyFacts({ cgroup: 'v1', cgroupFs: 'tmpfs' }));
    expect(verdict.ok).toBe(false);
    expect(finding(verdict.findings, 'cgroup-v1')).toEqual({
      level: 'fail',
      code: 'cgroup-v1',
      message:
        "the node runs cgroup v1 (/sys/fs/cgroup is tmpfs): since Kubernetes 1.35 the kubelet refuses to start on cgroup v1 (failCgroupV1 defaults to true) and kubeadm's preflight reports it as an error; boot with cgroup v2 (kernel option systemd.unified_cgroup_hierarchy=1), the default on Ubuntu 22.04+ and Debian 12",
    });
  });

  it('warns about the systemd-resolved stub and names the upstream servers it will use', () => {
    const facts = parseFacts(fixture('ubuntu-22.04-swap-stub.txt'));
    expect(finding(preflight(cp, facts).findings, 'resolver')).toEqual({
      level: 'warn',
      code: 'resolver',
      message:
        "/etc/resolv.conf names only systemd-resolved's stub (127.0.0.53), which pods cannot reach, so cluster DNS would fail for every outside name. hobbykube points CoreDNS and the kubelet at the upstream servers instead (found: 213.133.98.98, 213.133.99.99, 2a01:4ff:ff00::add:1)",
    });
    const noUpstream = healthyFacts({ dns: { resolver: 'systemd-stub', resolvConf: 'present', nameservers: ['127.0.0.53'], upstream: [] } });
    expect(finding(preflight(cp, noUpstream).findings, 'resolver')?.message).toBe(
      "/etc/resolv.conf names only systemd-resolved's stub (127.0.0.53), which pods cannot reach, so cluster DNS would fail for every outside name. hobbykube points CoreDNS and the kubelet at the upstream servers instead (none found in /run/systemd/resolve/resolv.conf, the wizard asks for them)",
    );
  });

  it('fails a port kubeadm needs, naming the port and its user', () => {
    const facts = healthyFacts({ ports: { source: 'ss', listening: [{ port: 6443, process: 'haproxy' }, { port: 10250 }] } });
    const verdict = preflight(cp, facts);
    expect(verdict.findings.filter((f) => f.code === 'port-in-use')).toEqual([
      { level: 'fail', code: 'port-in-use', message: 'port 6443 is already in use by haproxy: kubeadm needs it for kube-apiserver' },
      { level: 'fail', code: 'port-in-use', message: 'port 10250 is already in use: kubeadm needs it for the kubelet' },
    ]);
    // A worker only needs the kubelet's port.
    expect(preflight(worker, facts).findings.filter((f) => f.code === 'port-in-use').map((f) => f.message)).toEqual([
      'port 10250 is already in use: kubeadm needs it for the kubelet',
    ]);
    expect(finding(preflight(worker, healthyFacts()).findings, 'ports')?.message).toBe('port 10250 is free');
    expect(finding(preflight(cp, healthyFacts()).findings, 'ports')?.message).toBe('ports 6443, 2379, 2380, 10250, 10257, 10259 are free');
  });

  it('disk on /var: fail below 2 GB, warn below 5 GB or 15% free', () => {
    const disk = (availableMiB: number, totalMiB = 24636, mount = '/') => healthyFacts({ varDisk: { totalMiB, availableMiB, mount } });
    expect(finding(preflight(worker, disk(1500)).findings, 'disk')).toEqual({
      level: 'fail',
      code: 'disk',
      message:
        'only 1.5 GB free on /var (filesystem /): containerd, the Kubernetes packages and the system images need at least 2.0 GB',
    });
    expect(finding(preflight(worker, disk(3277, 9000, '/var')).findings, 'disk')).toEqual({
      level: 'warn',
      code: 'disk',
      message:
        'only 3.2 GB free on /var: enough to install, but workload images (MySQL alone is about 600 MB) and logs soon fill it; 5.0 GB or more is comfortable',
    });
    expect(finding(preflight(worker, disk(8192, 81920)).findings, 'disk')?.message).toBe(
      'only 10% of 80.0 GB free on /var (filesystem /): the kubelet deletes images once the disk is 85% full and evicts pods below 10% free',
    );
    expect(finding(preflight(worker, disk(20000)).findings, 'disk')).toEqual({
      level: 'ok',
      code: 'disk',
      message: '19.5 GB free on /var (filesystem /)',
    });
  });

  it('warns about clock skew over 2 s', () => {
    const skewed = (skewMs: number) => healthyFacts({ clock: { skewMs } });
    expect(finding(preflight(worker, skewed(5300)).findings, 'clock-skew')).toEqual({
      level: 'warn',
      code: 'clock-skew',
      message:
        "the node's clock is 5.3 s ahead of this computer's: certificates and join tokens are checked against the clock; turn on time sync (systemd-timesyncd or chrony)",
    });
    expect(finding(preflight(worker, skewed(-2500)).findings, 'clock-skew')?.message).toMatch(/^the node's clock is 2\.5 s behind this computer's:/);
    expect(finding(preflight(worker, skewed(1900)).findings, 'clock')).toEqual({
      level: 'ok',
      code: 'clock',
      message: "clock within 1.9 s of this computer's",
    });
  });
});

describe('preflight: existing clusters', () => {
  it('leaves a joined worker alone and skips the port check (its kubelet owns 10250)', () => {
    const facts = parseFacts(fixture('ubuntu-24.04-joined-worker.txt'));
    facts.clock.skewMs = 40;
    const verdict = preflight(worker, facts);
    expect(verdict.ok).toBe(true);
    expect(finding(verdict.findings, 'member')).toEqual({
      level: 'ok',
      code: 'member',
      message: 'already joined to a cluster (/etc/kubernetes/kubelet.conf): left as it is; kubeadm reset is offered to start over',
    });
    expect(finding(verdict.findings, 'port-in-use')).toBeUndefined();
    // 115 MB available, but its Kubernetes components are already running: no memory warning.
    expect(finding(verdict.findings, 'low-available-memory')).toBeUndefined();
  });

  it('leaves a joined control plane alone', () => {
    const facts = parseFacts(fixture('debian-12-joined-control-plane.txt'));
    facts.clock.skewMs = 40;
    const verdict = preflight(cp, facts);
    // Installed by an older hobbykube with containerd.io 1.7: upgraded in place, not refused.
    expect(verdict.findings.filter((f) => f.level !== 'ok')).toEqual([
      {
        level: 'warn',
        code: 'containerd',
        message:
          "containerd 1.7.27 (containerd.io 1.7.27-1) is older than 2.2, which Kubernetes 1.36 and later need: hobbykube upgrades containerd.io in place to the newest 2.x from Docker's repository (images and containers under /var/lib/containerd are kept; containerd restarts)",
      },
    ]);
    expect(finding(verdict.findings, 'member')?.message).toBe(
      'already a control plane (/etc/kubernetes/admin.conf): left as it is; kubeadm reset is offered to start over',
    );
  });

  it('fails when the existing role differs from the spec', () => {
    const joinedWorker = parseFacts(fixture('ubuntu-24.04-joined-worker.txt'));
    expect(finding(preflight(cpAccepted, joinedWorker).findings, 'role-mismatch')).toEqual({
      level: 'fail',
      code: 'role-mismatch',
      message: 'already joined to a cluster as a worker, but the spec makes it the control plane: reset it first (kubeadm reset is offered)',
    });
    const joinedCp = parseFacts(fixture('debian-12-joined-control-plane.txt'));
    expect(finding(preflight(worker, joinedCp).findings, 'role-mismatch')?.message).toBe(
      'already the control plane of a cluster, but the spec makes it a worker: reset it first (kubeadm reset is offered)',
    );
  });

  it('fails on leftovers of an earlier kubeadm run', () => {
    const facts = healthyFacts({ cluster: { member: false, controlPlane: false, leftovers: ['/etc/kubernetes/manifests', '/var/lib/etcd'] } });
    expect(finding(preflight(cp, facts).findings, 'leftovers')?.message).toBe(
      'not in a cluster, but /etc/kubernetes/manifests and /var/lib/etcd are not empty (left by an earlier kubeadm run): kubeadm refuses to run until they are cleared; kubeadm reset (offered) clears them',
    );
    // kubeadm join does not look at /var/lib/etcd.
    const etcdOnly = healthyFacts({ cluster: { member: false, controlPlane: false, leftovers: ['/var/lib/etcd'] } });
    expect(finding(preflight(worker, etcdOnly).findings, 'leftovers')).toBeUndefined();
  });
});

describe('preflight on whole fixtures', () => {
  it('1 GB Ubuntu 24.04 control plane, not accepted', () => {
    const facts = parseFacts(fixture('ubuntu-24.04-control-plane-1gb.txt'));
    facts.clock.skewMs = 150;
    const verdict = preflight(cp, facts);
    expect(verdict.ok).toBe(false);
    expect(formatVerdict(verdict)).toEqual([
      'fail  970 MB of memory is below kubeadm\'s control-plane minimum of 1700 MB (a "1 GB" VPS reports about 970 MB). A 1 GB / 2 CPU control plane does work: accept the node as undersized to go ahead (kubeadm then ignores [Mem]), or use a bigger VPS',
      "warn  the operating system already uses 358 MB (MemTotal - MemAvailable) before Kubernetes, more than the 80 MB hobbykube's small-node profile reserves for it: pods get that much less than the capacity table shows; stop services the node does not need (snapd, multipathd, unattended-upgrades ...)",
      "warn  /etc/resolv.conf names only systemd-resolved's stub (127.0.0.53), which pods cannot reach, so cluster DNS would fail for every outside name. hobbykube points CoreDNS and the kubelet at the upstream servers instead (found: 67.207.67.2, 67.207.67.3)",
    ]);
    expect(formatFacts(facts)).toEqual([
      'cp1  Ubuntu 24.04 amd64  2 CPU  970 MB (612 MB available)  swap off  cgroup v2  resolver: systemd stub  /var 21.4 GB free',
      '     addresses: 192.0.2.10/24 (default route via eth0)',
    ]);
  });

  it('512 MB Debian 12 worker passes everything', () => {
    const facts = parseFacts(fixture('debian-12-worker-512mb.txt'));
    facts.clock.skewMs = -300;
    const verdict = preflight(worker, facts);
    expect(verdict.ok).toBe(true);
    expect(formatVerdict(verdict)).toEqual(['ok    all checks passed']);
    expect(formatVerdict(verdict, { all: true })).toEqual([
      'ok    Debian 12 is supported',
      'ok    amd64 is supported',
      'ok    1 CPU and 480 MB are enough for a worker (at least 1 CPU and 400 MB; kubeadm checks no minimum on a worker join)',
      "ok    swap is off: a worker of 480 MB gets hobbykube's 960 MB swapfile (/var/lib/hobbykube/swapfile) and the kubelet's LimitedSwap; other swap is left as it is",
      'ok    cgroup v2',
      'ok    /etc/resolv.conf names 1.1.1.1, 9.9.9.9',
      "ok    containerd is not installed: hobbykube installs containerd.io 2.x from Docker's apt repository (download.docker.com)",
      "ok    192.0.2.10 is on the node's interface on eth0",
      'ok    the wireguard kernel module is available (6.1.0-37-amd64): pod traffic between nodes is encrypted',
      'ok    not part of a cluster yet',
      'ok    port 10250 is free',
      'ok    7.7 GB free on /var (filesystem /)',
      "ok    clock within 0.3 s of this computer's",
    ]);
    expect(formatFacts(facts, 'w1')).toEqual([
      'w1  Debian 12 amd64  1 CPU  480 MB (380 MB available)  swap off  cgroup v2  resolver: 1.1.1.1 9.9.9.9  /var 7.7 GB free',
      '    addresses: 192.0.2.10/24 (default route via eth0)',
    ]);
  });

  it('joined worker: facts show the installed software and membership', () => {
    const facts = parseFacts(fixture('ubuntu-24.04-joined-worker.txt'));
    expect(formatFacts(facts)).toEqual([
      'w2  Ubuntu 24.04 amd64  1 CPU  457 MB (115 MB available)  swap off  cgroup v2  resolver: systemd stub  /var 18.1 GB free',
      '    kubeadm 1.37.0  kubelet 1.37.0  kubectl 1.37.0  containerd 2.2.4 (containerd.io)  member: worker',
      '    addresses: 10.0.0.12/24 (default route via ens3)',
    ]);
  });

  it('a stripped-down box: unknowns are warnings, the small /var fails', () => {
    const facts = parseFacts(fixture('minimal-missing-tools.txt'));
    const verdict = preflight(worker, facts);
    expect(verdict.ok).toBe(false);
    expect(formatVerdict(verdict)).toEqual([
      'warn  could not read /etc/os-release: hobbykube supports Ubuntu 22.04, Ubuntu 24.04, Debian 12',
      'warn  could not read the CPU count (nproc): a worker needs at least 1 CPU and 400 MB',
      'warn  could not tell the cgroup version (stat -fc %T /sys/fs/cgroup printed nothing): Kubernetes 1.35 and newer need cgroup v2',
      'warn  /etc/resolv.conf is missing: the node may not resolve names (apt, image pulls); hobbykube points CoreDNS and the kubelet at the upstream servers from the DNS question',
      'warn  could not list the node\'s addresses (neither ip nor hostname -I): 192.0.2.10 is assumed to be on its interface',
      'warn  could not tell whether the kernel has the wireguard module (no modprobe): flannel fails to start without it',
      'fail  port 10250 is already in use: kubeadm needs it for the kubelet',
      "fail  only 1.4 GB free on /var: containerd, the Kubernetes packages and the system images need at least 2.0 GB, and hobbykube's swapfile 1.9 GB more (3.9 GB; the swap step itself keeps 1.0 GB free beside it)",
      "warn  could not compare the node's clock with this computer's",
    ]);
    expect(formatFacts(facts)).toEqual([
      'tiny  unknown OS amd64  ? CPU  988 MB  swap off  cgroup ?  resolver: none  /var 1.4 GB free',
    ]);
  });

  it('output cut short is a warning of its own', () => {
    const full = fixture('debian-12-worker-512mb.txt');
    const facts = parseFacts(full.slice(0, full.indexOf('var_disk')));
    const lines = formatVerdict(preflight(worker, facts));
    expect(lines[0]).toBe("warn  the fact probe's output ended early: what it did not reach is unknown and not checked");
    expect(lines).toContain('warn  could not tell whether the node already belongs to a cluster');
  });
});

describe('preflight: the pod network', () => {
  const node = nodeSpec('w1', 'worker');
  const network = (facts: ReturnType<typeof healthyFacts>, spec?: Parameters<typeof preflight>[2]) => preflight(node, facts, spec).findings.filter((f) => f.code === 'wireguard' || f.code === 'private-network');

  it('WireGuard (the default): the kernel module is needed, and a kernel without it fails with what to do', () => {
    expect(network(healthyFacts())).toEqual([{ level: 'ok', code: 'wireguard', message: 'the wireguard kernel module is available (6.8.0-71-generic): pod traffic between nodes is encrypted' }]);
    const without = preflight(node, healthyFacts({ modules: { wireguard: false } }));
    expect(without.ok).toBe(false);
    const fail = without.findings.find((f) => f.code === 'wireguard')!;
    expect(fail.level).toBe('fail');
    expect(fail.message).toContain('the kernel (6.8.0-71-generic) has no wireguard module (modprobe --dry-run wireguard found none)');
    expect(fail.message).toContain('apt-get install linux-modules-extra-$(uname -r)');
    expect(fail.message).toContain('set spec.network.privateNetwork: true instead');
    expect(network(healthyFacts({ modules: {} }))[0]?.level).toBe('warn');
  });

  it('privateNetwork: VXLAN needs no module, but the default route must be a private address', () => {
    const privateFacts = healthyFacts({ modules: { wireguard: false }, addresses: { source: 'ip', interfaces: [{ device: 'ens4', address: '10.0.0.7', prefix: 24, family: 4 }], defaultDevice: 'ens4' } });
    expect(network(privateFacts, { privateNetwork: true })).toEqual([{ level: 'ok', code: 'private-network', message: 'pod traffic uses VXLAN from 10.0.0.7 (ens4), a private address, as spec.network.privateNetwork says' }]);
    expect(preflight(node, privateFacts, { privateNetwork: true }).ok).toBe(true);
    const publicRoute = network(healthyFacts(), { privateNetwork: true });
    expect(publicRoute[0]?.level).toBe('fail');
    expect(publicRoute[0]?.message).toContain("spec.network.privateNetwork is true, but the default route's address 192.0.2.10 (eth0) is public: flannel would send pod traffic unencrypted (VXLAN) across it");
  });

  it('private ranges are RFC 1918 and RFC 6598', () => {
    for (const ip of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '100.127.0.1']) expect(isPrivateIPv4(ip), ip).toBe(true);
    for (const ip of ['172.32.0.1', '192.169.0.1', '100.128.0.1', '203.0.113.10', '8.8.8.8', 'fd00::1']) expect(isPrivateIPv4(ip), ip).toBe(false);
  });
});
