// Runs the plan: the runner's events go to the journal, the log file (when the flow keeps one) and
// the display the command layer chose; each node's memory is watched for that display
// (src/monitor/watch.ts) while the steps run. Ctrl-C (catchInterrupts) stops it cleanly.
import { fanOut } from '../events.js';
import { Journal } from '../install/journal.js';
import { runPlan } from '../install/runner.js';
import { stepContext } from '../install/step.js';
import { watchMemory } from '../monitor/watch.js';
import type { FlowState } from './flow.js';
import { need, type Phase } from './phase.js';

export const runSteps: Phase<FlowState> = {
  title: 'run the plan',
  async run(state) {
    const session = need(state.session, 'a session', this.title);
    const steps = need(state.steps, 'a plan', this.title);
    // The flow's nodes, and any other node with a step (add-worker, remove-worker: a firewall update).
    const shown = state.spec.spec.nodes.filter((n) => state.nodes.includes(n) || steps.some((s) => s.node === n.name));
    const display = await state.display({
      title: `hobbykube ${state.command}: ${state.spec.metadata.name}`,
      nodes: shown.map((n) => ({ name: n.name, role: n.role })),
      ...(state.log ? { logPath: state.log.path, log: state.log.line } : {}),
    });
    const memory = display.sampleEveryMs !== undefined ? watchMemory(state.nodes.map((n) => n.name), session, display.memory, { intervalMs: display.sampleEveryMs }) : undefined;
    try {
      state.summary = await runPlan(steps, stepContext(session), {
        ...(state.signal ? { signal: state.signal } : {}),
        listener: fanOut(new Journal(session.paths.journal).listener, state.log?.listener, display.listener),
      });
    } finally {
      await memory?.stop();
      await display.close();
    }
  },
};
