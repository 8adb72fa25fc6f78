// Integration: host keys pinned on first contact, a changed key refused before anything runs.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SshHost } from '../../src/ssh/connection.js';
import { KnownHosts } from '../../src/ssh/hostkeys.js';
import type { Asker } from '../../src/ssh/types.js';
import { startHosts, type TestBed, type TestHost } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { outcome, scriptedAsker, stateDir } from './helpers.js';

describe('host key pinning against a real sshd', requires(hostsMissing()), () => {
  let bed: TestBed;
  let target: TestHost;
  let other: TestHost;
  let state: { dir: string; knownHosts: string };
  const opened: SshHost[] = [];

  async function open(host: TestHost, asker: Asker, assumeYes = false): Promise<SshHost> {
    const connection = await connect(
      { name: host.name, address: host.address, ssh: { user: 'root', port: host.port, keyPath: bed.keyPath } },
      { knownHostsPath: state.knownHosts, asker, assumeYes, agentSocket: null, sshConfigPath: null },
    );
    opened.push(connection);
    return connection;
  }

  beforeAll(async () => {
    bed = await startHosts([{ name: 'pin1', port: 2222 }, { name: 'pin2' }]);
    const [first, second] = bed.hosts;
    if (!first || !second) throw new Error('hosts missing');
    target = first;
    other = second;
    state = stateDir();
  });

  afterAll(async () => {
    await Promise.all(opened.map((connection) => connection.close()));
    await bed?.stop();
    if (state) rmSync(state.dir, { recursive: true, force: true });
  });

  it('first contact shows the fingerprint once, pins it, and later contacts do not ask', async () => {
    const asker = scriptedAsker();
    const host = await open(target, asker);
    expect(asker.confirmHostKey).toHaveBeenCalledTimes(1);
    expect(asker.confirmHostKey).toHaveBeenCalledWith('pin1', target.address, target.hostKeyFingerprint, 'ssh-ed25519');
    expect((await host.run('hostname')).stdout.trim()).toBe('pin1');

    const text = readFileSync(state.knownHosts, 'utf8');
    expect(text).toBe(`[${target.address}]:2222 ${target.hostKeyPublic}\n`);
    // OpenSSH reads the file.
    expect(execFileSync('ssh-keygen', ['-F', `[${target.address}]:2222`, '-f', state.knownHosts], { encoding: 'utf8' })).toContain('ssh-ed25519');

    const again = await open(target, asker);
    expect((await again.run('echo ok')).stdout).toBe('ok\n');
    expect(asker.confirmHostKey).toHaveBeenCalledTimes(1);
  });

  it('a declined host key is not pinned and nothing runs', async () => {
    const asker = scriptedAsker({ acceptHostKey: false });
    const result = await outcome(open(other, asker));
    expect(result.error).toMatchObject({ kind: 'host-key-rejected', node: 'pin2' });
    expect(KnownHosts.load(state.knownHosts).lookup(other.address, other.port)).toEqual([]);
  });

  it('--yes pins without asking; port 22 entries are the bare address', async () => {
    const asker = scriptedAsker();
    await open(other, asker, true);
    expect(asker.confirmHostKey).not.toHaveBeenCalled();
    expect(readFileSync(state.knownHosts, 'utf8')).toContain(`\n${other.address} ${other.hostKeyPublic}\n`);
  });

  it('a regenerated host key is refused before any command runs, even with --yes', async () => {
    const oldFingerprint = target.hostKeyFingerprint;
    await target.rootExec('rm -f /tmp/hk-marker');
    await target.regenerateHostKey();
    expect(target.hostKeyFingerprint).not.toBe(oldFingerprint);
    target.clearRecordings();
    const logins = (): number => (readFileSync(join(target.dir, 'sshd.log'), 'utf8').match(/Accepted publickey/g) ?? []).length;
    const loginsBefore = logins();
    expect(loginsBefore).toBeGreaterThan(0); // the log does record logins

    const asker = scriptedAsker();
    const result = await outcome(open(target, asker, true));
    expect(result.error).toMatchObject({ kind: 'host-key-mismatch', node: 'pin1' });
    const message = (result.error as Error).message;
    expect(message).toContain('pin1');
    expect(message).toContain(oldFingerprint);
    expect(message).toContain(target.hostKeyFingerprint);
    expect(message).toContain(`ssh-keygen -R '[${target.address}]:2222' -f ${state.knownHosts}`);
    expect(asker.confirmHostKey).not.toHaveBeenCalled();

    // Nothing ran on the host: we never even authenticated, so no session, no recorded command, no marker.
    expect(result.value).toBeUndefined();
    expect(logins()).toBe(loginsBefore);
    expect(target.recordings()).toEqual([]);
    expect((await target.rootExec('test -e /tmp/hk-marker && echo present || echo absent')).stdout.trim()).toBe('absent');
    // The pinned key is unchanged.
    expect(KnownHosts.load(state.knownHosts).lookup(target.address, 2222).map((entry) => entry.fingerprint)).toEqual([oldFingerprint]);

    // Following the instruction clears it deliberately; the next contact asks again.
    execFileSync('bash', ['-c', message.slice(message.indexOf('ssh-keygen -R'))], { stdio: 'ignore' });
    const fresh = scriptedAsker();
    const host = await open(target, fresh);
    expect(fresh.confirmHostKey).toHaveBeenCalledWith('pin1', target.address, target.hostKeyFingerprint, 'ssh-ed25519');
    expect((await host.run('touch /tmp/hk-marker; echo ran')).stdout).toBe('ran\n');
  });
});
