// Running a reset plan (src/install/reset.ts) for `reset` and `remove-worker`: one connection per
// node, the cluster lock, the journal, plain progress lines, and every failure with its last lines.
import { fanOut } from '../events.js';
import { Journal } from '../install/journal.js';
import { buildResetPlan } from '../install/reset.js';
import { runPlan } from '../install/runner.js';
import { stepContext } from '../install/step.js';
import type { ClusterSpec } from '../spec/types.js';
import type { ClusterPaths } from '../state/paths.js';
import { plainLines } from '../progress/plain-lines.js';
import { lockCluster } from './lock.js';
import { openSession } from './session.js';
import type { Context } from './context.js';

/** Resets the named nodes (workers drained first when the control plane stays); true when all went well. */
export async function resetNodes(context: Context, spec: ClusterSpec, names: readonly string[], command: string): Promise<{ ok: boolean; paths: ClusterPaths }> {
  const { stdout, stderr, style } = context;
  const session = openSession(context, spec);
  const lock = await lockCluster(context, session, command);
  try {
    const summary = await runPlan(buildResetPlan(spec, names), stepContext(session), {
      listener: fanOut(new Journal(session.paths.journal).listener, (event) => {
        for (const line of plainLines(event, !stdout.isTTY)) stdout.write(`${line}\n`);
      }),
    });
    for (const failure of summary.failed) {
      stderr.write(`${style.red('failed:')} ${failure.node}: ${failure.message}\n`);
      for (const line of failure.lastLines) stderr.write(`  | ${line}\n`);
    }
    return { ok: summary.ok, paths: session.paths };
  } finally {
    lock.release();
    await session.close();
  }
}
