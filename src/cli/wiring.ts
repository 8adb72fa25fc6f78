// The command layer's choices for a flow (src/phases/): the operator is this terminal (or --yes
// and the environment), the nodes are reached over SSH (session.ts), and a run's progress goes to
// the live view when stdout is a terminal, else to plain lines. Nothing below src/cli/ decides any
// of this.
import type { FlowState, Operator } from '../phases/flow.js';
import { plainDisplay, type DisplayRequest, type ProgressDisplay } from '../progress/display.js';
import type { ClusterSpec } from '../spec/types.js';
import { confirm } from './confirm.js';
import type { Context, Output } from './context.js';
import { wrapPromptMessage } from '../text/wrap.js';
import { proseOutput } from './prose.js';
import { openSession } from './session.js';

export function operatorFor(context: Context): Operator {
  const interactive = context.stdinIsTTY && context.stdout.isTTY;
  return {
    out: proseOutput(context.stdout),
    err: proseOutput(context.stderr),
    data: context.stdout,
    style: context.style,
    assumeYes: context.assumeYes,
    env: context.env,
    confirm: (question) => confirm(context, question),
    ...(interactive
      ? {
          askSecret: async (question: string) => {
            const { password } = await import('@inquirer/prompts');
            return password({ message: wrapPromptMessage(question, context.stdout.columns), mask: '*' });
          },
        }
      : {}),
  };
}

/** How a run is shown: the live view in a terminal, else plain lines with every output line and memory every 30 s. */
export function liveOrLines(context: Context): (request: DisplayRequest) => Promise<ProgressDisplay> {
  return async (request) => {
    if (!context.stdout.isTTY) {
      return plainDisplay((line) => context.stdout.write(`${line}\n`), { showOutput: true, memoryLines: true, ...(request.log ? { log: request.log } : {}) });
    }
    const { liveDisplay } = await import('../../screens/progress/index.js');
    return liveDisplay(request);
  };
}

/** Plain lines only (reset, remove-worker): output lines too when stdout is not a terminal; no memory. */
export function linesOnly(context: Context): (request: DisplayRequest) => Promise<ProgressDisplay> {
  return async () => plainDisplay((line) => context.stdout.write(`${line}\n`), { showOutput: !context.stdout.isTTY, memoryLines: false });
}

/** Everything a flow's state needs from the command line. */
export function flowBase(
  context: Context,
  spec: ClusterSpec,
  command: string,
  display: (request: DisplayRequest) => Promise<ProgressDisplay>,
): Pick<FlowState, 'command' | 'spec' | 'operator' | 'openSession' | 'display'> {
  return { command, spec, operator: operatorFor(context), openSession: (s) => openSession(context, s), display };
}
