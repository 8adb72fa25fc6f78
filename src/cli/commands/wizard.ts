// `hobbykube` with no command: the wizard. It needs a real terminal for raw-mode key input, so
// it refuses clearly elsewhere instead of crashing inside Ink.
import { CommandError, EXIT_OK, EXIT_USAGE } from '../errors.js';
import type { Context } from '../context.js';
import type { WizardResult } from '../../wizard/controller.js';
import { colorEnabled } from '../style.js';

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
  let result: WizardResult;
  if (context.options.plain === true) {
    const prompts = await import('@inquirer/prompts');
    const { runPlain } = await import('../../wizard/plain.js');
    const { cliAsker } = await import('../asker.js');
    result = await runPlain({
      specPath: context.specPath,
      prompts,
      env: context.env,
      write: (text) => context.stdout.write(text),
      asker: (knownHostsPath) => cliAsker({ assumeYes: false, interactive: true, stderr: context.stderr, env: context.env, knownHostsPath }),
    });
  } else {
    const { runWizard } = await import('../../../screens/wizard/run.js');
    result = await runWizard({ specPath: context.specPath, env: context.env, color: colorEnabled(context.stdout, context.env) });
  }
  switch (result.action) {
    case 'apply': {
      // The review's "install" is the confirmation; host keys were pinned while adding nodes.
      context.stdout.write(`Saved ${result.specPath}. Installing (the same as \`hobbykube apply -f ${result.specPath}\`):\n\n`);
      process.stdin.resume(); // the wizard paused stdin on exit; sudo password prompts may need it
      const { run: apply } = await import('./apply.js');
      return apply({ ...context, specPath: result.specPath, assumeYes: true });
    }
    case 'saved':
      context.stdout.write(`Saved ${result.specPath}. Check it with \`hobbykube plan -f ${result.specPath}\`; install with \`hobbykube apply -f ${result.specPath}\`.\n`);
      return EXIT_OK;
    default:
      context.stdout.write(`Nothing saved${result.draftPath ? `; your answers are kept in ${result.draftPath} and offered back next time` : ''}.\n`);
      return EXIT_OK;
  }
}
