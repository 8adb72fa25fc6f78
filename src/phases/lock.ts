// One command that changes nodes at a time per cluster: the lock file (src/install/lock.ts); a
// held lock is a clear error, a stale one is cleared with a note.
import { acquireLock, LockHeld } from '../install/lock.js';
import { CommandError } from '../exit.js';
import type { FlowState } from './flow.js';
import { need, type Phase } from './phase.js';

export const lockCluster: Phase<FlowState> = {
  title: 'lock the cluster',
  run(state) {
    const session = need(state.session, 'a session', this.title);
    try {
      state.lock = acquireLock(session.paths.lock, state.command);
    } catch (error) {
      if (error instanceof LockHeld) throw new CommandError(error.message);
      throw error;
    }
    const stale = state.lock.clearedStale;
    if (stale) state.operator.err.write(`note: cleared a stale lock left by pid ${stale.pid} (${stale.command}), which is no longer running.\n`);
  },
  cleanup(state) {
    state.lock?.release();
  },
};
