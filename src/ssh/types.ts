// What the rest of hobbykube needs from a node: run a script (streamed, as root where needed)
// and copy a file. The real implementation is node-ssh (src/ssh/connection.ts); plan and runner
// code depends only on this interface.

export type OutputStream = 'stdout' | 'stderr';

export interface RunOptions {
  /** Run as root: `sudo -n` for a passwordless user, `sudo -S` with the password on stdin otherwise. */
  sudo?: boolean;
  /** Bytes fed to the script's standard input (after the sudo password, which is never logged). */
  stdin?: string | Uint8Array;
  /** Kill the command and fail after this long. */
  timeoutMs?: number;
  /** Called once per complete output line, in arrival order, without the newline. */
  onLine?: (line: string, stream: OutputStream) => void;
}

export interface RunResult {
  /** Exit status; a lost connection is an SshError, never a result. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface CopyOptions {
  mode?: number;
  owner?: string;
  sudo?: boolean;
}

export interface DownloadOptions {
  /** Read the file as root. */
  sudo?: boolean;
  /** Kill the transfer and fail after this long. */
  timeoutMs?: number;
  /** Called with the bytes received so far, as they arrive. */
  onBytes?: (received: number) => void;
}

export interface Host {
  /** The spec's node name: every error and event names it. */
  readonly node: string;
  /** Runs a bash script (passed as one quoted argument to `bash -c`). */
  run(script: string, options?: RunOptions): Promise<RunResult>;
  copyFile(content: string, remotePath: string, options?: CopyOptions): Promise<void>;
  /**
   * Streams a remote file's bytes, unchanged (binary safe), into `sink`, over one channel; the
   * caller ends the sink. Resolves with the byte count; a file that cannot be read is an SshError
   * ('copy-failed') naming it.
   */
  download(remotePath: string, sink: NodeJS.WritableStream, options?: DownloadOptions): Promise<number>;
  close(): Promise<void>;
}

/** Where the connections to the nodes come from (one per node, opened on first use: HostPool). */
export interface HostSource {
  host(node: string): Promise<Host>;
}

export type SshErrorKind =
  | 'unreachable'
  | 'refused'
  | 'timeout'
  | 'auth'
  | 'host-key-mismatch'
  | 'host-key-rejected'
  | 'unsupported-key'
  | 'connection-lost'
  | 'command-timeout'
  | 'sudo'
  /** The server refused to open a channel (its MaxSessions is below our per-host limit?). */
  | 'channel'
  /** copyFile could not write the remote file (message carries the remote error). */
  | 'copy-failed';

export class SshError extends Error {
  constructor(
    readonly node: string,
    readonly kind: SshErrorKind,
    message: string,
  ) {
    super(`${node}: ${message}`);
    this.name = 'SshError';
  }
}

/**
 * What went wrong on a node, without the "node: " prefix SshError puts on its message: for text
 * shown beside the node's name (survey lines, status, the memory line).
 */
export function nodeErrorText(node: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith(`${node}: `) ? message.slice(node.length + 2) : message;
}

export type SecretKind = 'sudo-password' | 'key-passphrase';

/** How the transport asks the person at the keyboard (wizard, plain prompts, or --yes). */
export interface Asker {
  /** First contact with a host: accept this fingerprint? */
  confirmHostKey(node: string, address: string, fingerprint: string, keyType: string): Promise<boolean>;
  /** A secret answer; never echoed or logged. `kind` lets a non-interactive asker find it elsewhere. */
  secret(question: string, kind: SecretKind): Promise<string>;
}
