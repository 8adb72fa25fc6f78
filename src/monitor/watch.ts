// The memory of several nodes for as long as someone watches (`apply`, `status`): one sampler per
// node (memory.ts) as soon as its connection is open; a node that cannot be reached is reported
// to the sink ("unreachable: ...") and tried again every RECONNECT_MS. The connections come from
// the caller (the session's pool), so a node already surveyed is not connected twice.
import { nodeErrorText, type HostSource } from '../ssh/types.js';
import { startMemorySampler, type MemorySink, type Sampler, type SamplerOptions } from './memory.js';

/** How long an unreachable node waits before the next connection attempt. */
export const RECONNECT_MS = 10_000;

export interface MemoryWatch {
  /** Resolves once every sampler has stopped and no reconnection is pending. */
  stop(): Promise<void>;
}

export function watchMemory(
  nodes: readonly string[],
  hosts: HostSource,
  sink: MemorySink,
  options: SamplerOptions & { reconnectMs?: number } = {},
): MemoryWatch {
  const { reconnectMs = RECONNECT_MS, ...samplerOptions } = options;
  let stopped = false;
  const samplers: Sampler[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const connect = (node: string) => {
    hosts.host(node).then(
      (host) => {
        if (!stopped) samplers.push(startMemorySampler(host, sink, samplerOptions));
      },
      (error: unknown) => {
        if (stopped) return;
        sink.error(node, `unreachable: ${nodeErrorText(node, error)}`);
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!stopped) connect(node);
        }, reconnectMs);
        timers.add(timer);
      },
    );
  };
  for (const node of nodes) connect(node);

  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(samplers.map((s) => s.stop()));
    },
  };
}
