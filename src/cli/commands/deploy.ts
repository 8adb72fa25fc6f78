// `hobbykube deploy NAME [--image REF]` and `hobbykube rollback NAME`: one workload to a new image,
// the same one restarted, or back to the image it ran before (the phases: src/phases/deploy.ts).
// Here: the arguments, the spec and the history, and the target (src/deploy/target.ts), all
// checked before anything connects.
import { deployTarget, type DeployRequest } from '../../deploy/target.js';
import { runDeploy } from '../../phases/deploy.js';
import { loadSpec } from '../../spec/file.js';
import { loadHistory } from '../../state/history.js';
import { clusterPaths } from '../../state/paths.js';
import { UsageError } from '../errors.js';
import type { Context } from '../context.js';
import { flowBase, liveOrLines } from '../wiring.js';

export function deploy(context: Context, request: DeployRequest): Promise<number> {
  const spec = loadSpec(context.specPath);
  const target = deployTarget(spec, request, loadHistory(clusterPaths(spec.metadata.name, context.env)));
  const command = request.kind === 'rollback' ? 'rollback' : 'deploy';
  return runDeploy({ ...flowBase(context, target.after, command, liveOrLines(context)), specPath: context.specPath, target, rollback: request.kind === 'rollback' });
}

export function workloadArgument(context: Context, usage: string): string {
  const name = context.positionals[0];
  if (name === undefined) throw new UsageError(`missing NAME: the workload; usage: ${usage}`, context.command);
  return name;
}

export async function run(context: Context): Promise<number> {
  const workload = workloadArgument(context, 'hobbykube deploy NAME [--image REF]');
  const image = typeof context.options.image === 'string' ? context.options.image : undefined;
  return deploy(context, { kind: 'deploy', workload, ...(image !== undefined ? { image } : {}) });
}
