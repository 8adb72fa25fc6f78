// `status` live: the control plane asked every CLUSTER_POLL_MS (one read-only command, cluster.ts)
// and each node's readiness, kubelet version and the workloads' states handed on as progress
// actions. A failed poll marks every node "unknown" with the reason; the next poll starts
// CLUSTER_POLL_MS after the previous one ended (never two at once). The control plane's
// certificates are read once at the start (kubeadm certs check-expiration, certs.ts) and shown as
// a notice, a warning when one expires within 30 days; nodes on two minors add a warning too.
import type { StoreAction } from '../progress/state.js';
import type { ClusterSpec } from '../spec/types.js';
import type { HostSource } from '../ssh/types.js';
import { certificateProblems, certificatesLine, queryCertificates, summarizeCertificates } from './certs.js';
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
          dispatch({ type: 'node-ready', node: n.name, ready: r?.ready ?? false, ...(r ? (r.reason ? { reason: r.reason } : {}) : { reason: 'not joined' }), ...(r?.version ? { version: r.version } : {}) });
        }
        const minors = new Set(state.nodes.map((x) => /^v?(1\.\d+)\./.exec(x.version ?? '')?.[1]).filter(Boolean));
        dispatch({ type: 'notice', key: 'skew', text: minors.size > 1 ? `Nodes on ${[...minors].join(' and ')}: an upgrade is half done; run \`hobbykube upgrade\` to finish it.` : '', warn: true });
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
  const certificates = (async () => {
    try {
      const summary = summarizeCertificates(await queryCertificates(await hosts.host(cp.name)), Date.now());
      if (stopped) return;
      const problems = certificateProblems(cp.name, summary);
      dispatch({ type: 'notice', key: 'certificates', text: problems[0] ?? certificatesLine(cp.name, summary), warn: problems.length > 0 });
    } catch (error) {
      if (!stopped) dispatch({ type: 'notice', key: 'certificates', text: `Certificates on ${cp.name}: unknown (${error instanceof Error ? error.message : String(error)})`, warn: true });
    }
  })();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([polling?.catch(() => undefined), certificates]);
    },
  };
}
