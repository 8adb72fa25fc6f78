// `hobbykube add-worker --name N --address A [--user U] [--port P] [--key FILE]`: add a worker
// to the spec (checked with the spec file's own rules and words, saved keeping comments), then
// apply with only the control plane and that worker in scope. The other workers get one step, and
// only that: their host firewall's allowed nodes now include the new worker (their addresses are
// read first, one read-only fact probe, because the allowed-peer set is the whole cluster's).
//
// Rerunning for a node that is already in the spec with the same settings is not an error: the
// apply then finds every step done (a worker that was reset or re-imaged rejoins; the join step
// deletes the stale Node object first).
import { loadSpec } from '../../spec/file.js';
import { formatProblem } from '../../spec/problems.js';
import { numberOrText } from '../../spec/rules.js';
import { toSpecObject } from '../../spec/serialize.js';
import type { ClusterSpec, NodeSpec } from '../../spec/types.js';
import { validateObject } from '../../spec/validate.js';
import { runAddWorker } from '../../phases/add-worker.js';
import { CommandError, EXIT_USAGE, UsageError } from '../errors.js';
import { flowBase, liveOrLines } from '../wiring.js';
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
    ...(port !== undefined ? { port: numberOrText(port) } : {}),
    ...(keyPath !== undefined ? { keyPath } : {}),
  };
}

/** Adds (or finds) the worker and applies for it alone (src/phases/add-worker.ts). Shared by the command and the menu. */
export function addWorker(context: Context, spec: ClusterSpec, worker: NewWorker): Promise<number> {
  const outcome = withWorker(spec, worker, context.specPath);
  // The lock, the log file and the view say "apply": it is an apply, for one worker.
  return runAddWorker({ ...flowBase(context, outcome.spec, 'apply', liveOrLines(context)), specPath: context.specPath, worker: outcome.node, added: outcome.kind === 'added' });
}

export async function run(context: Context): Promise<number> {
  const worker = workerFromOptions(context);
  return addWorker(context, loadSpec(context.specPath), worker);
}
