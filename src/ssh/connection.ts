// The real transport: one node-ssh connection per node, reused for every command.
// Why one file of ~580 lines: the connection's life (connect, host key, auth, keepalive, channel
// slots, exec, copy, download, close) is one object's state; the pieces that stand alone
// (ssh config, host keys, keys, sudo) are their own modules.
//
//   connect(node, options) → SshHost (a Host)
//
// - Endpoint: the node's address is resolved against ~/.ssh/config (src/ssh/sshconfig.ts).
// - Host key: pinned in the cluster's known_hosts (src/ssh/hostkeys.ts). First contact fetches the
//   key, asks the owner (no handshake timer running while they read), pins it, then connects; a
//   changed key stops the connection during key exchange, before authentication.
// - Auth: key files (spec keyPath, IdentityFile, or OpenSSH's defaults) and the agent
//   (SSH_AUTH_SOCK); an encrypted key's passphrase is asked once (src/ssh/keys.ts).
// - Liveness: keepalive every 2 s, 3 unanswered → the connection is declared lost (≈ 8 s), and
//   every running command rejects with SshError 'connection-lost' naming the node. The client's
//   'error' event always has a listener.
// - Channels: at most `maxChannels` (default 8, below OpenSSH's MaxSessions 10) at once per host;
//   more commands wait their turn instead of failing. A channel open the server still refuses
//   (sshd frees closed sessions lazily, so a burst of close+open can overshoot MaxSessions) is
//   retried with a short backoff. Nothing here uses SFTP; whoever adds it must take a slot too.
//   Files come back with `download` (`cat` on one exec channel, bytes streamed into a local sink):
//   as root through sudo like any command, which SFTP could not do.
// - sudo: `sudo -n` when the user may sudo without a password; otherwise the password is asked
//   once per host (Asker.secret), checked once with `sudo -k -S true`, kept in this object's memory
//   only, and written as the first line of each sudo command's stdin. It is never part of a
//   command line, and is masked out of any output and error text as a second line of defence.
//
// Why one file of ~540 lines: connecting, running, copying, sudo and liveness share one
// connection's private state (the channel limiter, the running commands, the sudo password, the
// keepalive); split apart, each piece would have to expose it to the others.
import { NodeSSH } from 'node-ssh';
import { existsSync } from 'node:fs';
import type { Ssh2Channel, Ssh2Client } from './client-types.js';
import {
  buildCommand,
  buildCopyScript,
  buildReadScript,
  classifySudoCheck,
  parseSudoProbe,
  sudoAdvice,
  SUDO_CHECK_COMMAND,
  SUDO_PROBE_SCRIPT,
  type SudoMode,
} from './command.js';
import { classifyConnectError, type Endpoint } from './errors.js';
import { formatDuration } from '../text/duration.js';
import { checkHostKey, hostKeyAlgorithms, KnownHosts, mismatchError, verifyHostKey, type HostKeyContext } from './hostkeys.js';
import { loadKeys, type LoadedKey } from './keys.js';
import { Limiter } from './limiter.js';
import { LineSplitter } from './lines.js';
import { resolveSshTarget, type SshTarget } from './sshconfig.js';
import { SshError, type Asker, type CopyOptions, type DownloadOptions, type Host, type OutputStream, type RunOptions, type RunResult } from './types.js';

export interface ConnectNode {
  /** The spec's node name; every error names it. */
  name: string;
  /** IP address, host name, or a Host alias of ~/.ssh/config. */
  address: string;
  ssh: { user?: string; port?: number; keyPath?: string };
}

export interface ConnectOptions {
  /** The cluster's pinned known_hosts file (clusterPaths(cluster).knownHosts). */
  knownHostsPath: string;
  asker: Asker;
  /** --yes: pin an unknown host key without asking (a changed key is still refused). */
  assumeYes?: boolean;
  /** TCP connect + SSH handshake + authentication must finish within this (default 20 s). */
  readyTimeoutMs?: number;
  /** Keepalive probe interval (default 2000 ms); 0 disables keepalive. */
  keepaliveIntervalMs?: number;
  /** Unanswered keepalives before the connection counts as lost (default 3). */
  keepaliveCountMax?: number;
  /** Concurrent channels per host, SFTP included (default 8, below OpenSSH MaxSessions 10). */
  maxChannels?: number;
  /** ~/.ssh/config by default; null: ignore any ssh config. */
  sshConfigPath?: string | null;
  /** Agent socket; default $SSH_AUTH_SOCK; null: do not use an agent. */
  agentSocket?: string | null;
  /** Key passphrases already given (path → passphrase); share one map across nodes to ask once. */
  keyPassphrases?: Map<string, string>;
  /** Home directory for `~` in key paths and the default key files (default: os.homedir()). */
  home?: string;
}

export const DEFAULTS = {
  readyTimeoutMs: 20_000,
  keepaliveIntervalMs: 2_000,
  keepaliveCountMax: 3,
  maxChannels: 8,
  /** After a command's timeout, how long the remote `timeout` gets to stop it before we close the channel. */
  timeoutGraceMs: 2_000,
  sudoPasswordAttempts: 3,
} as const;

export async function connect(node: ConnectNode, options: ConnectOptions): Promise<SshHost> {
  const target = resolveSshTarget(
    { address: node.address, user: node.ssh.user, port: node.ssh.port, keyPath: node.ssh.keyPath },
    { configPath: options.sshConfigPath, ...(options.home !== undefined ? { home: options.home } : {}) },
  );
  const endpoint: Endpoint = { node: node.name, address: target.hostName, port: target.port, user: target.user };
  const agent = options.agentSocket === undefined ? process.env.SSH_AUTH_SOCK : options.agentSocket;
  const haveAgent = typeof agent === 'string' && agent !== '' && existsSync(agent);
  const keys = await loadKeys({
    node: node.name,
    files: target.identityFiles,
    explicit: target.identityExplicit,
    haveAgent,
    asker: options.asker,
    passphrases: options.keyPassphrases ?? new Map(),
  });
  if (keys.length === 0 && !haveAgent) {
    throw new SshError(
      node.name,
      'auth',
      `no SSH key to log in to ${endpoint.user}@${endpoint.address}:${endpoint.port}: set ssh.keyPath for the node, add an IdentityFile to ~/.ssh/config, or start ssh-agent`,
    );
  }
  const authHandler = buildAuthList(target, keys, haveAgent ? (agent as string) : undefined);
  const hostKeys: HostKeyContext = {
    node: node.name,
    address: target.hostName,
    port: target.port,
    knownHostsPath: options.knownHostsPath,
    asker: options.asker,
    assumeYes: options.assumeYes ?? false,
  };
  const settings = {
    readyTimeoutMs: options.readyTimeoutMs ?? DEFAULTS.readyTimeoutMs,
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? DEFAULTS.keepaliveIntervalMs,
    keepaliveCountMax: options.keepaliveCountMax ?? DEFAULTS.keepaliveCountMax,
  };

  // First attempt: a pinned key lets it through; an unknown key stops it so we can ask the owner
  // with no handshake timer running, pin the key, and connect again.
  let attempt = await open(endpoint, hostKeys, authHandler, settings);
  if (attempt.kind === 'unknown-key') {
    await verifyHostKey(hostKeys, attempt.key);
    attempt = await open(endpoint, hostKeys, authHandler, settings);
    if (attempt.kind === 'unknown-key') {
      throw new SshError(node.name, 'host-key-rejected', `could not pin the host key in ${options.knownHostsPath}`);
    }
  }
  return new SshHost(endpoint, attempt.ssh, attempt.client, options.asker, options.maxChannels ?? DEFAULTS.maxChannels, settings);
}

type AuthMethod =
  | { type: 'publickey'; username: string; key: Buffer; passphrase?: string }
  | { type: 'agent'; username: string; agent: string };

function buildAuthList(target: SshTarget, keys: LoadedKey[], agent: string | undefined): AuthMethod[] {
  const username = target.user;
  const fromKeys: AuthMethod[] = keys.map((key) => ({
    type: 'publickey',
    username,
    key: key.key,
    ...(key.passphrase !== undefined ? { passphrase: key.passphrase } : {}),
  }));
  const fromAgent: AuthMethod[] = agent !== undefined ? [{ type: 'agent', username, agent }] : [];
  // Keys the owner named come first (fewer failed attempts against MaxAuthTries); otherwise the
  // agent goes first, as with OpenSSH.
  return target.identityExplicit ? [...fromKeys, ...fromAgent] : [...fromAgent, ...fromKeys];
}

type Attempt = { kind: 'ready'; ssh: NodeSSH; client: Ssh2Client } | { kind: 'unknown-key'; key: Buffer };

interface Settings {
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

async function open(endpoint: Endpoint, hostKeys: HostKeyContext, authHandler: AuthMethod[], settings: Settings): Promise<Attempt> {
  const pinned = KnownHosts.load(hostKeys.knownHostsPath).lookup(hostKeys.address, hostKeys.port);
  let verdict: { kind: 'unknown'; key: Buffer } | { kind: 'refused'; error: SshError } | undefined;
  const hostVerifier = (key: Buffer): boolean => {
    try {
      const current = KnownHosts.load(hostKeys.knownHostsPath).lookup(hostKeys.address, hostKeys.port);
      const decision = checkHostKey(current, key);
      if (decision.status === 'known') return true;
      verdict =
        decision.status === 'changed'
          ? { kind: 'refused', error: mismatchError(hostKeys, decision.pinned, key) }
          : { kind: 'unknown', key: Buffer.from(key) };
    } catch (error) {
      verdict = {
        kind: 'refused',
        error: new SshError(endpoint.node, 'unsupported-key', `cannot check the host key: ${(error as Error).message}`),
      };
    }
    return false;
  };

  const ssh = new NodeSSH();
  const connecting = ssh.connect({
    host: endpoint.address,
    port: endpoint.port,
    username: endpoint.user,
    readyTimeout: settings.readyTimeoutMs,
    keepaliveInterval: settings.keepaliveIntervalMs,
    keepaliveCountMax: settings.keepaliveCountMax,
    // ssh2 accepts these authHandler objects; node-ssh's typings only know method names.
    authHandler: authHandler as never,
    algorithms: { serverHostKey: hostKeyAlgorithms(pinned.map((entry) => entry.keyType)) },
    hostVerifier,
  });
  // node-ssh creates the client synchronously inside connect(): listen for 'error' from the very
  // start, so no error event can ever go unhandled.
  const client = ssh.connection as unknown as Ssh2Client | null;
  client?.on('error', () => {});
  try {
    await connecting;
  } catch (error) {
    ssh.dispose();
    if (verdict?.kind === 'refused') throw verdict.error;
    if (verdict?.kind === 'unknown') return { kind: 'unknown-key', key: verdict.key };
    throw classifyConnectError(endpoint, error, settings.readyTimeoutMs);
  }
  const ready = ssh.connection as unknown as Ssh2Client | null;
  if (!ready) throw new SshError(endpoint.node, 'connection-lost', `connection to ${endpoint.address}:${endpoint.port} closed right after login`);
  return { kind: 'ready', ssh, client: ready };
}

/** A connected node. All methods are safe to call concurrently. */
export class SshHost implements Host {
  readonly node: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  private readonly limiter: Limiter;
  private lost: SshError | null = null;
  private closed = false;
  private readonly running = new Set<(error: SshError) => void>();
  private sudo: Promise<SudoMode> | null = null;
  /** Memory only; never logged, never on a command line. */
  private sudoPassword: string | null = null;

  constructor(
    endpoint: Endpoint,
    private readonly ssh: NodeSSH,
    private readonly client: Ssh2Client,
    private readonly asker: Asker,
    maxChannels: number,
    private readonly settings: Settings,
  ) {
    this.node = endpoint.node;
    this.address = endpoint.address;
    this.port = endpoint.port;
    this.user = endpoint.user;
    this.limiter = new Limiter(maxChannels);
    client.on('error', (error) => this.markLost(describeLoss(error, settings)));
    client.on('close', () => this.markLost('the server closed the connection'));
    client.on('end', () => this.markLost('the server ended the connection'));
  }

  /** True until the connection is lost or closed. */
  get alive(): boolean {
    return this.lost === null;
  }

  /** Channels open right now and commands waiting for one (for tests and progress views). */
  get channels(): { inUse: number; queued: number; limit: number } {
    return { inUse: this.limiter.inUse, queued: this.limiter.queued, limit: this.limiter.limit };
  }

  async run(script: string, options: RunOptions = {}): Promise<RunResult> {
    this.assertAlive();
    const sudo: SudoMode = options.sudo && this.user !== 'root' ? await this.sudoMode() : { kind: 'none' };
    const command = buildCommand({ script, sudo, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
    const password = sudo.kind === 'password' ? `${this.sudoPassword ?? ''}\n` : '';
    const stdin = typeof options.stdin === 'string' || options.stdin === undefined ? password + (options.stdin ?? '') : Buffer.concat([Buffer.from(password), options.stdin]);
    return this.limiter.run(() =>
      this.exec(command, stdin, {
        ...(options.onLine !== undefined ? { onLine: options.onLine } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      }),
    );
  }

  async copyFile(content: string, remotePath: string, options: CopyOptions = {}): Promise<void> {
    const script = buildCopyScript(remotePath, {
      mode: options.mode ?? 0o644,
      ...(options.owner !== undefined ? { owner: options.owner } : {}),
    });
    const result = await this.run(script, { stdin: content, ...(options.sudo !== undefined ? { sudo: options.sudo } : {}) });
    if (result.code !== 0) {
      const reason = result.stderr.trim().split('\n').slice(-2).join(' / ') || `exit status ${result.code}`;
      throw new SshError(this.node, 'copy-failed', `cannot write ${remotePath}: ${reason}`);
    }
  }

  async download(remotePath: string, sink: NodeJS.WritableStream, options: DownloadOptions = {}): Promise<number> {
    this.assertAlive();
    const sudo: SudoMode = options.sudo && this.user !== 'root' ? await this.sudoMode() : { kind: 'none' };
    const command = buildCommand({ script: buildReadScript(remotePath), sudo, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
    const password = sudo.kind === 'password' ? `${this.sudoPassword ?? ''}\n` : '';
    let received = 0;
    const raw = (chunk: Buffer, channel: Ssh2Channel): void => {
      received += chunk.length;
      options.onBytes?.(received);
      // Backpressure: a slow local disk pauses the channel instead of filling memory.
      if (!sink.write(chunk)) {
        channel.pause();
        sink.once('drain', () => channel.resume());
      }
    };
    const result = await this.limiter.run(() => this.exec(command, password, { raw, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) }));
    if (result.code !== 0) {
      const reason = result.stderr.trim().split('\n').slice(-2).join(' / ') || `exit status ${result.code}`;
      throw new SshError(this.node, 'copy-failed', `cannot read ${remotePath}: ${reason}`);
    }
    return received;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.markLost('hobbykube closed the connection');
    this.ssh.dispose();
  }

  private assertAlive(): void {
    if (this.lost) throw this.lost;
  }

  private markLost(reason: string): void {
    if (this.lost) return;
    this.lost = new SshError(this.node, 'connection-lost', `connection to ${this.address}:${this.port} lost: ${reason}`);
    for (const fail of [...this.running]) fail(this.lost);
    if (!this.closed) {
      this.closed = true;
      this.ssh.dispose();
    }
  }

  /** Masks the sudo password out of any text that leaves this object. */
  private redact(text: string): string {
    const secret = this.sudoPassword;
    if (secret === null || secret.length < 3) return text;
    return text.split(secret).join('********');
  }

  private sudoMode(): Promise<SudoMode> {
    this.sudo ??= this.resolveSudo();
    return this.sudo;
  }

  private async resolveSudo(): Promise<SudoMode> {
    const probe = await this.limiter.run(() => this.exec(buildCommand({ script: SUDO_PROBE_SCRIPT, sudo: { kind: 'none' } }), '', {}));
    const verdict = parseSudoProbe(probe.stdout);
    const who = `${this.user}@${this.address}`;
    switch (verdict) {
      case 'nopasswd':
        return { kind: 'nopasswd' };
      case 'password':
        return this.askSudoPassword();
      case 'denied':
        throw new SshError(this.node, 'sudo', `${who} may not use sudo: ${sudoAdvice(this.user)}`);
      case 'tty':
        throw new SshError(
          this.node,
          'sudo',
          `sudo on ${who} insists on a terminal (Defaults requiretty): remove requiretty, or ${sudoAdvice(this.user)}`,
        );
      case 'missing':
        throw new SshError(this.node, 'sudo', `sudo is not installed on ${this.address}: install it as root (apt-get install sudo), or log in as root`);
      default: {
        const said = probe.stdout.replace(/^HK_SUDO=\w+\n?/m, '').trim().split('\n').slice(0, 2).join(' / ');
        throw new SshError(this.node, 'sudo', `cannot tell how ${who} becomes root (${said || 'no answer from sudo'}): ${sudoAdvice(this.user)}`);
      }
    }
  }

  private async askSudoPassword(): Promise<SudoMode> {
    for (let attempt = 1; attempt <= DEFAULTS.sudoPasswordAttempts; attempt += 1) {
      const question =
        attempt === 1
          ? `sudo password for ${this.user} on ${this.node} (${this.address})`
          : `sudo did not accept that password for ${this.user} on ${this.node}; try again (${attempt}/${DEFAULTS.sudoPasswordAttempts})`;
      const password = await this.asker.secret(question, 'sudo-password');
      if (password === '' || password.includes('\n')) continue;
      const check = await this.limiter.run(() => this.exec(SUDO_CHECK_COMMAND, `${password}\n`, {}));
      const outcome = classifySudoCheck(check.code, check.stderr);
      if (outcome === 'ok') {
        this.sudoPassword = password;
        return { kind: 'password' };
      }
      if (outcome === 'denied') {
        throw new SshError(this.node, 'sudo', `${this.user}@${this.address} may not use sudo: ${sudoAdvice(this.user)}`);
      }
      if (outcome === 'other') {
        const said = check.stderr.split(password).join('********').trim().split('\n').slice(-2).join(' / ');
        throw new SshError(this.node, 'sudo', `sudo failed on ${this.address} (${said || `exit status ${check.code}`})`);
      }
    }
    throw new SshError(
      this.node,
      'sudo',
      `sudo did not accept the password for ${this.user} on ${this.address} (${DEFAULTS.sudoPasswordAttempts} attempts): ` +
        `the password is wrong, or ${this.user} may not use sudo at all. To fix it for good, ${sudoAdvice(this.user)}`,
    );
  }

  /** Runs one command line on its own channel; the caller holds a limiter slot. */
  private exec(
    command: string,
    stdin: string | Buffer,
    options: {
      onLine?: (line: string, stream: OutputStream) => void;
      timeoutMs?: number;
      /** Standard output's bytes go here, unsplit and unredacted (a file's content), not into the result. */
      raw?: (chunk: Buffer, channel: Ssh2Channel) => void;
    },
  ): Promise<RunResult> {
    return new Promise<RunResult>((resolve, reject) => {
      if (this.lost) {
        reject(this.lost);
        return;
      }
      let settled = false;
      let channel: Ssh2Channel | undefined;
      let softTimer: NodeJS.Timeout | undefined;
      let hardTimer: NodeJS.Timeout | undefined;
      let timedOut = false;
      let callbackError: unknown;
      const timeoutMs = options.timeoutMs;
      const timeoutError = (): SshError =>
        new SshError(this.node, 'command-timeout', `command did not finish within ${formatDuration(timeoutMs ?? 0)} and was stopped`);

      const finish = (error: unknown, result?: RunResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(softTimer);
        clearTimeout(hardTimer);
        this.running.delete(fail);
        if (error !== undefined) reject(error);
        else resolve(result as RunResult);
      };
      const fail = (error: SshError): void => {
        finish(error);
        closeQuietly(channel);
      };
      this.running.add(fail);

      const callback = (stream: OutputStream) => (line: string) => {
        if (callbackError !== undefined || !options.onLine) return;
        try {
          options.onLine(this.redact(line), stream);
        } catch (error) {
          callbackError = error;
        }
      };
      const outLines = new LineSplitter(callback('stdout'));
      const errLines = new LineSplitter(callback('stderr'));
      const out: Buffer[] = [];
      const err: Buffer[] = [];

      const start = (attempt: number): void => {
        if (settled) return;
        if (this.lost) {
          finish(this.lost);
          return;
        }
        try {
          this.client.exec(command, {}, (openError, opened) => {
            if (openError) {
              // sshd frees a closed session only after its main loop has run, so right after a
              // burst of closes it may still count them against MaxSessions: retry briefly.
              if (!this.lost && !settled && attempt < CHANNEL_OPEN_RETRIES) {
                setTimeout(() => start(attempt + 1), 25 * 2 ** attempt);
                return;
              }
              finish(
                this.lost ??
                  new SshError(this.node, 'channel', `the server refused a new channel (${openError.message}); is its MaxSessions below ${this.limiter.limit}?`),
              );
              return;
            }
            onOpen(opened);
          });
        } catch (error) {
          finish(this.lost ?? new SshError(this.node, 'connection-lost', `cannot start a command on ${this.address}: ${(error as Error).message}`));
        }
      };

      const onOpen = (opened: Ssh2Channel): void => {
        if (settled) {
          closeQuietly(opened);
          return;
        }
        channel = opened;
        let exitCode: number | null = null;
        let exitSignal: string | undefined;
        opened.on('data', (chunk: Buffer) => {
          if (options.raw) {
            try {
              options.raw(chunk, opened);
            } catch (error) {
              callbackError ??= error;
            }
            return;
          }
          out.push(chunk);
          outLines.push(chunk);
        });
        opened.stderr.on('data', (chunk: Buffer) => {
          err.push(chunk);
          errLines.push(chunk);
        });
        opened.on('error', () => {});
        opened.on('exit', (code: number | null, signal?: string) => {
          exitCode = typeof code === 'number' ? code : null;
          exitSignal = typeof signal === 'string' ? signal : undefined;
        });
        opened.on('close', () => {
          outLines.end();
          errLines.end();
          if (settled) return;
          if (callbackError !== undefined) return finish(callbackError);
          const code = exitCode ?? signalExitCode(exitSignal);
          if (timedOut && (code === null || code !== 0)) return finish(timeoutError());
          if (code === null) {
            return finish(
              this.lost ??
                new SshError(this.node, 'connection-lost', `the command on ${this.address} ended without an exit status (connection dropped?)`),
            );
          }
          finish(undefined, {
            code,
            stdout: this.redact(Buffer.concat(out).toString('utf8')),
            stderr: this.redact(Buffer.concat(err).toString('utf8')),
          });
        });
        if (stdin.length > 0) opened.write(stdin);
        opened.end();
      };
      start(0);
      if (settled) return;

      if (timeoutMs !== undefined) {
        // The remote `timeout` stops the command at timeoutMs; this local timer makes sure we give
        // up on the channel shortly after even if the server never answers.
        softTimer = setTimeout(() => {
          timedOut = true;
          hardTimer = setTimeout(() => {
            finish(timeoutError());
            closeQuietly(channel);
          }, DEFAULTS.timeoutGraceMs);
        }, timeoutMs);
      }
    });
  }
}

/** Channel opens refused by the server are retried this many times (25 ms doubling: ~1.5 s in all). */
const CHANNEL_OPEN_RETRIES = 6;

function closeQuietly(channel: Ssh2Channel | undefined): void {
  if (!channel) return;
  try {
    channel.close();
  } catch {
    // already closed
  }
}

const SIGNAL_NUMBERS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, ABRT: 6, KILL: 9, SEGV: 11, PIPE: 13, ALRM: 14, TERM: 15 };

/** A command killed by a signal reports as a shell would: 128 + signal number. */
function signalExitCode(signal: string | undefined): number | null {
  if (signal === undefined) return null;
  const number = SIGNAL_NUMBERS[signal.replace(/^SIG/, '')];
  return number !== undefined ? 128 + number : 128;
}

function describeLoss(error: Error & { level?: string; code?: string }, settings: Settings): string {
  if (/keepalive/i.test(error.message)) {
    const seconds = Math.round(((settings.keepaliveCountMax + 1) * settings.keepaliveIntervalMs) / 1000);
    return `no answer to keepalives for about ${seconds} s (server frozen or network down)`;
  }
  return error.code ? `${error.message} (${error.code})` : error.message;
}
