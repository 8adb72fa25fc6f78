// Facts gathered over real SSH from real sshd test hosts whose size, OS, resolver and swap are
// faked per host, and the preflight verdicts judged from them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherFacts } from '../../src/facts/gather.js';
import { preflight, formatFacts } from '../../src/facts/index.js';
import { connect, type SshHost } from '../../src/ssh/connection.js';
import type { NodeSpec } from '../../src/spec/types.js';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { scriptedAsker, stateDir } from '../ssh/helpers.js';

describe('facts and preflight from real sshd hosts', requires(hostsMissing()), () => {
  let bed: TestBed;
  const hosts: SshHost[] = [];
  beforeAll(async () => {
    bed = await startHosts([
      { name: 'cp1', os: 'ubuntu-24.04', memTotalMb: 970, cpus: 2, resolvedStub: true, upstreamDns: ['203.0.113.53'] },
      { name: 'w1', os: 'debian-12', memTotalMb: 480, cpus: 1, swapMb: 0 },
      { name: 'w2', os: 'ubuntu-22.04', memTotalMb: 1970, cpus: 1, cgroup: 'v1', interfaceAddresses: ['10.0.0.5/24', '2001:db8::5/64'] },
    ]);
    const { knownHosts } = stateDir();
    for (const h of bed.hosts) {
      hosts.push(
        await connect(
          { name: h.name, address: h.address, ssh: { user: bed.users.nopasswd, keyPath: bed.keyPath } },
          { knownHostsPath: knownHosts, asker: scriptedAsker(), sshConfigPath: null, agentSocket: null },
        ),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.close()));
    await bed?.stop();
  });

  it('reads each host as it is', async () => {
    // Each host's round trip (sent, received) as gatherFacts read this machine's clock.
    const trips = hosts.map(() => [] as number[]);
    const [cp1, w1, w2] = await Promise.all(hosts.map((h, i) => gatherFacts(h, () => {
      const t = Date.now();
      trips[i]!.push(t);
      return t;
    })));
    expect(cp1).toMatchObject({ complete: true, hostname: 'cp1', os: { id: 'ubuntu', versionId: '24.04' }, cpus: 2, memory: { totalMiB: 970 }, cgroup: 'v2' });
    expect(cp1!.dns).toMatchObject({ resolver: 'systemd-stub', upstream: ['203.0.113.53'] });
    expect(cp1!.swap.totalMiB).toBe(1024);
    expect(w1).toMatchObject({ hostname: 'w1', os: { id: 'debian', versionId: '12' }, cpus: 1, memory: { totalMiB: 480 }, swap: { totalMiB: 0 } });
    expect(w1!.dns.resolver).toBe('direct');
    expect(w2).toMatchObject({ hostname: 'w2', os: { id: 'ubuntu', versionId: '22.04' }, cgroup: 'v1' });
    // The node's own addresses: its test address on eth0, or only the private ones of a NAT'd host.
    expect(cp1!.addresses).toEqual({ source: 'ip', interfaces: [{ device: 'eth0', address: bed.hosts[0]!.address, prefix: 8, family: 4 }], defaultDevice: 'eth0' });
    expect(w2!.addresses).toEqual({
      source: 'ip',
      interfaces: [
        { device: 'eth0', address: '10.0.0.5', prefix: 24, family: 4 },
        { device: 'eth0', address: '2001:db8::5', prefix: 64, family: 6 },
      ],
      defaultDevice: 'eth0',
    });
    expect(cp1!.packages).toEqual({});
    // The SSH connection as the node sees it (read from the login session's environment through
    // sudo), sshd's own listening ports, and the WireGuard module the test hosts' modprobe finds.
    [cp1, w1, w2].forEach((f, i) => {
      expect(f!.ssh.clientAddress).toMatch(/^127\.\d+\.\d+\.\d+$/);
      expect(f!.ssh.serverPort).toBe(bed.hosts[i]!.port);
      expect(f!.modules.wireguard).toBe(true);
    });
    [cp1, w1, w2].forEach((f, i) => {
      expect(f!.cluster.member).toBe(false);
      // The node's two clock readings (through SSH and sudo) against this call's own round trip.
      const [sent, received] = trips[i] as [number, number];
      const { remoteStartMs, remoteEndMs } = f!.clock;
      expect(remoteEndMs).toBeGreaterThanOrEqual(remoteStartMs!);
      expect(f!.clock.skewMs).toBe(Math.round((remoteStartMs! + remoteEndMs!) / 2 - (sent + received) / 2));
    });
    expect(formatFacts(cp1!, 'cp1')[0]).toMatch(/^cp1 {2}Ubuntu 24\.04 amd64 {2}2 CPU {2}970 MB \(860 MB available\) {2}swap 1024 MB {2}cgroup v2 {2}resolver: systemd stub/);
  });

  it('judges them against their roles', async () => {
    const node = (name: string, role: NodeSpec['role'], acceptUndersized = false): NodeSpec => ({
      name,
      address: '127.0.0.1',
      role,
      schedulable: false,
      ssh: {},
      acceptUndersized,
    });
    const [cp1, w1, w2] = await Promise.all(hosts.map((h) => gatherFacts(h)));
    const cpVerdict = preflight(node('cp1', 'control-plane'), cp1!);
    expect(cpVerdict.ok).toBe(false);
    expect(cpVerdict.findings.find((f) => f.code === 'undersized')?.message).toBe(
      '970 MB of memory is below kubeadm\'s control-plane minimum of 1700 MB (a "1 GB" VPS reports about 970 MB). A 1 GB / 2 CPU control plane does work: accept the node as undersized to go ahead (kubeadm then ignores [Mem]), or use a bigger VPS',
    );
    const accepted = preflight(node('cp1', 'control-plane', true), cp1!);
    expect(accepted.ok).toBe(true);
    expect(accepted.ignorePreflightErrors).toEqual(['Mem']);
    expect(preflight(node('w1', 'worker'), w1!).ok).toBe(true);
    const w2Verdict = preflight(node('w2', 'worker'), w2!);
    expect(w2Verdict.findings.filter((f) => f.level === 'fail').map((f) => f.code)).toEqual(['cgroup-v1']);
  });
});
