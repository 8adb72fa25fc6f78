// Integration: a dead or frozen server surfaces as 'connection-lost' naming the node (a frozen one
// through the keepalive, while the command would still run for minutes), and never as an
// unhandled 'error' event. How soon it is noticed is measured by `npm run bench`, not asserted.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SshHost } from '../../src/ssh/connection.js';
import { SshError } from '../../src/ssh/types.js';
import { startHosts, type TestBed, type TestHost } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { outcome, scriptedAsker, stateDir } from './helpers.js';

describe('lost connections', requires(hostsMissing()), () => {
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
    const running = outcome(connection.run('echo started; sleep 600; echo never', { onLine: (line) => lines.push(line) }));
    while (!lines.includes('started')) await new Promise((resolve) => setTimeout(resolve, 20));
    target.signalSshd('SIGKILL');
    const result = await running;
    expect(result.error).toBeInstanceOf(SshError);
    expect(result.error).toMatchObject({ kind: 'connection-lost', node: 'killed' });
    expect((result.error as Error).message).toContain('killed');
    expect(lines).not.toContain('never');
    // Later commands fail at once, the same way.
    await expect(connection.run('true')).rejects.toMatchObject({ kind: 'connection-lost', node: 'killed' });
    expect(connection.alive).toBe(false);
  });

  it('sshd frozen (SIGSTOP) mid-command: keepalive declares the connection lost long before the command could end', async () => {
    const target = host(1);
    const connection = await open(target);
    const lines: string[] = [];
    const running = outcome(connection.run('echo started; sleep 600', { onLine: (line) => lines.push(line) }));
    const queued = outcome(connection.run('echo queued-later'));
    while (!lines.includes('started')) await new Promise((resolve) => setTimeout(resolve, 20));
    target.signalSshd('SIGSTOP');
    try {
      const result = await running;
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
