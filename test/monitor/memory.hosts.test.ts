// The memory sampler over real SSH against real sshd test hosts: /proc/meminfo is each host's
// fake (sized per profile), the process list is the host's own PID namespace (real /proc).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMORY_SCRIPT, memoryLevel, sampleMemory } from '../../src/monitor/memory.js';
import { watchMemory } from '../../src/monitor/watch.js';
import { connect, type SshHost } from '../../src/ssh/connection.js';
import { createStore } from '../../src/progress/store.js';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { scriptedAsker, stateDir } from '../ssh/helpers.js';

describe('memory sampler against real sshd hosts', requires(hostsMissing()), () => {
  let bed: TestBed;
  const hosts: SshHost[] = [];
  beforeAll(async () => {
    bed = await startHosts([
      { name: 'cp1', memTotalMb: 970, memAvailableMb: 300, cpus: 1 },
      { name: 'w1', memTotalMb: 480, memAvailableMb: 40, cpus: 1, swapMb: 0 },
    ]);
    const { knownHosts } = stateDir();
    for (const h of bed.hosts) {
      hosts.push(
        await connect(
          { name: h.name, address: h.address, ssh: { user: bed.users.nosudo, keyPath: bed.keyPath } },
          { knownHostsPath: knownHosts, asker: scriptedAsker(), sshConfigPath: null, agentSocket: null },
        ),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.close()));
    await bed?.stop();
  });

  it('one read-only command as a user without sudo: sizes from the host profile, processes from its /proc', async () => {
    const [cp1, w1] = hosts;
    const raw = await cp1!.run(MEMORY_SCRIPT);
    expect(raw.code).toBe(0);
    expect(Buffer.byteLength(raw.stdout)).toBeLessThan(2048);

    const a = await sampleMemory(cp1!);
    expect(a).toMatchObject({ totalMiB: 970, availableMiB: 300, usedMiB: 670 });
    // The host's own PID namespace: its sshd and our session's shell, nothing of this machine's.
    const names = a.top.map((p) => p.name);
    expect(names).toContain('sshd');
    expect(names).not.toContain('vitest');
    expect(a.top.every((p) => p.rssMiB >= 0 && p.count >= 1)).toBe(true);
    expect(memoryLevel(a, 'control-plane')).toBe('ok');

    const b = await sampleMemory(w1!);
    expect(b).toMatchObject({ totalMiB: 480, availableMiB: 40, swapTotalMiB: 0 });
    // A 480 MiB worker evicts at 20 MiB (it has swap, src/node-profile.ts): 40 < 20 + 32 is red.
    expect(memoryLevel(b, 'worker')).toBe('critical');
  });

  it('the monitor feeds the store every interval over the existing connections', async () => {
    const store = createStore({ throttleMs: 0, nodes: [{ name: 'cp1', role: 'control-plane' }, { name: 'w1', role: 'worker' }] });
    const monitor = watchMemory(['cp1', 'w1'], { host: async (n) => hosts.find((h) => h.node === n)! }, store.memorySink, { intervalMs: 200 });
    const end = Date.now() + 120_000; // a bound for a hung monitor, not a speed
    while (Math.min(...['cp1', 'w1'].map((n) => store.getState().nodes[n]!.memory.history.length)) < 3) {
      if (Date.now() > end) throw new Error('no samples');
      await new Promise((r) => setTimeout(r, 50));
    }
    await monitor.stop();
    const s = store.getState();
    expect(s.nodes.cp1!.memory.latest?.totalMiB).toBe(970);
    expect(s.nodes.w1!.memory.latest?.totalMiB).toBe(480);
    expect(s.nodes.w1!.memory.history.slice(0, 3)).toEqual([440, 440, 440]);
    expect(s.nodes.cp1!.memory.error).toBeUndefined();
  });
});
