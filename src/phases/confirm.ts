// Asking before something changes: a no ends the flow, saying nothing was changed.
import { EXIT_FAILURE } from '../exit.js';
import type { FlowState } from './flow.js';

/** Asks the operator; on a no, says `declined` and ends the flow (exit 1). Returns the answer. */
export async function confirmOrStop(state: FlowState, question: string, declined: string): Promise<boolean> {
  if (await state.operator.confirm(question)) return true;
  state.operator.err.write(`${declined}\n`);
  state.exitCode = EXIT_FAILURE;
  return false;
}
