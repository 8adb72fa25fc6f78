import { readFileSync } from 'node:fs';
import type { NodeFacts } from '../../src/facts/types.js';
import type { NodeRole, NodeSpec } from '../../src/spec/types.js';

export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function nodeSpec(name: string, role: NodeRole, acceptUndersized = false): NodeSpec {
  return {
    name,
    address: '192.0.2.10',
    role,
    schedulable: false,
    ssh: { user: 'root', port: 22 },
    acceptUndersized,
  };
}

/** A healthy, fresh 2 GB / 2 CPU Ubuntu 24.04 node; tests override what they judge. */
export function healthyFacts(overrides: Partial<NodeFacts> = {}): NodeFacts {
  return {
    complete: true,
    uid: 0,
    hostname: 'node',
    os: { id: 'ubuntu', versionId: '24.04', codename: 'noble', prettyName: 'Ubuntu 24.04.3 LTS' },
    kernel: '6.8.0-71-generic',
    machine: 'x86_64',
    arch: 'amd64',
    cpus: 2,
    memory: { totalMiB: 1984, availableMiB: 1500, freeMiB: 1200 },
    swap: { totalMiB: 0, usedMiB: 0, areas: 0 },
    cgroup: 'v2',
    cgroupFs: 'cgroup2fs',
    dns: { resolver: 'direct', resolvConf: 'present', nameservers: ['1.1.1.1'], upstream: [] },
    services: {},
    tools: {},
    packages: {},
    addresses: { source: 'ip', interfaces: [{ device: 'eth0', address: '192.0.2.10', prefix: 24, family: 4 }], defaultDevice: 'eth0' },
    cluster: { member: false, controlPlane: false, leftovers: [] },
    varDisk: { totalMiB: 24636, availableMiB: 20000, mount: '/' },
    ports: { source: 'ss', listening: [] },
    ssh: { clientAddress: '198.51.100.7', serverPort: 22, listeningPorts: [22] },
    modules: { wireguard: true },
    clock: { remoteStartMs: 1, remoteEndMs: 2, skewMs: 120 },
    ...overrides,
  };
}
