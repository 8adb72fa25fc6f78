// Running a reset plan (src/install/reset.ts) for `reset` and `remove-worker`: one connection per
// node, the cluster lock, the journal, plain progress lines, and every failure with its last lines.
import { Journal } from '../install/journal.js';
import { buildResetPlan } from '../install/reset.js';
import { factsByNode, surveyNodes } from '../install/survey.js';
import { CommandError } from './errors.js';
import { runPlan } from '../install/runner.js';
import type { ClusterSpec } from '../spec/types.js';
import type { ClusterPaths } from '../state/paths.js';
import { plainLines } from '../views/plain.js';
import { lockCluster } from './lock.js';
import { openSession } from './session.js';
import type { Context } from './context.js';

/**
 * Resets the named nodes (workers drained first when the control plane stays); true when all went
 * well. With `remaining` (remove-worker: the spec without them), the remaining nodes are read first
 * (nothing changes when one cannot be reached) and their firewalls stop letting the removed nodes in.
 */
export async function resetNodes(context: Context, spec: ClusterSpec, names: readonly string[], command: string, remaining?: ClusterSpec): Promise<{ ok: boolean; paths: ClusterPaths }> {
  const { stdout, stderr, style } = context;
  const session = openSession(context, spec);
  const lock = await lockCluster(context, session, command);
  try {
    let options = {};
    if (remaining) {
      const surveys = await surveyNodes(remaining.spec.nodes, session.pool, remaining.spec.network);
      const unreachable = surveys.filter((s) => s.error);
      if (unreachable.length > 0) {
        for (const s of unreachable) stderr.write(`${style.red('unreachable:')} ${s.node.name}: ${s.error}\n`);
        throw new CommandError(`${unreachable.map((s) => s.node.name).join(', ')} cannot be reached, so ${unreachable.length === 1 ? 'its' : 'their'} firewall could not stop letting ${names.join(', ')} in. Nothing was changed.`);
      }
      options = { remaining: { spec: remaining, facts: factsByNode(surveys) } };
    }
    const summary = await runPlan(buildResetPlan(spec, names, options), { host: (n) => session.pool.host(n), paths: session.paths, redactor: session.redactor, shared: new Map() }, {
      journal: new Journal(session.paths.journal),
      listener: (event) => {
        for (const line of plainLines(event, !stdout.isTTY)) stdout.write(`${line}\n`);
      },
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
