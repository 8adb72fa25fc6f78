// Ctrl-C during a run: the first stops it cleanly (no new step starts, running steps finish, the
// rerun resumes), the second quits at once.
import { EXIT_INTERRUPTED } from '../exit.js';
import type { FlowState } from './flow.js';
import type { Phase } from './phase.js';

const handlers = new WeakMap<FlowState, () => void>();

/** The phase, with what the first Ctrl-C says (a flow that does not resume says something else). */
export function catchInterruptsSaying<S extends FlowState>(message: (state: S) => string): Phase<S> {
  return {
    title: 'catch Ctrl-C',
    run(state) {
      const controller = new AbortController();
      let interrupts = 0;
      const onSigint = () => {
        interrupts += 1;
        if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
        state.operator.err.write(`\n${message(state)}\n`);
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      handlers.set(state, onSigint);
      state.signal = controller.signal;
    },
    cleanup(state) {
      const onSigint = handlers.get(state);
      if (onSigint) process.off('SIGINT', onSigint);
    },
  };
}

export const catchInterrupts: Phase<FlowState> = catchInterruptsSaying(
  (state) => `Stopping: no new step starts; running steps finish. Press Ctrl-C again to quit at once. Rerun \`hobbykube ${state.command}\` to resume.`,
);
