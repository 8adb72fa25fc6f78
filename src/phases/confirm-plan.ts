// Shows the plan and asks before running it. Someone about to be asked sees which steps will
// really run (every probe is asked first; probes only read). With --yes the runner's own probes
// decide, and the list is shown without them.
import { formatPlan, probeAll } from '../install/print.js';
import { stepContext } from '../install/step.js';
import { confirmOrStop } from './confirm.js';
import type { FlowState } from './flow.js';
import { need, type Phase } from './phase.js';

export interface ConfirmPlanOptions<S extends FlowState> {
  /** The question (default: "Apply this plan to cluster NAME?"). */
  question?: (state: S) => string | undefined;
  /** Said when the owner says no (nothing has changed). */
  declined: string;
}

export function confirmPlan<S extends FlowState>(options: ConfirmPlanOptions<S>): Phase<S> {
  return {
    title: 'show the plan and confirm',
    async run(state) {
      const session = need(state.session, 'a session', this.title);
      const steps = need(state.steps, 'a plan', this.title);
      const { operator } = state;
      const forecasts = operator.assumeYes ? undefined : await probeAll(steps, stepContext(session));
      const { lines, toRun, toSkip } = formatPlan(steps, forecasts, (name) => operator.style.bold(name));
      // The nodes that get a step (add-worker: the other workers get their firewall's).
      const nodes = new Set(steps.map((s) => s.node)).size;
      operator.out.write(
        forecasts
          ? `Plan: ${toRun} of ${steps.length} steps to run on ${nodes} nodes (${toSkip} already done).\n`
          : `Plan: ${steps.length} steps on ${nodes} nodes; each checks first and is skipped when already done.\n`,
      );
      operator.out.write(`${(forecasts ? lines : lines.map((l) => l.replace(/^ {2}run {3}/, '  - '))).join('\n')}\n`);
      await confirmOrStop(state, options.question?.(state) ?? `Apply this plan to cluster ${state.spec.metadata.name}?`, options.declined);
    },
  };
}
