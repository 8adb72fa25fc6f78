// `hobbykube apply`: make the cluster match the spec file (see src/cli/apply-flow.ts).
import { loadSpec } from '../../spec/file.js';
import { applySpec } from '../apply-flow.js';
import { confirm } from '../confirm.js';
import { EXIT_FAILURE } from '../errors.js';
import type { Context } from '../context.js';

export async function run(context: Context): Promise<number> {
  const spec = loadSpec(context.specPath);
  if (context.options.prune === true && !(await confirm(context, 'Delete the objects hobbykube made that the spec no longer has (data volumes are kept)?'))) {
    context.stderr.write('Not applied. Nothing was changed.\n');
    return EXIT_FAILURE;
  }
  return applySpec(context, spec, { prune: context.options.prune === true });
}
