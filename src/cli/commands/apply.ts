// `hobbykube apply`: survey the nodes, show the plan, confirm, run it. One apply per cluster at
// a time (lock); every event goes to a log file in the state directory and, as plain lines, to
// the terminal. Ctrl-C stops starting new steps; a rerun resumes because probes skip what is done.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { acquireLock, LockHeld } from '../../install/lock.js';
import { Journal } from '../../install/journal.js';
import { buildInstallPlan, controlPlaneOf } from '../../install/plan.js';
import { formatPlan } from '../../install/print.js';
import { runPlan } from '../../install/runner.js';
import { factsByNode, surveyNodes, surveyOk } from '../../install/survey.js';
import { plainLines, seconds } from '../../views/plain.js';
import { CommandError, EXIT_FAILURE, EXIT_OK } from '../errors.js';
import { confirm } from '../confirm.js';
import { formatSurveys, openSession } from '../session.js';
import type { Context } from '../context.js';

export async function run(context: Context): Promise<number> {
  const session = openSession(context);
  const { spec, paths, pool, redactor } = session;
  const { stdout, stderr, style } = context;
  let lock;
  try {
    lock = acquireLock(paths.lock, 'apply');
  } catch (error) {
    await session.close();
    if (error instanceof LockHeld) throw new CommandError(error.message);
    throw error;
  }
  if (lock.clearedStale) stderr.write(`note: cleared a stale lock left by pid ${lock.clearedStale.pid} (${lock.clearedStale.command}), which is no longer running.\n`);

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logPath = join(paths.logs, `apply-${stamp}.log`);
  const log = createWriteStream(logPath, { mode: 0o600 });
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    stderr.write('\nStopping: no new step starts; running steps finish. Press Ctrl-C again to quit at once. Rerun `hobbykube apply` to resume.\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    stdout.write(`Cluster ${spec.metadata.name}: surveying ${spec.spec.nodes.length} nodes...\n`);
    const surveys = await surveyNodes(spec.spec.nodes, pool);
    const surveyText = formatSurveys(surveys, context);
    stdout.write(`${surveyText.join('\n')}\n\n`);
    log.write(`${formatSurveys(surveys, { ...context, style: { bold: (t) => t, dim: (t) => t, red: (t) => t, yellow: (t) => t, green: (t) => t } }).join('\n')}\n`);
    if (!surveyOk(surveys)) {
      const failed = surveys.filter((s) => s.error || !s.verdict?.ok).map((s) => s.node.name);
      throw new CommandError(`${failed.join(', ')} ${failed.length === 1 ? 'is' : 'are'} not ready (see above). Nothing was changed.`);
    }

    const steps = buildInstallPlan({ spec, facts: factsByNode(surveys) });
    const { lines } = formatPlan(steps, undefined, (name) => style.bold(name));
    stdout.write(`Plan: ${steps.length} steps on ${spec.spec.nodes.length} nodes; each step checks first and is skipped when already done.\n`);
    stdout.write(`${lines.join('\n')}\n`);
    if (!(await confirm(context, `Apply this plan to cluster ${spec.metadata.name}?`))) {
      stderr.write('Not applied. Nothing was changed.\n');
      return EXIT_FAILURE;
    }

    const journal = new Journal(paths.journal);
    const showOutput = !stdout.isTTY;
    const summary = await runPlan(steps, { host: (n) => pool.host(n), paths, redactor, shared: new Map() }, {
      journal,
      signal: controller.signal,
      listener: (event) => {
        for (const line of plainLines(event, true)) log.write(`${line}\n`);
        for (const line of plainLines(event, showOutput)) stdout.write(`${line}\n`);
      },
    });
    stdout.write('\n');
    if (summary.ok) {
      stdout.write(`${style.green('Cluster is up.')} ${summary.done.length} steps run, ${summary.skipped.length} already done, in ${seconds(summary.durationMs)}.\n`);
      stdout.write(`Kubeconfig: ${paths.kubeconfig}   (try: KUBECONFIG=${paths.kubeconfig} kubectl get nodes; the control plane is ${controlPlaneOf(spec).address})\n`);
      stdout.write(`Log: ${logPath}\n`);
      return EXIT_OK;
    }
    for (const failure of summary.failed) {
      stderr.write(`${style.red('failed:')} ${failure.node}: ${failure.id.split('/').slice(1).join('/')}: ${failure.message}\n`);
      for (const line of failure.lastLines) stderr.write(`  | ${line}\n`);
    }
    if (controller.signal.aborted && summary.failed.length === 0) stderr.write('Interrupted.');
    stderr.write(`Full log: ${logPath}\nRerun \`hobbykube apply\` to resume: finished steps are skipped.\n`);
    return EXIT_FAILURE;
  } finally {
    process.off('SIGINT', onSigint);
    lock.release();
    await new Promise<void>((resolve) => log.end(resolve));
    await session.close();
  }
}
