// `status` live: the control plane asked every CLUSTER_POLL_MS (one read-only command, cluster.ts)
// and each node's readiness and the workloads' states handed on as progress actions. A failed
// poll marks every node "unknown" with the reason; the next poll starts CLUSTER_POLL_MS after the
// previous one ended (never two at once).
import type { StoreAction } from '../progress/state.js';
import type { ClusterSpec } from '../spec/types.js';
import type { HostSource } from '../ssh/types.js';
import { pollCluster } from './cluster.js';

export const CLUSTER_POLL_MS = 5000;

export interface ClusterFollow {
  /** Resolves once the poll under way (if any) has ended; no new one starts. */
  stop(): Promise<void>;
}

export function followCluster(spec: ClusterSpec, hosts: HostSource, dispatch: (action: StoreAction) => void, everyMs = CLUSTER_POLL_MS): ClusterFollow {
  const cp = spec.spec.nodes.find((n) => n.role === 'control-plane')!;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;

  const poll = () => {
    polling = (async () => {
      try {
        const state = await pollCluster(await hosts.host(cp.name));
        if (stopped) return;
        for (const n of spec.spec.nodes) {
          const r = state.nodes.find((x) => x.name === n.name);
          dispatch({ type: 'node-ready', node: n.name, ready: r?.ready ?? false, ...(r ? (r.reason ? { reason: r.reason } : {}) : { reason: 'not joined' }) });
        }
        dispatch({ type: 'workloads', workloads: state.workloads });
      } catch (error) {
        if (stopped) return;
        const text = error instanceof Error ? error.message : String(error);
        for (const n of spec.spec.nodes) dispatch({ type: 'node-ready', node: n.name, ready: false, reason: `unknown: ${text}` });
      }
    })();
    void polling.then(() => {
      if (!stopped) timer = setTimeout(poll, everyMs);
    });
  };
  poll();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await polling?.catch(() => undefined);
    },
  };
}
