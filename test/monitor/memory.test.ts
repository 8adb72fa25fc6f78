import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MEMORY_SCRIPT,
  memoryLevel,
  memoryThresholds,
  parseMemorySample,
  processLabel,
  startMemorySampler,
  type MemorySample,
} from '../../src/monitor/memory.js';
import { watchMemory } from '../../src/monitor/watch.js';
import type { Host, RunOptions, RunResult } from '../../src/ssh/types.js';
import { requires, shellcheckMissing } from '../support/requires.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.txt`, import.meta.url), 'utf8');

describe('parseMemorySample: captured samples', () => {
  it('a 1 GB control plane: MemAvailable, not MemFree, and the control-plane processes by name', () => {
    const s = parseMemorySample(fixture('control-plane-1gb'), 1);
    expect(s).toMatchObject({ time: 1, totalMiB: 970, availableMiB: 295, freeMiB: 57, usedMiB: 675, swapTotalMiB: 0, swapUsedMiB: 0 });
    expect(s.top.map((p) => `${p.name} ${p.rssMiB} x${p.count}`)).toEqual([
      'kube-apiserver 242 x1',
      'containerd-shim 72 x9',
      'etcd 60 x1',
      'kube-controller-manager 52 x1',
      'kubelet 49 x1',
      'containerd 41 x1',
      'kube-scheduler 27 x1',
      'coredns 24 x2',
    ]);
    // kube-apiserver at ~25% of the node, as the source document measured.
    expect(s.top[0]!.rssMiB / s.totalMiB).toBeCloseTo(0.25, 1);
  });

  it('a 512 MB worker with swap and a database', () => {
    const s = parseMemorySample(fixture('worker-512mb'), 2);
    expect(s).toMatchObject({ totalMiB: 480, availableMiB: 205, usedMiB: 275, swapTotalMiB: 512, swapUsedMiB: 22 });
    expect(s.top.map((p) => p.name)).toEqual(['kubelet', 'containerd', 'containerd-shim', 'mysqld', 'flanneld', 'kube-proxy', 'systemd-journald', 'sshd']);
  });

  it('a fresh node before Kubernetes: truncated system names restored', () => {
    const s = parseMemorySample(fixture('cp-not-kubernetes-yet'));
    expect(s.availableMiB).toBe(784);
    expect(s.top.map((p) => p.name)).toContain('unattended-upgrades');
    expect(s.top.map((p) => p.name)).toContain('networkd-dispatcher');
    expect(processLabel('kube-controller')).toBe('kube-controller-manager');
    expect(processLabel('mysqld')).toBe('mysqld');
  });

  it('groups repeated names, tolerates a missing process list and names with spaces', () => {
    const s = parseMemorySample('MemTotal: 1024000 kB\nMemAvailable: 512000 kB\n#top\n2048 1 node\n1024 2 node\n4096 1 tmux: server\n');
    expect(s.top).toEqual([
      { name: 'tmux: server', rssMiB: 4, count: 1 },
      { name: 'node', rssMiB: 3, count: 3 },
    ]);
    expect(parseMemorySample('MemTotal: 1024 kB\nMemFree: 512 kB\n').availableMiB).toBe(1); // no MemAvailable: MemFree
    expect(() => parseMemorySample('bash: grep: command not found\n')).toThrow(/no MemTotal/);
  });
});

describe('memory levels (against evictionHard 100 MiB + a 5 % margin, at least 32 MiB)', () => {
  it('1 GB control plane: red below 149 MiB available, yellow below 249', () => {
    const t = memoryThresholds(970, 'control-plane');
    expect(t).toMatchObject({ criticalMiB: 149, warnMiB: 249, allocatableMiB: 656 });
    expect(memoryLevel({ totalMiB: 970, availableMiB: 295 }, 'control-plane')).toBe('ok');
    expect(memoryLevel({ totalMiB: 970, availableMiB: 248 }, 'control-plane')).toBe('warn');
    expect(memoryLevel({ totalMiB: 970, availableMiB: 148 }, 'control-plane')).toBe('critical');
  });

  it('512 MB worker with swap: red below 52, yellow below 72 (its eviction threshold is 20 MiB); 2 GB: 199 / 299', () => {
    expect(memoryThresholds(480, 'worker')).toMatchObject({ criticalMiB: 52, warnMiB: 72, allocatableMiB: 276 });
    // 205 MiB available of 480, with swap behind: fine.
    expect(memoryLevel(parseMemorySample(fixture('worker-512mb')), 'worker')).toBe('ok');
    expect(memoryLevel({ totalMiB: 480, availableMiB: 60 }, 'worker')).toBe('warn');
    expect(memoryLevel({ totalMiB: 480, availableMiB: 40 }, 'worker')).toBe('critical');
    expect(memoryThresholds(1970, 'worker')).toMatchObject({ criticalMiB: 199, warnMiB: 299 });
  });
});

describe('the sample command', () => {
  it('runs here (bash, no sudo), prints under 2 KB, and parses', () => {
    const r = spawnSync('bash', ['-c', MEMORY_SCRIPT], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(Buffer.byteLength(r.stdout)).toBeLessThan(2048);
    const s = parseMemorySample(r.stdout);
    expect(s.totalMiB).toBeGreaterThan(0);
    expect(s.top.length).toBeGreaterThan(0);
    expect(s.top.length).toBeLessThanOrEqual(8);
  });

  it('falls back to /proc/*/status without ps', () => {
    const r = spawnSync('bash', ['-c', MEMORY_SCRIPT.replace('command -v ps', 'command -v no-such-ps-here')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(parseMemorySample(r.stdout).top.length).toBeGreaterThan(0);
  });

  it('passes shellcheck', requires(shellcheckMissing()), () => {
    const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: MEMORY_SCRIPT, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
  });
});

class FakeHost implements Host {
  calls = 0;
  scripts: string[] = [];
  constructor(
    readonly node: string,
    private readonly answer: (n: number) => RunResult | Promise<RunResult>,
  ) {}
  async run(script: string, _options?: RunOptions): Promise<RunResult> {
    this.calls += 1;
    this.scripts.push(script);
    return this.answer(this.calls);
  }
  async copyFile(): Promise<void> {}
  async download(): Promise<number> {
    throw new Error('this test host transfers no files');
  }
  async close(): Promise<void> {}
}

function collector() {
  const samples: Array<{ node: string; sample: MemorySample }> = [];
  const errors: Array<{ node: string; message: string }> = [];
  return { samples, errors, sink: { sample: (node: string, sample: MemorySample) => samples.push({ node, sample }), error: (node: string, message: string) => errors.push({ node, message }) } };
}

const until = async (check: () => boolean) => {
  const end = Date.now() + 30_000; // a bound for a hung sampler, not a speed
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('startMemorySampler', () => {
  it('samples on an interval, one command each, without sudo, and stops', async () => {
    const host = new FakeHost('cp1', () => ({ code: 0, stdout: fixture('control-plane-1gb'), stderr: '' }));
    const c = collector();
    const sampler = startMemorySampler(host, c.sink, { intervalMs: 20 });
    await until(() => c.samples.length >= 3);
    await sampler.stop();
    const n = host.calls;
    await new Promise((r) => setTimeout(r, 60));
    expect(host.calls).toBe(n);
    expect(host.scripts.every((s) => s === MEMORY_SCRIPT)).toBe(true);
    expect(c.samples[0]).toMatchObject({ node: 'cp1', sample: { totalMiB: 970 } });
  });

  it('reports failures and carries on; never overlaps a slow sample', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const host = new FakeHost('w1', async (n) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight -= 1;
      if (n === 1) throw new Error('w1: connection lost');
      if (n === 2) return { code: 127, stdout: '', stderr: 'bash: grep: command not found' };
      return { code: 0, stdout: fixture('worker-512mb'), stderr: '' };
    });
    const c = collector();
    const sampler = startMemorySampler(host, c.sink, { intervalMs: 5 });
    await until(() => c.samples.length >= 1);
    await sampler.stop();
    expect(c.errors.map((e) => e.message)).toEqual(['w1: connection lost', 'memory sample failed (exit code 127): bash: grep: command not found']);
    expect(maxInFlight).toBe(1);
  });

});

describe('watchMemory', () => {
  it('samples several nodes into one sink over the connections it is given', async () => {
    const hosts = new Map(['cp1', 'w1', 'w2'].map((n) => [n, new FakeHost(n, () => ({ code: 0, stdout: fixture('worker-512mb'), stderr: '' }))]));
    const c = collector();
    const watch = watchMemory([...hosts.keys()], { host: async (n) => hosts.get(n)! }, c.sink, { intervalMs: 10 });
    await until(() => new Set(c.samples.map((s) => s.node)).size === 3);
    await watch.stop();
    const calls = [...hosts.values()].map((h) => h.calls);
    await new Promise((r) => setTimeout(r, 50));
    expect([...hosts.values()].map((h) => h.calls)).toEqual(calls);
  });

  it('reports an unreachable node without its name prefix and connects again later', async () => {
    let attempts = 0;
    const w1 = new FakeHost('w1', () => ({ code: 0, stdout: fixture('worker-512mb'), stderr: '' }));
    const hosts = {
      host: async (n: string) => {
        attempts += 1;
        if (attempts === 1) throw new Error(`${n}: connection to ubuntu@203.0.113.11:22 refused`);
        return w1;
      },
    };
    const c = collector();
    const watch = watchMemory(['w1'], hosts, c.sink, { intervalMs: 10, reconnectMs: 20 });
    await until(() => c.samples.length >= 1);
    await watch.stop();
    expect(c.errors).toEqual([{ node: 'w1', message: 'unreachable: connection to ubuntu@203.0.113.11:22 refused' }]);
    expect(attempts).toBe(2);
  });

  it('stops retrying once stopped', async () => {
    let attempts = 0;
    const c = collector();
    const hosts = {
      host: async (): Promise<Host> => {
        attempts += 1;
        throw new Error('w1: no route to host');
      },
    };
    const watch = watchMemory(['w1'], hosts, c.sink, { reconnectMs: 10 });
    await until(() => c.errors.length >= 1);
    await watch.stop();
    const seen = attempts;
    await new Promise((r) => setTimeout(r, 60));
    expect(attempts).toBe(seen);
  });
});
