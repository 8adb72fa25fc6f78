import { describe, expect, it } from 'vitest';
import { looksLikeFacts, parseFacts, versionIn } from '../../src/facts/parse.js';
import { fixture } from './helpers.js';

describe('parseFacts', () => {
  it('reads a 1 GB Ubuntu 24.04 control plane', () => {
    const facts = parseFacts(fixture('ubuntu-24.04-control-plane-1gb.txt'));
    expect(facts).toEqual({
      complete: true,
      uid: 0,
      hostname: 'cp1',
      os: { id: 'ubuntu', versionId: '24.04', codename: 'noble', prettyName: 'Ubuntu 24.04.3 LTS' },
      kernel: '6.8.0-71-generic',
      machine: 'x86_64',
      arch: 'amd64',
      cpus: 2,
      // 993380 kB / 1024 = 970 MiB: what kubeadm prints as "970 MB".
      memory: { totalMiB: 970, availableMiB: 612, freeMiB: 198 },
      swap: { totalMiB: 0, usedMiB: 0, areas: 0 },
      cgroup: 'v2',
      cgroupFs: 'cgroup2fs',
      dns: {
        resolver: 'systemd-stub',
        resolvConf: 'present',
        nameservers: ['127.0.0.53'],
        resolvConfLink: '../run/systemd/resolve/stub-resolv.conf',
        upstream: ['67.207.67.2', '67.207.67.3'],
      },
      services: { resolved: 'active', containerd: 'inactive', kubelet: 'inactive' },
      tools: { containerd: undefined, kubeadm: undefined, kubelet: undefined, kubectl: undefined, dockerd: undefined },
      packages: {},
      addresses: { source: 'ip', interfaces: [{ device: 'eth0', address: '192.0.2.10', prefix: 24, family: 4 }], defaultDevice: 'eth0' },
      cluster: { member: false, controlPlane: false, leftovers: [] },
      varDisk: { totalMiB: 24635, availableMiB: 21962, mount: '/' },
      ports: { source: 'ss', listening: [] },
      ssh: { clientAddress: '198.51.100.7', serverPort: 22, listeningPorts: [22] },
      modules: { wireguard: true },
      clock: { remoteStartMs: 1767225600100, remoteEndMs: 1767225600300 },
    });
  });

  it('reads the SSH connection, sshd\'s ports and the wireguard module; a missing line is unknown', () => {
    const facts = parseFacts('hobbykube-facts=3\nssh_connection=2001:DB8::7 40000 203.0.113.10 2222\nsshd_listen=2222\nsshd_listen=22\nsshd_listen=2222\nmodule.wireguard=no\nend=1\n');
    expect(facts.ssh).toEqual({ clientAddress: '2001:db8::7', serverPort: 2222, listeningPorts: [22, 2222] });
    expect(facts.modules).toEqual({ wireguard: false });
    const unknown = parseFacts('hobbykube-facts=3\nssh_connection=garbage\nend=1\n');
    expect(unknown.ssh).toEqual({ listeningPorts: [] });
    expect(unknown.modules).toEqual({ wireguard: undefined });
  });

  it('reads a 512 MB Debian 12 worker with plain nameservers', () => {
    const facts = parseFacts(fixture('debian-12-worker-512mb.txt'));
    expect(facts.os).toMatchObject({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    expect(facts.cpus).toBe(1);
    expect(facts.memory).toEqual({ totalMiB: 480, availableMiB: 380, freeMiB: 96 });
    expect(facts.dns).toEqual({ resolver: 'direct', resolvConf: 'present', nameservers: ['1.1.1.1', '9.9.9.9'], resolvConfLink: undefined, upstream: [] });
    expect(facts.cluster).toEqual({ member: false, controlPlane: false, leftovers: [] });
  });

  it('reads swap in use and the stub resolver with its upstream servers', () => {
    const facts = parseFacts(fixture('ubuntu-22.04-swap-stub.txt'));
    expect(facts.arch).toBe('arm64');
    expect(facts.machine).toBe('aarch64');
    expect(facts.swap).toEqual({ totalMiB: 1023, usedMiB: 12, areas: 1 });
    expect(facts.dns.resolver).toBe('systemd-stub');
    expect(facts.dns.upstream).toEqual(['213.133.98.98', '213.133.99.99', '2a01:4ff:ff00::add:1']);
  });

  it('reads installed Kubernetes software and membership of a joined worker', () => {
    const facts = parseFacts(fixture('ubuntu-24.04-joined-worker.txt'));
    expect(facts.tools).toEqual({
      containerd: {
        path: '/usr/bin/containerd',
        version: '2.2.4',
        raw: 'containerd containerd.io v2.2.4 193637f7ee8ae5f5aa5248f49e7baa3e6164966e',
      },
      kubeadm: { path: '/usr/bin/kubeadm', version: '1.37.0', raw: 'v1.37.0' },
      kubelet: { path: '/usr/bin/kubelet', version: '1.37.0', raw: 'Kubernetes v1.37.0' },
      kubectl: { path: '/usr/bin/kubectl', version: '1.37.0', raw: 'Client Version: v1.37.0' },
    });
    expect(facts.packages).toEqual({ 'containerd.io': '2.2.4-1~ubuntu.24.04~noble' });
    expect(facts.cluster).toEqual({ member: true, controlPlane: false, leftovers: [] });
    expect(facts.services).toEqual({ resolved: 'active', containerd: 'active', kubelet: 'active' });
    expect(facts.ports.listening).toEqual([{ port: 10250, process: 'kubelet' }]);
  });

  it('reads a joined control plane with its leftovers-to-be and busy ports', () => {
    const facts = parseFacts(fixture('debian-12-joined-control-plane.txt'));
    expect(facts.cluster).toEqual({
      member: true,
      controlPlane: true,
      leftovers: ['/etc/kubernetes/manifests', '/var/lib/etcd'],
    });
    expect(facts.tools.containerd?.version).toBe('1.7.27');
    expect(facts.ports.listening.map((listener) => listener.port)).toEqual([2379, 2380, 6443, 10250, 10257, 10259]);
  });

  it('leaves what a stripped-down box could not tell unknown', () => {
    const facts = parseFacts(fixture('minimal-missing-tools.txt'));
    expect(facts.complete).toBe(true);
    expect(facts.os).toEqual({ id: undefined, versionId: undefined, codename: undefined, prettyName: undefined });
    expect(facts.cpus).toBeUndefined();
    expect(facts.memory).toEqual({ totalMiB: 988, availableMiB: undefined, freeMiB: 683 });
    expect(facts.swap).toEqual({ totalMiB: 0, usedMiB: 0, areas: undefined });
    expect(facts.cgroup).toBeUndefined();
    expect(facts.cgroupFs).toBeUndefined();
    expect(facts.dns).toEqual({ resolver: 'none', resolvConf: 'missing', nameservers: [], resolvConfLink: undefined, upstream: [] });
    expect(facts.services).toEqual({ resolved: undefined, containerd: undefined, kubelet: undefined });
    expect(facts.varDisk).toEqual({ totalMiB: 1951, availableMiB: 1384, mount: '/var' });
    expect(facts.ports).toEqual({ source: 'proc', listening: [{ port: 10250 }] });
    expect(facts.clock).toEqual({ remoteStartMs: undefined, remoteEndMs: undefined });
  });

  it('marks output cut off before the end, and membership as unknown when the probe did not get there', () => {
    const full = fixture('ubuntu-24.04-control-plane-1gb.txt');
    const cut = full.slice(0, full.indexOf('active.systemd-resolved'));
    const facts = parseFacts(cut);
    expect(facts.complete).toBe(false);
    expect(facts.memory.totalMiB).toBe(970);
    expect(facts.cluster.member).toBeUndefined();
    expect(facts.cluster.controlPlane).toBeUndefined();
    expect(facts.varDisk).toBeUndefined();
  });

  it('survives garbage, CRLF line ends and empty input', () => {
    expect(() => parseFacts('')).not.toThrow();
    const empty = parseFacts('');
    expect(empty.complete).toBe(false);
    expect(empty.cpus).toBeUndefined();
    expect(empty.dns.resolver).toBeUndefined();
    const crlf = parseFacts('hobbykube-facts=1\r\ncpus=4\r\nmeminfo.MemTotal=abc\r\nnproc: not found\r\nend=1\r\n');
    expect(crlf.complete).toBe(true);
    expect(crlf.cpus).toBe(4);
    expect(crlf.memory.totalMiB).toBeUndefined();
    expect(parseFacts('cpus=0\n').cpus).toBeUndefined();
  });

  it('recognizes loopback-only resolvers that are not systemd-resolved', () => {
    const facts = parseFacts('resolv_conf=present\nnameserver=127.0.0.1\nnameserver=::1\n');
    expect(facts.dns.resolver).toBe('loopback');
    expect(parseFacts('resolv_conf=present\nnameserver=127.0.0.53\nnameserver=8.8.8.8\n').dns.resolver).toBe('direct');
    expect(parseFacts('resolv_conf=present\n').dns.resolver).toBe('none');
  });

  it('recognizes the header', () => {
    expect(looksLikeFacts('hobbykube-facts=1\n')).toBe(true);
    expect(looksLikeFacts('sudo: a password is required\n')).toBe(false);
  });
});

describe('versionIn', () => {
  it.each([
    ['containerd containerd.io 1.7.27 05044ec0a9a75232cad458027ca83437aae3f4da', '1.7.27'],
    ['containerd github.com/containerd/containerd/v2 v2.1.4 75cb2b7', '2.1.4'],
    ['Kubernetes v1.37.0', '1.37.0'],
    ['v1.36.2', '1.36.2'],
    ['Client Version: v1.37.0-rc.1', '1.37.0-rc.1'],
    ['Client Version: version.Info{Major:"1", Minor:"27", GitVersion:"v1.27.1", GitCommit:"abc"}', '1.27.1'],
    ['', undefined],
  ])('%s → %s', (line, version) => {
    expect(versionIn(line)).toBe(version);
  });
});
