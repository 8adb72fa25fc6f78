// Opens the session (connections are made on first use) and closes every connection at the end.
import type { FlowState } from './flow.js';
import type { Phase } from './phase.js';

export const openSession: Phase<FlowState> = {
  title: 'open the session',
  run(state) {
    state.session = state.openSession(state.spec);
  },
  async cleanup(state) {
    await state.session?.close();
  },
};
