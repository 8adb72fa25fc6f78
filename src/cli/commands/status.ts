// `hobbykube status [--once]`: every node of the spec (memory, readiness from the control plane)
// and every managed workload's rollout state.
//
// - In a terminal: the live progress view (no steps), memory sampled every 2 s over each node's
//   one SSH connection, the cluster asked every 5 s, until q / Esc / Ctrl-C.
// - With --once, or when stdout is not a terminal: one plain snapshot, exit 1 if any node is
//   unreachable, not joined or NotReady, or any workload is not available; else 0.
import { controlPlaneOf } from '../../install/plan.js';
import { loadSpec } from '../../spec/file.js';
import type { ClusterSpec } from '../../spec/types.js';
import { nodeErrorText } from '../../ssh/types.js';
import { pollCluster } from '../../status/cluster.js';
import { formatSnapshot, takeSnapshot } from '../../status/snapshot.js';
import { EXIT_FAILURE, EXIT_OK } from '../errors.js';
import { openSession, type Session } from '../session.js';
import type { Context } from '../context.js';

export const CLUSTER_POLL_MS = 5000;
const RECONNECT_MS = 10_000;

export async function run(context: Context): Promise<number> {
  const spec = loadSpec(context.specPath);
  const session = openSession(context, spec);
  try {
    if (context.options.once === true || !context.stdout.isTTY) return await once(context, session);
    return await live(context, session, spec);
  } finally {
    await session.close();
  }
}

async function once(context: Context, session: Session): Promise<number> {
  const snapshot = await takeSnapshot(session.spec, (n) => session.host(n));
  context.stdout.write(`${formatSnapshot(snapshot).join('\n')}\n`);
  return snapshot.problems.length === 0 ? EXIT_OK : EXIT_FAILURE;
}

async function live(context: Context, session: Session, spec: ClusterSpec): Promise<number> {
  const [{ createStore }, { mountProgressView }, { startMemorySampler }] = await Promise.all([
    import('../../progress/store.js'),
    import('../../../screens/progress/index.js'),
    import('../../monitor/memory.js'),
  ]);
  const cp = controlPlaneOf(spec);
  const store = createStore({ nodes: spec.spec.nodes.map((n) => ({ name: n.name, role: n.role })) });
  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const view = mountProgressView(store, { title: `hobbykube status: ${spec.metadata.name}`, onIntent: () => quit() });
  const onSigint = () => quit();
  process.on('SIGINT', onSigint);

  let stopped = false;
  const samplers: Array<{ stop(): Promise<void> }> = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!stopped) fn();
    }, ms);
    timers.add(t);
  };

  // Memory: one sampler per node once connected; an unreachable node is retried every 10 s.
  const connect = (name: string) => {
    session.host(name).then(
      (host) => {
        if (!stopped) samplers.push(startMemorySampler(host, store.memorySink));
      },
      (error: unknown) => {
        if (stopped) return;
        store.memorySink.error(name, `unreachable: ${nodeErrorText(name, error)}`);
        later(() => connect(name), RECONNECT_MS);
      },
    );
  };
  for (const n of spec.spec.nodes) connect(n.name);

  // Readiness and workloads: one read-only command on the control plane every 5 s.
  let polling: Promise<void> | undefined;
  const poll = () => {
    polling = (async () => {
      try {
        const state = await pollCluster(await session.host(cp.name));
        if (stopped) return;
        for (const n of spec.spec.nodes) {
          const r = state.nodes.find((x) => x.name === n.name);
          store.dispatch({ type: 'node-ready', node: n.name, ready: r?.ready ?? false, ...(r ? (r.reason ? { reason: r.reason } : {}) : { reason: 'not joined' }) });
        }
        store.dispatch({ type: 'workloads', workloads: state.workloads });
      } catch (error) {
        if (stopped) return;
        const text = error instanceof Error ? error.message : String(error);
        for (const n of spec.spec.nodes) store.dispatch({ type: 'node-ready', node: n.name, ready: false, reason: `unknown: ${text}` });
      }
    })();
    void polling.then(() => later(poll, CLUSTER_POLL_MS));
  };
  poll();

  await quitting;
  stopped = true;
  process.off('SIGINT', onSigint);
  for (const t of timers) clearTimeout(t);
  await Promise.all(samplers.map((s) => s.stop()));
  await polling?.catch(() => undefined);
  await view.unmount();
  return EXIT_OK;
}
