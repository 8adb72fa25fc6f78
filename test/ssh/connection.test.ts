// Integration: the transport against a real OpenSSH host (test/hosts harness).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type ConnectOptions, type SshHost } from '../../src/ssh/connection.js';
import { SshError } from '../../src/ssh/types.js';
import { startHosts, type TestBed, type TestHost } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { outcome, scriptedAsker, stateDir } from './helpers.js';

describe('SSH transport against a real sshd', requires(hostsMissing()), () => {
  let bed: TestBed;
  let target: TestHost;
  let state: { dir: string; knownHosts: string };
  let host: SshHost;
  const opened: SshHost[] = [];

  function options(extra: Partial<ConnectOptions> = {}): ConnectOptions {
    return { knownHostsPath: state.knownHosts, asker: scriptedAsker(), assumeYes: true, agentSocket: null, sshConfigPath: null, ...extra };
  }

  async function open(user: string, extra: Partial<ConnectOptions> = {}, keyPath = bed.keyPath): Promise<SshHost> {
    const connection = await connect({ name: 'node-a', address: target.address, ssh: { user, port: target.port, keyPath } }, options(extra));
    opened.push(connection);
    return connection;
  }

  beforeAll(async () => {
    bed = await startHosts(1);
    const first = bed.hosts[0];
    if (!first) throw new Error('no host');
    target = first;
    state = stateDir();
    host = await open(bed.users.nopasswd);
  });

  afterAll(async () => {
    await Promise.all(opened.map((connection) => connection.close()));
    await bed?.stop();
    if (state) rmSync(state.dir, { recursive: true, force: true });
  });

  it('streams 100k lines in order, none lost or split', async () => {
    const seen: string[] = [];
    const result = await host.run('for ((i = 0; i < 100000; i++)); do printf "line %06d with some padding ü\\n" "$i"; done', {
      onLine: (line, stream) => {
        if (stream === 'stdout') seen.push(line);
      },
    });
    expect(result.code).toBe(0);
    expect(seen).toHaveLength(100_000);
    for (let index = 0; index < seen.length; index += 1) {
      if (seen[index] !== `line ${String(index).padStart(6, '0')} with some padding ü`) {
        throw new Error(`line ${index} is ${JSON.stringify(seen[index])}`);
      }
    }
    expect(result.stdout.split('\n')).toHaveLength(100_001);
  });

  it('reports exit codes and keeps stdout and stderr apart', async () => {
    const lines: Array<[string, string]> = [];
    const result = await host.run('echo out; echo err >&2; exit 7', { onLine: (line, stream) => lines.push([stream, line]) });
    expect(result).toEqual({ code: 7, stdout: 'out\n', stderr: 'err\n' });
    expect(lines).toContainEqual(['stdout', 'out']);
    expect(lines).toContainEqual(['stderr', 'err']);
    expect((await host.run('true')).code).toBe(0);
    expect((await host.run('exit 255')).code).toBe(255);
  });

  it('passes the script as one argument: quotes and $ survive', async () => {
    const result = await host.run(`printf '%s\\n' "it's" '$HOME' "a  b"`);
    expect(result.stdout).toBe("it's\n$HOME\na  b\n");
  });

  it('feeds stdin', async () => {
    const result = await host.run('wc -l; cat >/dev/null', { stdin: 'a\nb\nc\n' });
    expect(result.stdout.trim()).toBe('3');
    expect((await host.run('cat', { stdin: 'hello\nworld' })).stdout).toBe('hello\nworld');
  });

  it('a command that overruns its timeout is killed remotely and fails with command-timeout', async () => {
    const result = await outcome(host.run('echo $$ > /tmp/hk-timeout.pid; sleep 600', { timeoutMs: 1000 }));
    expect(result.error).toBeInstanceOf(SshError);
    expect(result.error).toMatchObject({ kind: 'command-timeout', node: 'node-a' });
    // The remote process is gone, and the connection is still usable.
    const check = await host.run('pid=$(cat /tmp/hk-timeout.pid); kill -0 "$pid" 2>/dev/null && echo alive || echo gone');
    expect(check.stdout.trim()).toBe('gone');
  });

  it('a command that finishes in time is unaffected by its timeout', async () => {
    expect(await host.run('echo quick', { timeoutMs: 10_000 })).toMatchObject({ code: 0, stdout: 'quick\n' });
  });

  it('20 concurrent commands on one host all succeed, never more than 8 channels open', async () => {
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, host.channels.inUse);
    }, 5);
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) => host.run(`sleep 0.3; echo ${index}`, { onLine: () => (peak = Math.max(peak, host.channels.inUse)) })),
      );
      expect(results.map((result) => result.stdout.trim())).toEqual(Array.from({ length: 20 }, (_, index) => String(index)));
    } finally {
      clearInterval(sampler);
    }
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(8);
  });

  it('bursts of short commands (channels closing and opening back to back) all succeed', async () => {
    for (let round = 0; round < 3; round += 1) {
      const results = await Promise.all(Array.from({ length: 60 }, (_, index) => host.run(`echo ${index}`)));
      expect(results.map((result) => result.stdout)).toEqual(Array.from({ length: 60 }, (_, index) => `${index}\n`));
    }
  });

  it('copies a file to a root-owned place with mode and owner, content on stdin', async () => {
    const content = 'a: 1\nsecret: "don\'t"\n';
    await host.copyFile(content, '/etc/hobbykube-test/conf.yaml', { sudo: true, mode: 0o600, owner: 'root:root' });
    const check = await host.run('stat -c "%a %U:%G" /etc/hobbykube-test/conf.yaml; cat /etc/hobbykube-test/conf.yaml', { sudo: true });
    expect(check.stdout).toBe(`600 root:root\n${content}`);
    // A plain user's file with its own owner.
    await host.copyFile('plain\n', '/tmp/hk-plain.txt', { mode: 0o640 });
    expect((await host.run('stat -c "%a %U" /tmp/hk-plain.txt; cat /tmp/hk-plain.txt')).stdout).toBe(`640 ${bed.users.nopasswd}\nplain\n`);
  });

  it('downloads a file byte for byte (binary, 3 MiB) in order, with progress, and feeds binary stdin unchanged', async () => {
    // Every byte value, invalid UTF-8 included: nothing may be decoded, split or redacted.
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 131 + (i >> 9)) % 256;
    const stored = await host.run('cat >/tmp/hk-download.bin && sha256sum /tmp/hk-download.bin', { stdin: bytes });
    expect(stored.stdout.split(' ')[0]).toBe(createHash('sha256').update(bytes).digest('hex'));
    const chunks: Buffer[] = [];
    const progress: number[] = [];
    const sink = new PassThrough().on('data', (c: Buffer) => chunks.push(c));
    const received = await host.download('/tmp/hk-download.bin', sink, { onBytes: (n) => progress.push(n) });
    expect(received).toBe(bytes.length);
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(bytes.length);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('a slow sink pauses the transfer instead of failing or losing bytes (backpressure)', async () => {
    const bytes = Buffer.alloc(1024 * 1024, 0xa5);
    await host.run('cat >/tmp/hk-slow.bin', { stdin: bytes });
    const chunks: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        setTimeout(done, 2);
      },
    });
    expect(await host.download('/tmp/hk-slow.bin', slow)).toBe(bytes.length);
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('a file that cannot be read fails with copy-failed naming the node and the path', async () => {
    const missing = await host.download('/tmp/hk-no-such-file', new PassThrough()).catch((caught: unknown) => caught);
    expect(missing).toMatchObject({ kind: 'copy-failed', node: 'node-a' });
    expect((missing as Error).message).toMatch(/cannot read \/tmp\/hk-no-such-file: .*No such file/);
    const denied = await host.download('/etc/shadow', new PassThrough()).catch((caught: unknown) => caught);
    expect((denied as Error).message).toMatch(/cannot read \/etc\/shadow: .*Permission denied/);
  });

  it('a copy that cannot be written fails with copy-failed naming the node', async () => {
    const error = await host.copyFile('x', '/etc/not-allowed-without-sudo.conf').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'copy-failed', node: 'node-a' });
    expect((error as Error).message).toContain('/etc/not-allowed-without-sudo.conf');
  });

  it('root runs sudo commands directly', async () => {
    const root = await open('root');
    expect((await root.run('id -u', { sudo: true })).stdout.trim()).toBe('0');
  });

  it('an encrypted key asks its passphrase once and works', async () => {
    const asker = scriptedAsker({ secrets: [bed.passphrase] });
    const passphrases = new Map<string, string>();
    const first = await open(bed.users.nopasswd, { asker, keyPassphrases: passphrases }, bed.passphraseKeyPath);
    expect((await first.run('echo ok')).stdout).toBe('ok\n');
    const second = await open(bed.users.nopasswd, { asker, keyPassphrases: passphrases }, bed.passphraseKeyPath);
    expect((await second.run('echo ok')).stdout).toBe('ok\n');
    expect(asker.secret).toHaveBeenCalledTimes(1);
  });

  it('a wrong passphrase is explained after three tries', async () => {
    const asker = scriptedAsker({ secrets: ['nope'] });
    const result = await outcome(open(bed.users.nopasswd, { asker }, bed.passphraseKeyPath));
    expect(result.error).toMatchObject({ kind: 'auth', node: 'node-a' });
    expect((result.error as Error).message).toMatch(/wrong passphrase .*3 attempts/);
    expect(asker.secret).toHaveBeenCalledTimes(3);
  });

  it('resolves a ~/.ssh/config alias: HostName, User, Port, IdentityFile', async () => {
    const configPath = join(state.dir, 'ssh_config');
    writeFileSync(
      configPath,
      `Host my-test-vps\n  HostName ${target.address}\n  User ${bed.users.nopasswd}\n  Port ${target.port}\n  IdentityFile ${bed.keyPath}\n`,
    );
    const aliased = await connect({ name: 'aliased', address: 'my-test-vps', ssh: {} }, options({ sshConfigPath: configPath }));
    opened.push(aliased);
    expect(aliased.address).toBe(target.address);
    expect(aliased.user).toBe(bed.users.nopasswd);
    expect((await aliased.run('whoami')).stdout.trim()).toBe(bed.users.nopasswd);
  });

  it('logs in through an SSH agent when no key file is given', async () => {
    const socket = join(state.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      for (let tries = 0; !existsSync(socket) && tries < 100; tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
      execFileSync('ssh-add', [bed.keyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      const emptyHome = mkdtempSync(join(state.dir, 'home-'));
      const viaAgent = await connect(
        { name: 'agent', address: target.address, ssh: { user: bed.users.nopasswd, port: target.port } },
        options({ agentSocket: socket, home: emptyHome }),
      );
      opened.push(viaAgent);
      expect((await viaAgent.run('echo agent')).stdout).toBe('agent\n');
      // Without the agent and without keys there is nothing to log in with: said plainly.
      const none = await outcome(
        connect({ name: 'nokey', address: target.address, ssh: { user: bed.users.nopasswd, port: target.port } }, options({ home: emptyHome })),
      );
      expect(none.error).toMatchObject({ kind: 'auth', node: 'nokey' });
      expect((none.error as Error).message).toContain('ssh-agent');
    } finally {
      agent.kill('SIGTERM');
    }
  });

  describe('connect errors name the node and the cause', () => {
    it('refused: nothing listens on the port', async () => {
      const result = await outcome(
        connect({ name: 'node-r', address: target.address, ssh: { user: 'root', port: 1, keyPath: bed.keyPath } }, options()),
      );
      expect(result.error).toMatchObject({ kind: 'refused', node: 'node-r' });
      expect((result.error as Error).message).toContain(`${target.address}:1`);
    });

    it('key rejected: a key the host does not know', async () => {
      const stranger = join(state.dir, 'stranger_key');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
      const result = await outcome(
        connect({ name: 'node-k', address: target.address, ssh: { user: bed.users.nopasswd, port: target.port, keyPath: stranger } }, options()),
      );
      expect(result.error).toMatchObject({ kind: 'auth', node: 'node-k' });
      expect((result.error as Error).message).toContain(target.address);
    });

    it('unsupported key: a file that is not a private key', async () => {
      const bogus = join(state.dir, 'bogus_key');
      writeFileSync(bogus, 'this is not a key\n');
      const result = await outcome(
        connect({ name: 'node-u', address: target.address, ssh: { user: 'root', port: target.port, keyPath: bogus } }, options()),
      );
      expect(result.error).toMatchObject({ kind: 'unsupported-key', node: 'node-u' });
    });

    it('missing key file', async () => {
      const result = await outcome(
        connect({ name: 'node-m', address: target.address, ssh: { user: 'root', port: target.port, keyPath: join(state.dir, 'absent') } }, options()),
      );
      expect(result.error).toMatchObject({ kind: 'auth', node: 'node-m' });
      expect((result.error as Error).message).toContain('does not exist');
    });

    it('unreachable: a name that does not resolve', async () => {
      const result = await outcome(
        connect({ name: 'node-n', address: 'no-such-host.invalid', ssh: { user: 'root', port: 22, keyPath: bed.keyPath } }, options()),
      );
      expect(result.error).toMatchObject({ kind: 'unreachable', node: 'node-n' });
      expect((result.error as Error).message).toContain('no-such-host.invalid');
    });
  });
});
