// `hobbykube add-worker --name N --address A [--user U] [--port P] [--key FILE]`: add a worker
// to the spec (checked with the spec file's own rules and words, saved keeping comments), then
// apply with only the control plane and that worker in scope. The other workers get one step, and
// only that: their host firewall's allowed nodes now include the new worker (their addresses are
// read first, one read-only fact probe, because the allowed-peer set is the whole cluster's).
//
// Rerunning for a node that is already in the spec with the same settings is not an error: the
// apply then finds every step done (a worker that was reset or re-imaged rejoins; the join step
// deletes the stale Node object first).
import { loadSpec, saveSpec } from '../../spec/file.js';
import { formatProblem } from '../../spec/problems.js';
import { toSpecObject } from '../../spec/serialize.js';
import type { ClusterSpec, NodeSpec } from '../../spec/types.js';
import { validateObject } from '../../spec/validate.js';
import { applySpec } from '../apply-flow.js';
import { CommandError, EXIT_OK, EXIT_USAGE, UsageError } from '../errors.js';
import type { Context } from '../context.js';

export interface NewWorker {
  name: string;
  address: string;
  user?: string;
  /** As typed: a number when it is one, else the text (so the error quotes what was given). */
  port?: number | string;
  keyPath?: string;
}

export type AddOutcome = { kind: 'added'; spec: ClusterSpec; node: NodeSpec } | { kind: 'present'; spec: ClusterSpec; node: NodeSpec };

/**
 * The spec with the worker added, or the spec as it is when the same node is already in it.
 * Throws a SpecError-worded CommandError (exit 2) when the node breaks a rule or clashes.
 */
export function withWorker(spec: ClusterSpec, worker: NewWorker, file = 'spec'): AddOutcome {
  const existing = spec.spec.nodes.find((n) => n.name === worker.name);
  if (existing) {
    const same =
      existing.role === 'worker' &&
      existing.address === worker.address &&
      (worker.user === undefined || existing.ssh.user === worker.user) &&
      (worker.port === undefined || existing.ssh.port === worker.port) &&
      (worker.keyPath === undefined || existing.ssh.keyPath === worker.keyPath);
    if (same) return { kind: 'present', spec, node: existing };
    // Fall through: validation words the clash ("expected a name not used by another node").
  }
  const raw = toSpecObject(spec) as { spec: { nodes: unknown[] } };
  const ssh: Record<string, unknown> = {};
  if (worker.user !== undefined) ssh.user = worker.user;
  if (worker.port !== undefined) ssh.port = worker.port;
  if (worker.keyPath !== undefined) ssh.keyPath = worker.keyPath;
  raw.spec.nodes.push({ name: worker.name, address: worker.address, role: 'worker', ...(Object.keys(ssh).length > 0 ? { ssh } : {}) });
  const checked = validateObject(raw);
  if (!checked.spec) {
    const index = raw.spec.nodes.length - 1;
    const lines = checked.problems.map((p) => formatProblem({ ...p, path: p.path.replace(`spec.nodes[${index}]`, `new node ${worker.name}`) }));
    throw new CommandError(`the new node cannot be added to ${file}:\n  ${lines.join('\n  ')}\nNothing was changed.`, EXIT_USAGE);
  }
  return { kind: 'added', spec: checked.spec, node: checked.spec.spec.nodes.at(-1)! };
}

export function workerFromOptions(context: Context): NewWorker {
  const o = context.options;
  const text = (key: string) => (typeof o[key] === 'string' ? (o[key] as string) : undefined);
  const name = text('name');
  const address = text('address');
  const missing = [
    name === undefined ? ['--name NAME', 'the new worker\'s name (e.g. w2)'] : undefined,
    address === undefined ? ['--address ADDRESS', 'the IP address or host name you reach it at over SSH'] : undefined,
  ].filter((m): m is string[] => m !== undefined);
  if (missing.length > 0) {
    throw new UsageError(`missing ${missing.map((m) => m[0]).join(' and ')}: ${missing.map((m) => m[1]).join('; ')}`, 'add-worker');
  }
  const port = text('port');
  const user = text('user');
  const keyPath = text('key');
  return {
    name: name!,
    address: address!,
    ...(user !== undefined ? { user } : {}),
    ...(port !== undefined ? { port: /^\d+$/.test(port) ? Number(port) : port } : {}),
    ...(keyPath !== undefined ? { keyPath } : {}),
  };
}

/** Adds (or finds) the worker and applies for it alone. Shared by the command and the menu. */
export async function addWorker(context: Context, spec: ClusterSpec, worker: NewWorker): Promise<number> {
  const { stdout, stderr } = context;
  const outcome = withWorker(spec, worker, context.specPath);
  if (outcome.kind === 'added') {
    const { backup } = saveSpec(context.specPath, outcome.spec);
    stdout.write(`Added worker ${worker.name} (${worker.address}) to ${context.specPath}${backup ? ` (the old file is kept as ${backup})` : ''}.\n`);
  } else {
    stdout.write(`${worker.name} is already in ${context.specPath}: checking that it has joined (steps already done are skipped).\n`);
  }
  const others = outcome.spec.spec.nodes.filter((n) => n.role === 'worker' && n.name !== worker.name).map((n) => n.name);
  if (others.length > 0) {
    stdout.write(
      `The control plane and ${worker.name} are set up; ${others.join(', ')} ${others.length === 1 ? 'gets' : 'get'} one step only: ${others.length === 1 ? 'its' : 'their'} host firewall lets ${worker.name} in (after a read-only check of ${others.length === 1 ? 'its' : 'their'} addresses).\n`,
    );
  }
  let code: number;
  try {
    code = await applySpec(context, outcome.spec, { workers: [worker.name], question: `Join ${worker.name} to cluster ${outcome.spec.metadata.name}?` });
  } catch (error) {
    if (outcome.kind === 'added') stderr.write(`${worker.name} stays in ${context.specPath}: rerun \`hobbykube add-worker\` with the same options, or \`hobbykube apply\`, to finish joining it (or \`hobbykube remove-worker --name ${worker.name}\` to take it out).\n`);
    throw error;
  }
  if (code !== EXIT_OK && outcome.kind === 'added') {
    stderr.write(`${worker.name} stays in ${context.specPath}: rerun \`hobbykube add-worker\` with the same options, or \`hobbykube apply\`, to finish joining it (or \`hobbykube remove-worker --name ${worker.name}\` to take it out).\n`);
  }
  return code;
}

export async function run(context: Context): Promise<number> {
  const worker = workerFromOptions(context);
  return addWorker(context, loadSpec(context.specPath), worker);
}
