// Facts and preflight verdicts about the container runtime (containerd 2.x, Docker Engine) and the
// node's own addresses (NAT'd public address, no IPv4 at all).
import { describe, expect, it } from 'vitest';
import { parseFacts } from '../../src/facts/parse.js';
import { formatFacts, preflight } from '../../src/facts/preflight.js';
import type { NodeFacts } from '../../src/facts/types.js';
import { healthyFacts, nodeSpec } from './helpers.js';

const cp = nodeSpec('cp1', 'control-plane');
const worker = nodeSpec('w1', 'worker');
const finding = (facts: NodeFacts, code: string, node = worker) => preflight(node, facts).findings.find((f) => f.code === code);

function withContainerd(raw: string, packages: Record<string, string>, path = '/usr/bin/containerd'): NodeFacts {
  return parseFacts(`hobbykube-facts=2\npath.containerd=${path}\nversion.containerd=${raw}\n${Object.entries(packages).map(([p, v]) => `package.${p}=${v}`).join('\n')}\nend=1\n`);
}

describe('facts: packages and addresses', () => {
  it('reads the watched packages, dockerd and the interface addresses from the gather output', () => {
    const facts = parseFacts(
      [
        'hobbykube-facts=2',
        'path.dockerd=/usr/bin/dockerd',
        'package.containerd=1.7.28-0ubuntu1~24.04.1',
        'package.docker.io=27.5.1-0ubuntu3~24.04.2',
        'addresses_from=ip',
        'address=ens3 10.0.0.5/24',
        'address=ens3 2001:DB8::5/64',
        'address=cni0 10.244.0.1/24',
        'address=eth1@if7 not-an-address/24',
        'default_route_dev=ens3',
        'end=1',
      ].join('\n'),
    );
    expect(facts.packages).toEqual({ containerd: '1.7.28-0ubuntu1~24.04.1', 'docker.io': '27.5.1-0ubuntu3~24.04.2' });
    expect(facts.tools.dockerd).toEqual({ path: '/usr/bin/dockerd' });
    expect(facts.addresses).toEqual({
      source: 'ip',
      defaultDevice: 'ens3',
      interfaces: [
        { device: 'ens3', address: '10.0.0.5', prefix: 24, family: 4 },
        { device: 'ens3', address: '2001:db8::5', prefix: 64, family: 6 },
        { device: 'cni0', address: '10.244.0.1', prefix: 24, family: 4 },
      ],
    });
  });

  it('falls back to hostname -I (no device, no prefix), and knows nothing without either', () => {
    expect(parseFacts('addresses_from=hostname\naddress=? 10.0.0.7\naddress=? fe80::1\n').addresses).toEqual({
      source: 'hostname',
      interfaces: [
        { address: '10.0.0.7', family: 4 },
        { address: 'fe80::1', family: 6 },
      ],
    });
    expect(parseFacts('hobbykube-facts=2\nend=1\n').addresses).toBeUndefined();
    expect(parseFacts('hobbykube-facts=2\nend=1\n').packages).toEqual({});
  });
});

describe('preflight: containerd 2.x', () => {
  it('nothing installed: containerd.io 2.x will come from Docker\'s repository', () => {
    expect(finding(healthyFacts(), 'containerd')).toEqual({
      level: 'ok',
      code: 'containerd',
      message: "containerd is not installed: hobbykube installs containerd.io 2.x from Docker's apt repository (download.docker.com)",
    });
  });

  it('the distribution\'s containerd 1.x is replaced (a warning that says what apt removes)', () => {
    const facts = withContainerd('containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u1', { containerd: '1.6.20~ds1-1+deb12u1', runc: '1.1.5+ds1-1+deb12u1' });
    const f = finding(facts, 'containerd')!;
    expect(f.level).toBe('warn');
    expect(f.message).toBe(
      "containerd 1.6.20 (the distribution's containerd 1.6.20~ds1-1+deb12u1) is too old: Kubernetes 1.35 was the last release to support containerd 1.x, and 1.37 needs 2.2 or newer. hobbykube replaces it with containerd.io 2.x from Docker's apt repository (download.docker.com); apt removes the containerd and runc packages (containerd.io brings its own runc; images and containers under /var/lib/containerd are kept)",
    );
    expect(preflight(worker, facts).ok).toBe(true);
  });

  it('containerd.io 2.1 from Docker\'s repository is upgraded in place; 2.2 and newer 2.x are kept', () => {
    expect(finding(withContainerd('containerd containerd.io v2.1.5 fcd43222d6b07379a4be9786bda52438f0dd16a1', { 'containerd.io': '2.1.5-1~ubuntu.24.04~noble' }), 'containerd')?.level).toBe('warn');
    const kept = finding(withContainerd('containerd containerd.io v2.2.4 193637f7ee8ae5f5aa5248f49e7baa3e6164966e', { 'containerd.io': '2.2.4-1~ubuntu.24.04~noble' }), 'containerd')!;
    expect(kept).toEqual({
      level: 'ok',
      code: 'containerd',
      message: 'containerd 2.2.4 (containerd.io 2.2.4-1~ubuntu.24.04~noble) is supported (Kubernetes 1.36 and later need 2.2 or newer): kept, and configured for kubeadm',
    });
    expect(finding(withContainerd('containerd github.com/containerd/containerd/v2 v2.3.7 6d641cc', {}, '/usr/local/bin/containerd'), 'containerd')?.level).toBe('ok');
  });

  it('an old containerd not from a package, or a 3.x, is refused', () => {
    const tarball = finding(withContainerd('containerd github.com/containerd/containerd v1.7.28 b98a3aace656320842a23f4a392a33f46af97866', {}, '/usr/local/bin/containerd'), 'containerd')!;
    expect(tarball.level).toBe('fail');
    expect(tarball.message).toContain('containerd 1.7.28 at /usr/local/bin/containerd was not installed from a package');
    expect(finding(withContainerd('containerd containerd.io v3.0.0 0000000', { 'containerd.io': '3.0.0-1' }), 'containerd')?.level).toBe('fail');
  });

  it('Docker Engine is refused, by package or by its daemon, with what to do', () => {
    const facts = withContainerd('containerd github.com/containerd/containerd 1.7.28 1.7.28-0ubuntu1~24.04.1', { containerd: '1.7.28-0ubuntu1~24.04.1', 'docker.io': '27.5.1-0ubuntu3~24.04.2' });
    const verdict = preflight(worker, facts);
    expect(verdict.ok).toBe(false);
    const docker = verdict.findings.find((f) => f.code === 'docker')!;
    expect(docker.level).toBe('fail');
    expect(docker.message).toMatch(/^Docker Engine is installed \(docker\.io 27\.5\.1-0ubuntu3~24\.04\.2\)\. Docker runs its containers on the same containerd/);
    expect(docker.message).toContain('apt-get purge docker.io');
    // One finding about the runtime: the containerd verdict is moot while Docker is there.
    expect(verdict.findings.find((f) => f.code === 'containerd')).toBeUndefined();
    const daemonOnly = healthyFacts({ tools: { dockerd: { path: '/usr/local/bin/dockerd' } } });
    expect(finding(daemonOnly, 'docker')?.message).toMatch(/^Docker Engine is installed \(dockerd at \/usr\/local\/bin\/dockerd\)/);
    expect(formatFacts(facts, 'w1')[1]).toBe('    containerd 1.7.28 (distribution package)  docker.io 27.5.1-0ubuntu3~24.04.2');
  });
});

describe('preflight: the node\'s addresses', () => {
  const nat = healthyFacts({ addresses: { source: 'ip', interfaces: [{ device: 'ens3', address: '10.0.0.5', prefix: 24, family: 4 }], defaultDevice: 'ens3' } });

  it('the spec address on an interface is fine', () => {
    expect(finding(healthyFacts(), 'address')).toEqual({ level: 'ok', code: 'address', message: "192.0.2.10 is on the node's interface on eth0" });
  });

  it('a NAT\'d address is a warning naming the private address and the ports the provider must let through', () => {
    expect(finding(nat, 'address-nat', cp)).toEqual({
      level: 'warn',
      code: 'address-nat',
      message:
        "192.0.2.10 is on no interface of the node (10.0.0.5 (ens3)): a NAT'd public address. Kubernetes binds 10.0.0.5 on ens3; the other nodes and your kubeconfig use 192.0.2.10, so the provider's firewall must let TCP 6443 (API server), TCP 10250 (kubelet) and UDP 51820 (flannel WireGuard) reach it from the other nodes",
    });
    // With privateNetwork the pod network is VXLAN.
    expect(preflight(cp, nat, { privateNetwork: true }).findings.find((f) => f.code === 'address-nat')?.message).toContain('and UDP 8472 (flannel VXLAN) reach it');
    expect(finding(nat, 'address-nat', worker)?.message).toContain('must let TCP 10250 (kubelet) and UDP 51820 (flannel WireGuard) reach it');
    expect(preflight(cp, nat).ok).toBe(true);
  });

  it('a node without any IPv4 address of its own fails (an IPv4 cluster)', () => {
    const v6only = healthyFacts({ addresses: { source: 'ip', interfaces: [{ device: 'eth0', address: '2001:db8::5', prefix: 64, family: 6 }], defaultDevice: 'eth0' } });
    expect(finding(v6only, 'address')).toEqual({
      level: 'fail',
      code: 'address',
      message: 'the node has no IPv4 address on any interface (2001:db8::5 (eth0)): hobbykube builds an IPv4 cluster',
    });
  });

  it('pod-network and container interfaces never count as the node\'s own address', () => {
    const onlyBridges = healthyFacts({
      addresses: {
        source: 'ip',
        interfaces: [
          { device: 'docker0', address: '172.17.0.1', prefix: 16, family: 4 },
          { device: 'cni0', address: '10.244.1.1', prefix: 24, family: 4 },
          { device: 'eth0', address: '10.1.2.3', prefix: 24, family: 4 },
        ],
      },
    });
    expect(finding(onlyBridges, 'address-nat')?.message).toContain('Kubernetes binds 10.1.2.3 on eth0');
  });
});
