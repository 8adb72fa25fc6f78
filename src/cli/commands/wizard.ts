// `hobbykube` with no command: the wizard. It needs a real terminal for raw-mode key input, so
// it refuses clearly elsewhere instead of crashing inside Ink.
import { CommandError, EXIT_FAILURE, EXIT_USAGE } from '../errors.js';
import type { Context } from '../context.js';

export async function run(context: Context): Promise<number> {
  if (!context.stdinIsTTY || !context.stdout.isTTY) {
    const which = [!context.stdinIsTTY ? 'standard input' : '', !context.stdout.isTTY ? 'standard output' : ''].filter(Boolean).join(' and ');
    throw new CommandError(
      `the wizard needs an interactive terminal, but ${which} ${which.includes(' and ') ? 'are not terminals' : 'is not a terminal'}.\n` +
        `  To build the cluster from a spec file without questions: hobbykube apply -f ${context.specPath} --yes\n` +
        '  To check a spec file and see the plan:                  hobbykube plan -f FILE\n' +
        '  For line-by-line questions in a terminal:              hobbykube --plain',
      EXIT_USAGE,
    );
  }
  context.stderr.write('hobbykube: the interactive wizard is still being built (issue #6). Write hobbykube.yaml by hand (README: "The spec file") and use `hobbykube plan`.\n');
  return EXIT_FAILURE;
}
