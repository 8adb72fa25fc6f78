// `hobbykube apply`: make the cluster match the spec file (the phases: src/phases/apply.ts).
import { runApply, type ApplyOptions } from '../../phases/apply.js';
import { loadSpec } from '../../spec/file.js';
import type { ClusterSpec } from '../../spec/types.js';
import { confirm } from '../confirm.js';
import { EXIT_FAILURE } from '../errors.js';
import type { Context } from '../context.js';
import { flowBase, liveOrLines } from '../wiring.js';

/** Applies a spec from this command line: `apply`, and the wizard's menu after a workload change. */
export function applySpec(context: Context, spec: ClusterSpec, options: ApplyOptions = {}): Promise<number> {
  return runApply({ ...flowBase(context, spec, 'apply', liveOrLines(context)), options });
}

export async function run(context: Context): Promise<number> {
  const spec = loadSpec(context.specPath);
  if (context.options.prune === true && !(await confirm(context, 'Delete the objects hobbykube made that the spec no longer has (data volumes are kept)?'))) {
    context.stderr.write('Not applied. Nothing was changed.\n');
    return EXIT_FAILURE;
  }
  return applySpec(context, spec, { prune: context.options.prune === true });
}
