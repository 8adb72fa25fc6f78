// Integration: a dead or frozen server surfaces as 'connection-lost' naming the node, within the
// keepalive window, and never as an unhandled 'error' event.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SshHost } from '../../src/ssh/connection.js';
import { SshError } from '../../src/ssh/types.js';
import { harnessAvailable, startHosts, type TestBed, type TestHost } from '../hosts/harness.js';
import { outcome, scriptedAsker, stateDir } from './helpers.js';

const available = harnessAvailable();

// Keepalive 2 s x 3 → about 8 s; generous upper bound for "within the window".
const WINDOW_MS = 15_000;

describe.runIf(available)('lost connections', () => {
  let bed: TestBed;
  let state: { dir: string; knownHosts: string };
  const opened: SshHost[] = [];

  async function open(host: TestHost, readyTimeoutMs?: number): Promise<SshHost> {
    const connection = await connect(
      { name: host.name, address: host.address, ssh: { user: bed.users.nopasswd, port: host.port, keyPath: bed.keyPath } },
      {
        knownHostsPath: state.knownHosts,
        asker: scriptedAsker(),
        assumeYes: true,
        agentSocket: null,
        sshConfigPath: null,
        ...(readyTimeoutMs !== undefined ? { readyTimeoutMs } : {}),
      },
    );
    opened.push(connection);
    return connection;
  }

  function host(index: number): TestHost {
    const found = bed.hosts[index];
    if (!found) throw new Error(`no host ${index}`);
    return found;
  }

  beforeAll(async () => {
    bed = await startHosts([{ name: 'killed' }, { name: 'frozen' }, { name: 'stopped' }]);
    state = stateDir();
  });

  afterAll(async () => {
    for (const testHost of bed?.hosts ?? []) testHost.signalSshd('SIGCONT');
    await Promise.all(opened.map((connection) => connection.close()));
    await bed?.stop();
    if (state) rmSync(state.dir, { recursive: true, force: true });
  });

  it('sshd killed mid-command: the command rejects with connection-lost naming the node', async () => {
    const target = host(0);
    const connection = await open(target);
    const lines: string[] = [];
    const running = outcome(connection.run('echo started; sleep 60; echo never', { onLine: (line) => lines.push(line) }));
    while (!lines.includes('started')) await new Promise((resolve) => setTimeout(resolve, 20));
    const killedAt = Date.now();
    target.signalSshd('SIGKILL');
    const result = await running;
    expect(Date.now() - killedAt).toBeLessThan(WINDOW_MS);
    expect(result.error).toBeInstanceOf(SshError);
    expect(result.error).toMatchObject({ kind: 'connection-lost', node: 'killed' });
    expect((result.error as Error).message).toContain('killed');
    expect(lines).not.toContain('never');
    // Later commands fail at once, the same way.
    await expect(connection.run('true')).rejects.toMatchObject({ kind: 'connection-lost', node: 'killed' });
    expect(connection.alive).toBe(false);
  });

  it('sshd frozen (SIGSTOP) mid-command: keepalive declares the connection lost within the window', async () => {
    const target = host(1);
    const connection = await open(target);
    const lines: string[] = [];
    const running = outcome(connection.run('echo started; sleep 60', { onLine: (line) => lines.push(line) }));
    const queued = outcome(connection.run('echo queued-later'));
    while (!lines.includes('started')) await new Promise((resolve) => setTimeout(resolve, 20));
    const frozenAt = Date.now();
    target.signalSshd('SIGSTOP');
    try {
      const result = await running;
      const elapsed = Date.now() - frozenAt;
      expect(elapsed).toBeLessThan(WINDOW_MS);
      expect(result.error).toMatchObject({ kind: 'connection-lost', node: 'frozen' });
      expect((result.error as Error).message).toMatch(/keepalive/i);
      const late = await outcome(connection.run('true'));
      expect(late.error).toMatchObject({ kind: 'connection-lost', node: 'frozen' });
      // The other command either finished before the freeze or failed the same way.
      const other = await queued;
      if (other.error) expect(other.error).toMatchObject({ kind: 'connection-lost' });
    } finally {
      target.signalSshd('SIGCONT');
    }
  });

  it('a frozen server at connect time is a handshake timeout', async () => {
    const target = host(2);
    target.signalSshd('SIGSTOP');
    try {
      const result = await outcome(open(target, 1500));
      expect(result.error).toMatchObject({ kind: 'timeout', node: 'stopped' });
      expect((result.error as Error).message).toContain(target.address);
    } finally {
      target.signalSshd('SIGCONT');
    }
  });
});
