// `hobbykube logs NAME [--follow] [--since D] [--tail N]` and `hobbykube exec NAME -- CMD...`:
// kubectl on the control plane over the one SSH connection of this command (src/apps/ picks the
// pods and writes the scripts). Only the control plane is contacted.
import { StringDecoder } from 'node:string_decoder';
import { containerOf, findWorkload, logPods, podInfos, podsScript, unknownWorkload, type Choice } from '../../apps/pods.js';
import { logsScript, sinceProblem } from '../../apps/commands.js';
import { controlPlaneOf } from '../../install/plan.js';
import { QUICK_TIMEOUT_MS } from '../../install/step.js';
import { loadSpec } from '../../spec/file.js';
import type { ClusterSpec, Workload } from '../../spec/types.js';
import type { Host } from '../../ssh/types.js';
import { parseLists } from '../../workloads/kubectl.js';
import { CommandError, EXIT_INTERRUPTED, UsageError } from '../errors.js';
import type { Context, Output } from '../context.js';
import { openSession } from '../session.js';

export interface Target {
  spec: ClusterSpec;
  workload: Workload;
}

/** The spec and the workload NAME names (a usage error when there is none). */
export function target(context: Context, usage: string): Target {
  const name = context.positionals[0];
  if (name === undefined) throw new UsageError(`missing NAME: the workload; usage: ${usage}`, context.command);
  const spec = loadSpec(context.specPath);
  const workload = findWorkload(spec, name);
  if (!workload) throw new UsageError(unknownWorkload(spec, name), context.command);
  return { spec, workload };
}

/** The pods chosen for `pick`, from one `kubectl get pods` on the control plane. */
export async function choosePods(host: Host, t: Target, pick: (w: Workload, pods: ReturnType<typeof podInfos>) => Choice): Promise<string[]> {
  const result = await host.run(podsScript(t.spec, t.workload.name), { sudo: true, timeoutMs: QUICK_TIMEOUT_MS });
  if (result.code !== 0) throw new CommandError(`could not list ${t.workload.name}'s pods on ${host.node} (kubectl exit code ${result.code}: ${result.stderr.trim().split('\n').at(-1) ?? ''})`);
  const choice = pick(t.workload, podInfos(parseLists(result.stdout)));
  if ('problem' in choice) throw new CommandError(choice.problem);
  return choice.pods;
}

/** Writes a byte stream to an Output without splitting a character across chunks. */
export function writer(out: Output): (chunk: Buffer) => void {
  const decoder = new StringDecoder('utf8');
  return (chunk) => {
    const text = decoder.write(chunk);
    if (text !== '') out.write(text);
  };
}

export async function run(context: Context): Promise<number> {
  const t = target(context, 'hobbykube logs NAME [--follow] [--since DURATION] [--tail LINES]');
  const since = typeof context.options.since === 'string' ? context.options.since : undefined;
  const sinceBad = since !== undefined ? sinceProblem(since) : undefined;
  if (sinceBad) throw new UsageError(`--since: got ${JSON.stringify(since)}, expected ${sinceBad}`, 'logs');
  const tailText = typeof context.options.tail === 'string' ? context.options.tail : undefined;
  if (tailText !== undefined && !/^\d{1,9}$/.test(tailText)) throw new UsageError(`--tail: got ${JSON.stringify(tailText)}, expected a number of lines from the end, such as 100`, 'logs');
  const follow = context.options.follow === true;
  const session = openSession(context, t.spec);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    const host = await session.host(controlPlaneOf(t.spec).name);
    if (!host.stream) throw new Error('the transport cannot stream output');
    const pods = await choosePods(host, t, logPods);
    const code = await host.stream(logsScript(pods, containerOf(t.workload), { follow, ...(since !== undefined ? { since } : {}), ...(tailText !== undefined ? { tail: Number(tailText) } : {}) }), {
      sudo: true,
      stdout: writer(context.stdout),
      stderr: writer(context.stderr),
      signal: controller.signal,
    });
    return controller.signal.aborted ? EXIT_INTERRUPTED : code;
  } finally {
    process.off('SIGINT', onSigint);
    await session.close();
  }
}
