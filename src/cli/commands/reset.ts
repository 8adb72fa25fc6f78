// `hobbykube reset [--node NAME]`: wipe Kubernetes from one node or the whole cluster after a
// confirmation that names exactly what will be wiped on which node (the phases: src/phases/reset.ts).
import { runReset } from '../../phases/reset.js';
import { loadSpec } from '../../spec/file.js';
import { UsageError } from '../errors.js';
import type { Context } from '../context.js';
import { flowBase, linesOnly } from '../wiring.js';

export async function run(context: Context): Promise<number> {
  const spec = loadSpec(context.specPath);
  const only = typeof context.options.node === 'string' ? context.options.node : undefined;
  if (only !== undefined && !spec.spec.nodes.some((n) => n.name === only)) {
    throw new UsageError(`--node ${JSON.stringify(only)}: no such node in ${context.specPath}; expected one of ${spec.spec.nodes.map((n) => n.name).join(', ')}`, 'reset');
  }
  const nodes = spec.spec.nodes.filter((n) => only === undefined || n.name === only);
  return runReset({ ...flowBase(context, spec, 'reset', linesOnly(context)), specPath: context.specPath, nodes });
}
