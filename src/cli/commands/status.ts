// `hobbykube status [--once]`: every node of the spec (memory, readiness from the control plane)
// and every managed workload's rollout state.
//
// - In a terminal: the live progress view (no steps), memory sampled every 2 s over each node's
//   one SSH connection (src/monitor/watch.ts: the same wiring as apply's), the cluster asked every
//   5 s (src/status/follow.ts), until q / Esc / Ctrl-C.
// - With --once, or when stdout is not a terminal: one plain snapshot, exit 1 if any node is
//   unreachable, not joined or NotReady, or any workload is not available; else 0.
import { loadSpec } from '../../spec/file.js';
import { formatSnapshot, takeSnapshot } from '../../status/snapshot.js';
import { EXIT_FAILURE, EXIT_OK } from '../errors.js';
import { openSession, type Session } from '../session.js';
import type { Context } from '../context.js';

export async function run(context: Context): Promise<number> {
  const spec = loadSpec(context.specPath);
  const session = openSession(context, spec);
  try {
    if (context.options.once === true || !context.stdout.isTTY) return await once(context, session);
    return await live(session);
  } finally {
    await session.close();
  }
}

async function once(context: Context, session: Session): Promise<number> {
  const snapshot = await takeSnapshot(session.spec, (n) => session.host(n));
  context.stdout.write(`${formatSnapshot(snapshot).join('\n')}\n`);
  return snapshot.problems.length === 0 ? EXIT_OK : EXIT_FAILURE;
}

async function live(session: Session): Promise<number> {
  const [{ liveDisplay }, { watchMemory }, { followCluster }] = await Promise.all([
    import('../../../screens/progress/index.js'),
    import('../../monitor/watch.js'),
    import('../../status/follow.js'),
  ]);
  const { spec } = session;
  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const display = liveDisplay({
    title: `hobbykube status: ${spec.metadata.name}`,
    nodes: spec.spec.nodes.map((n) => ({ name: n.name, role: n.role })),
    onIntent: () => quit(),
  });
  const onSigint = () => quit();
  process.on('SIGINT', onSigint);
  const memory = watchMemory(
    spec.spec.nodes.map((n) => n.name),
    session,
    display.memory,
    display.sampleEveryMs !== undefined ? { intervalMs: display.sampleEveryMs } : {},
  );
  const cluster = followCluster(spec, session, display.dispatch);

  await quitting;
  process.off('SIGINT', onSigint);
  await Promise.all([memory.stop(), cluster.stop()]);
  await display.close();
  return EXIT_OK;
}
