// The few parts of ssh2's Client and channel that the transport uses (ssh2 ships no types; node-ssh
// exposes its client as `NodeSSH.connection`).

export interface Ssh2Stream {
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: string, listener: (...args: unknown[]) => void): this;
}

export interface Ssh2Channel extends Ssh2Stream {
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'exit', listener: (code: number | null, signal?: string) => void): this;
  on(event: 'close' | 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: string, listener: (...args: unknown[]) => void): this;
  readonly stderr: Ssh2Stream;
  write(data: string | Buffer): boolean;
  /** Flow control: stop / restart 'data' events (the window fills, the server waits). */
  pause(): this;
  resume(): this;
  end(): void;
  close(): void;
  destroy(): void;
}

export interface Ssh2Client {
  on(event: 'error', listener: (error: Error & { level?: string; code?: string }) => void): this;
  on(event: 'close' | 'end', listener: () => void): this;
  on(event: string, listener: (...args: unknown[]) => void): this;
  exec(command: string, options: Record<string, unknown>, callback: (error: Error | undefined, channel: Ssh2Channel) => void): boolean;
  end(): void;
}
