// `hobbykube reset [--node NAME]`: wipe Kubernetes from one node or the whole cluster after a
// confirmation that names exactly what will be wiped on which node.
import { unlinkSync } from 'node:fs';
import { resetWipes } from '../../install/render/index.js';
import { loadSpec } from '../../spec/file.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../errors.js';
import { resetNodes } from '../reset-flow.js';
import { confirm } from '../confirm.js';
import type { Context } from '../context.js';

export async function run(context: Context): Promise<number> {
  const spec = loadSpec(context.specPath);
  const only = typeof context.options.node === 'string' ? context.options.node : undefined;
  if (only !== undefined && !spec.spec.nodes.some((n) => n.name === only)) {
    throw new UsageError(`--node ${JSON.stringify(only)}: no such node in ${context.specPath}; expected one of ${spec.spec.nodes.map((n) => n.name).join(', ')}`, 'reset');
  }
  const chosen = spec.spec.nodes.filter((n) => only === undefined || n.name === only);
  const { stdout, stderr, style } = context;
  const wholeCluster = chosen.some((n) => n.role === 'control-plane');
  const lines = [wholeCluster ? `This deletes cluster ${spec.metadata.name}: every workload and its data on the cluster's disks.` : `This removes ${only} from cluster ${spec.metadata.name}.`];
  for (const node of [...chosen.filter((n) => n.role === 'worker'), ...chosen.filter((n) => n.role === 'control-plane')]) {
    lines.push(`On ${style.bold(`${node.name} (${node.address}, ${node.role})`)} it wipes:`);
    for (const wipe of resetWipes(node.role)) lines.push(`  - ${wipe}`);
  }
  stdout.write(`${lines.join('\n')}\n`);
  if (!(await confirm(context, wholeCluster ? `Reset ${chosen.length === 1 ? "the only node" : `all ${chosen.length} nodes`} of ${spec.metadata.name}?` : `Reset ${only}?`))) {
    stderr.write('Not reset. Nothing was changed.\n');
    return EXIT_FAILURE;
  }

  const { ok, paths } = await resetNodes(context, spec, chosen.map((n) => n.name), 'reset');
  if (!ok) return EXIT_FAILURE;
  if (wholeCluster) {
    for (const file of [paths.kubeconfig, paths.userKubeconfig]) {
      try {
        unlinkSync(file); // it names a cluster that no longer exists
      } catch {
        // never fetched
      }
    }
  }
  stdout.write(`${style.green('Reset done.')} ${wholeCluster ? 'Run `hobbykube apply` to build the cluster again.' : `Run \`hobbykube apply\` to join ${only} again, or remove it from ${context.specPath}.`}\n`);
  return EXIT_OK;
}
