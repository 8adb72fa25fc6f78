// `hobbykube remove-worker --name N`: drain the worker and delete its Node object (on the
// control plane), `kubeadm reset` on it, then drop it from the spec (the phases:
// src/phases/remove-worker.ts). Here: the option, and the spec without the worker, refused
// while other fields still point at it.
import { runRemoveWorker } from '../../phases/remove-worker.js';
import { loadSpec } from '../../spec/file.js';
import type { ClusterSpec } from '../../spec/types.js';
import { CommandError, UsageError } from '../errors.js';
import type { Context } from '../context.js';
import { flowBase, linesOnly } from '../wiring.js';

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
  const nodes = spec.spec.nodes.filter((n) => n.name === name);
  return runRemoveWorker({ ...flowBase(context, spec, 'remove-worker', linesOnly(context)), specPath: context.specPath, nodes, next });
}
