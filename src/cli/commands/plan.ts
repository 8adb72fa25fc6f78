// `hobbykube plan`: validate the spec (exit 2 with every problem), then show what apply would do.
import { loadSpec } from '../../spec/file.js';
import { EXIT_FAILURE } from '../errors.js';
import type { Context } from '../context.js';

export async function run(context: Context): Promise<number> {
  const spec = loadSpec(context.specPath);
  const { stdout, style } = context;
  stdout.write(`${style.bold(context.specPath)}: cluster ${spec.metadata.name}, Kubernetes ${spec.spec.kubernetesVersion}, ${spec.spec.nodes.length} nodes, ${spec.spec.workloads.length} workloads: valid.\n`);
  context.stderr.write('hobbykube plan: the install steps are not available yet (issue #4); the spec itself is valid.\n');
  return EXIT_FAILURE;
}
