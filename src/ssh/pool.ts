// One connection per node for a whole command: opened on first use, shared by every step on
// that node, closed together at the end. Concurrent first uses share one connect attempt.
import { connect, type ConnectOptions, type SshHost } from './connection.js';
import type { NodeSpec } from '../spec/types.js';

export class HostPool {
  private readonly connections = new Map<string, Promise<SshHost>>();
  private readonly passphrases = new Map<string, string>();

  constructor(
    private readonly nodes: readonly NodeSpec[],
    private readonly options: ConnectOptions,
  ) {}

  host(name: string): Promise<SshHost> {
    const existing = this.connections.get(name);
    if (existing) return existing;
    const node = this.nodes.find((n) => n.name === name);
    if (!node) return Promise.reject(new Error(`no node named ${name} in the spec`));
    const opening = connect(node, { keyPassphrases: this.passphrases, ...this.options });
    // A failed connect is not cached: the next use tries again.
    opening.catch(() => this.connections.delete(name));
    this.connections.set(name, opening);
    return opening;
  }

  /** Names of nodes that have been contacted (for tests and "left alone" reports). */
  contacted(): string[] {
    return [...this.connections.keys()];
  }

  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((p) => p.then((h) => h.close()).catch(() => undefined)));
  }
}
