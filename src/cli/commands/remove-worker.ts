// `hobbykube remove-worker --name N`: drain the worker and delete its Node object (on the
// control plane), `kubeadm reset` on it, then drop it from the spec. The reset plan is the one
// `hobbykube reset --node N` runs (src/install/reset.ts); only the spec edit is added here.
// The spec is changed last, so a failed removal can simply be run again.
import { resetWipes } from '../../install/render/index.js';
import { loadSpec, saveSpec } from '../../spec/file.js';
import type { ClusterSpec } from '../../spec/types.js';
import { confirm } from '../confirm.js';
import { CommandError, EXIT_FAILURE, EXIT_OK, UsageError } from '../errors.js';
import { resetNodes } from '../reset-flow.js';
import type { Context } from '../context.js';

/** The spec without the worker; refuses the control plane and nodes other fields still name. */
export function withoutWorker(spec: ClusterSpec, name: string, file = 'spec'): ClusterSpec {
  const node = spec.spec.nodes.find((n) => n.name === name);
  if (!node) throw new UsageError(`--name ${JSON.stringify(name)}: no such node in ${file}; expected one of ${spec.spec.nodes.filter((n) => n.role === 'worker').map((n) => n.name).join(', ') || '(no workers)'}`, 'remove-worker');
  if (node.role === 'control-plane') throw new UsageError(`${name} is the control plane; removing it ends the cluster: use \`hobbykube reset\` for that`, 'remove-worker');
  const users: string[] = [];
  if (spec.spec.ingress?.node === name) users.push('spec.ingress.node (web traffic arrives there)');
  for (const w of spec.spec.workloads) if (w.kind === 'database' && w.node === name) users.push(`database ${w.name} (its data lives on ${name}'s disk)`);
  if (users.length > 0) {
    throw new CommandError(`${name} cannot be removed while the spec still points at it: ${users.join('; ')}. Move these to another node in ${file} first. Nothing was changed.`);
  }
  return { ...spec, spec: { ...spec.spec, nodes: spec.spec.nodes.filter((n) => n.name !== name) } };
}

export async function run(context: Context): Promise<number> {
  const name = typeof context.options.name === 'string' ? context.options.name : undefined;
  if (name === undefined) throw new UsageError('missing --name NAME: the worker to remove', 'remove-worker');
  const spec = loadSpec(context.specPath);
  const next = withoutWorker(spec, name, context.specPath);
  const node = spec.spec.nodes.find((n) => n.name === name)!;
  const { stdout, stderr, style } = context;
  const lines = [
    `This removes ${name} from cluster ${spec.metadata.name}: its pods are evicted (drain) and its Node object deleted on the control plane,`,
    `then on ${style.bold(`${node.name} (${node.address}, worker)`)} it wipes:`,
    ...resetWipes('worker').map((w) => `  - ${w}`),
    `then every remaining node's host firewall stops letting ${name} in (${next.spec.nodes.map((n) => n.name).join(', ')}),`,
    `and ${name} is dropped from ${context.specPath}.`,
  ];
  stdout.write(`${lines.join('\n')}\n`);
  if (!(await confirm(context, `Remove ${name}?`))) {
    stderr.write('Not removed. Nothing was changed.\n');
    return EXIT_FAILURE;
  }

  const { ok } = await resetNodes(context, spec, [name], 'remove-worker', next);
  if (!ok) {
    stderr.write(`${name} is still in ${context.specPath}; fix the cause and run \`hobbykube remove-worker --name ${name}\` again (finished steps are skipped).\n`);
    return EXIT_FAILURE;
  }
  saveSpec(context.specPath, next);
  stdout.write(`${style.green('Removed.')} ${name} is out of the cluster and of ${context.specPath}; the machine itself is left running, clean of Kubernetes.\n`);
  return EXIT_OK;
}
