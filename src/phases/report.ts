// After the run: what happened, in a few lines. Success: the kubeconfig, each app's address and
// the log. Failure: each failed step with its last lines, and how to resume.
import type { RunSummary } from '../install/runner.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED } from '../exit.js';
import { formatDuration } from '../text/duration.js';
import type { FlowState, Operator } from './flow.js';
import { need, type Phase } from './phase.js';

/** Each failed step and its last output lines, on standard error; `withStep` names the step after the node. */
export function writeFailures(operator: Operator, summary: RunSummary, withStep: boolean): void {
  for (const failure of summary.failed) {
    const step = withStep ? `${failure.id.split('/').slice(1).join('/')}: ` : '';
    operator.err.write(`${operator.style.red('failed:')} ${failure.node}: ${step}${failure.message}\n`);
    for (const line of failure.lastLines) operator.err.write(`  | ${line}\n`);
  }
}

/**
 * A run that stopped: each failure, "Interrupted." when Ctrl-C stopped it, the log, then `next`
 * (what is where now and how to go on); the exit code.
 */
export function reportStopped(state: FlowState, summary: RunSummary, next: string): void {
  const { err } = state.operator;
  writeFailures(state.operator, summary, true);
  const interrupted = state.signal?.aborted === true && summary.failed.length === 0;
  if (interrupted) err.write('Interrupted.\n');
  if (state.log) err.write(`Full log: ${state.log.path}\n`);
  err.write(`${next}\n`);
  state.exitCode = interrupted ? EXIT_INTERRUPTED : EXIT_FAILURE;
}

export const reportApply: Phase<FlowState> = {
  title: 'report',
  run(state) {
    const summary = need(state.summary, 'a run summary', this.title);
    const { operator, spec } = state;
    const { out, err, style } = operator;
    const paths = need(state.session, 'a session', this.title).paths;
    const logPath = state.log?.path;
    out.write('\n');
    if (summary.ok) {
      out.write(`${style.green('Cluster is up.')} ${summary.done.length} steps run, ${summary.skipped.length} already done, in ${formatDuration(summary.durationMs)}.\n`);
      out.write(`Kubeconfig: ${paths.kubeconfig}   (try: KUBECONFIG=${paths.kubeconfig} kubectl get nodes)\n`);
      const ingress = spec.spec.nodes.find((n) => n.name === spec.spec.ingress?.node);
      for (const app of spec.spec.workloads) {
        if (app.kind === 'app' && app.domain) out.write(`App ${app.name}: https://${app.domain}/ (its DNS A record must point at ${ingress ? `${ingress.address}, node ${ingress.name}` : 'the ingress node'})\n`);
      }
      if (logPath) out.write(`Log: ${logPath}\n`);
      return;
    }
    reportStopped(state, summary, `Rerun \`hobbykube ${state.command}\` to resume: finished steps are skipped.`);
  },
};
