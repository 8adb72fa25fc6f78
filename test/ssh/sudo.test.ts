// Integration: becoming root through sudo, and keeping the sudo password secret.
import { rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SshHost } from '../../src/ssh/connection.js';
import type { Asker } from '../../src/ssh/types.js';
import { startHosts, type TestBed, type TestHost } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { allFileContents, outcome, scriptedAsker, stateDir } from './helpers.js';

describe('sudo over SSH', requires(hostsMissing()), () => {
  let bed: TestBed;
  let target: TestHost;
  let state: { dir: string; knownHosts: string };
  const opened: SshHost[] = [];

  async function open(name: string, user: string, asker: Asker): Promise<SshHost> {
    const host = await connect(
      { name, address: target.address, ssh: { user, port: target.port, keyPath: bed.keyPath } },
      { knownHostsPath: state.knownHosts, asker, assumeYes: true, agentSocket: null, sshConfigPath: null },
    );
    opened.push(host);
    return host;
  }

  beforeAll(async () => {
    bed = await startHosts(1);
    const first = bed.hosts[0];
    if (!first) throw new Error('no host');
    target = first;
    state = stateDir();
  });

  afterAll(async () => {
    await Promise.all(opened.map((host) => host.close()));
    await bed?.stop();
    if (state) rmSync(state.dir, { recursive: true, force: true });
  });

  it('a passwordless sudoer runs as root with sudo -n and is never asked', async () => {
    const asker = scriptedAsker();
    const host = await open('n-nopasswd', bed.users.nopasswd, asker);
    const result = await host.run('id -u; cat', { sudo: true, stdin: 'piped\n' });
    expect(result).toMatchObject({ code: 0, stdout: '0\npiped\n' });
    expect((await host.run('id -u')).stdout.trim()).not.toBe('0');
    expect(asker.secret).not.toHaveBeenCalled();
  });

  it('a password sudoer is asked once per host, even for concurrent commands, and the password leaks nowhere', async () => {
    const password = bed.users.sudoPassword;
    const asker = scriptedAsker({ secrets: [password] });
    const host = await open('n-password', bed.users.password, asker);
    const lines: string[] = [];
    const errors: string[] = [];
    const onLine = (line: string): void => {
      lines.push(line);
    };
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        host.run(`id -u; echo "stdin was: $(cat)"; echo run ${index} >&2`, { sudo: true, stdin: `data ${index}`, onLine }),
      ),
    );
    results.forEach((result, index) => {
      expect(result.code).toBe(0);
      // The script's stdin starts after the password line: it sees only its own input.
      expect(result.stdout).toBe(`0\nstdin was: data ${index}\n`);
    });
    expect(asker.secret).toHaveBeenCalledTimes(1);

    // Failures and timeouts under sudo carry no password either.
    const failed = await host.run('echo failing; exit 3', { sudo: true, onLine });
    expect(failed.code).toBe(3);
    const timedOut = await outcome(host.run('sleep 30', { sudo: true, timeoutMs: 500, onLine }));
    expect(timedOut.error).toMatchObject({ kind: 'command-timeout' });
    errors.push(String(timedOut.error), (timedOut.error as Error).stack ?? '');
    // copyFile under sudo: the content follows the password on stdin, the file gets only the content.
    await host.copyFile('only this\n', '/etc/hk-sudo-copy.conf', { sudo: true, mode: 0o600, owner: 'root:root' });
    const copied = await host.run('stat -c "%a %U" /etc/hk-sudo-copy.conf; cat /etc/hk-sudo-copy.conf', { sudo: true });
    expect(copied.stdout).toBe('600 root\nonly this\n');
    // A script that tries to read the password from its stdin finds nothing.
    const snoop = await host.run('cat; echo "[end]"', { sudo: true, onLine });
    expect(snoop.stdout).toBe('[end]\n');
    // download under sudo: the root-only file's bytes exactly, nothing of the password line.
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31 + 7) % 256));
    await host.run('cat >/root/hk-binary.bin; chmod 0600 /root/hk-binary.bin', { sudo: true, stdin: bytes });
    const chunks: Buffer[] = [];
    const sink = new PassThrough().on('data', (c: Buffer) => chunks.push(c));
    expect(await host.download('/root/hk-binary.bin', sink, { sudo: true })).toBe(bytes.length);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);

    const everything = [
      ...lines,
      ...errors,
      ...results.flatMap((result) => [result.stdout, result.stderr]),
      failed.stdout,
      failed.stderr,
      snoop.stdout,
      snoop.stderr,
      ...allFileContents(state.dir),
    ];
    expect(lines.length).toBeGreaterThan(20);
    for (const text of everything) expect(text).not.toContain(password);
    // Nor on any remote command line: the process table of the node never showed it.
    const psLog = await target.rootExec('cat /var/log/auth.log 2>/dev/null; ps -eo args');
    expect(psLog.stdout).not.toContain(password);
  });

  it('a wrong sudo password is asked again, then explained', async () => {
    const asker = scriptedAsker({ secrets: ['wrong-1', 'wrong-2', 'wrong-3'] });
    const host = await open('n-wrong', bed.users.password, asker);
    const result = await outcome(host.run('id -u', { sudo: true }));
    expect(result.error).toMatchObject({ kind: 'sudo', node: 'n-wrong' });
    expect((result.error as Error).message).toMatch(/did not accept the password/);
    expect(asker.secret).toHaveBeenCalledTimes(3);
    // Plain commands still work.
    expect((await host.run('echo fine')).stdout).toBe('fine\n');
  });

  it('a wrong password first, then the right one, works', async () => {
    const asker = scriptedAsker({ secrets: ['typo', bed.users.sudoPassword] });
    const host = await open('n-retry', bed.users.password, asker);
    expect((await host.run('id -u', { sudo: true })).stdout).toBe('0\n');
    expect(asker.secret).toHaveBeenCalledTimes(2);
  });

  it('a user who may not sudo gets a sudo error saying what to configure', async () => {
    const asker = scriptedAsker({ secrets: ['whatever'] });
    const host = await open('n-nosudo', bed.users.nosudo, asker);
    const result = await outcome(host.run('id -u', { sudo: true }));
    expect(result.error).toMatchObject({ kind: 'sudo', node: 'n-nosudo' });
    const message = (result.error as Error).message;
    expect(message).toContain('n-nosudo');
    expect(message).toContain(`${bed.users.nosudo} ALL=(ALL) NOPASSWD:ALL`);
    expect(message).toContain('/etc/sudoers.d/hobbykube');
    expect(message).toContain('root');
    // The failure is remembered: no new questions for the next sudo command.
    const calls = asker.secret.mock.calls.length;
    await expect(host.run('true', { sudo: true })).rejects.toMatchObject({ kind: 'sudo' });
    expect(asker.secret.mock.calls.length).toBe(calls);
  });
});
