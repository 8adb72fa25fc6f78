// Commands whose engine is not built yet say so plainly and fail, instead of pretending.
import { loadSpec } from '../../spec/file.js';
import { EXIT_FAILURE } from '../errors.js';
import type { Context } from '../context.js';

export async function notBuilt(context: Context, what: string): Promise<number> {
  // The spec is still checked, so a broken file is reported (exit 2) even before the engine exists.
  loadSpec(context.specPath);
  context.stderr.write(`hobbykube ${context.command}: not available yet: ${what} is still being built. Nothing was changed.\n`);
  return EXIT_FAILURE;
}
