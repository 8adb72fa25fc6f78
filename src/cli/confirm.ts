// Yes/no before anything destructive: --yes answers yes; in a terminal the person is asked;
// elsewhere the command refuses (exit 2) instead of guessing.
import { CommandError, EXIT_USAGE } from './errors.js';
import type { Context } from './context.js';
import { wrapPromptMessage } from '../text/wrap.js';

export async function confirm(context: Context, question: string): Promise<boolean> {
  if (context.assumeYes) return true;
  if (!context.stdinIsTTY || !context.stdout.isTTY) {
    throw new CommandError(`${question} Not in a terminal, so nothing can be asked: rerun with --yes to go ahead. Nothing was changed.`, EXIT_USAGE);
  }
  const { confirm: ask } = await import('@inquirer/prompts');
  try {
    return await ask({ message: wrapPromptMessage(question, context.stdout.columns), default: false });
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') return false;
    throw error;
  }
}
