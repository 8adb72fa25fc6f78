// `hobbykube plan`: validate the spec (exit 2 with every problem), survey the nodes (facts and
// preflight), and print per node each step and whether it would run or be skipped. Changes nothing.
import { loadSpec } from '../../spec/file.js';
import { clusterAddressing, describeAddressing } from '../../facts/addressing.js';
import { buildInstallPlan, DISPLAY_KEYS, OFFLINE_MEMORY_MIB } from '../../install/plan.js';
import { clusterFirewall, describeFirewall } from '../../install/firewall.js';
import { loadEncryptionKeys } from '../../state/encryption-keys.js';
import { formatPlan, probeAll, writePlanArtifacts, type StepForecast } from '../../install/print.js';
import { stepContext, type Step } from '../../install/step.js';
import { factsByNode, surveyNodes, surveyOk, type NodeSurvey } from '../../install/survey.js';
import { Redactor } from '../../redact.js';
import { CommandError, EXIT_FAILURE, EXIT_OK, UsageError } from '../errors.js';
import { clusterPaths } from '../../state/paths.js';
import { loadSecretValues } from '../../state/secrets.js';
import { capacityInput, checkCapacity, describeDumps, formatCapacity, memoryForRender, workloadSteps } from '../../workloads/index.js';
import type { ClusterSpec } from '../../spec/types.js';
import type { NodeFacts } from '../../facts/types.js';
import { formatSurveys, notReady } from '../../phases/survey.js';
import { openSession } from '../session.js';
import type { Context, Output } from '../context.js';
import { proseOutput } from '../prose.js';

export async function run(context: Context): Promise<number> {
  const spec = loadSpec(context.specPath);
  const { style } = context;
  const stdout = proseOutput(context.stdout);
  const memoryOption = context.options.memory;
  if (memoryOption !== undefined && context.options.offline !== true) throw new UsageError('--memory only applies with --offline (otherwise each node\'s own memory is used)', 'plan');
  let assumedMemoryMiB = OFFLINE_MEMORY_MIB;
  if (typeof memoryOption === 'string') {
    assumedMemoryMiB = Number(memoryOption);
    if (!/^\d{3,6}$/.test(memoryOption) || assumedMemoryMiB < 400 || assumedMemoryMiB > 262144) {
      throw new UsageError(`--memory: got ${JSON.stringify(memoryOption)}, expected the memory per node in MiB, from 400 to 262144 (a "1 GB" VPS reports about 970)`, 'plan');
    }
  }

  stdout.write(`Cluster ${spec.metadata.name}: Kubernetes ${spec.spec.kubernetesVersion}, ${spec.spec.nodes.length} nodes, ${spec.spec.workloads.length} workloads.\n\n`);

  let steps: Step[];
  let forecasts: Map<string, StepForecast> | undefined;
  let surveys: NodeSurvey[] | undefined;
  let redactor = new Redactor();
  // Workload steps render Secrets only when they run or probe; the printable manifests are redacted.
  const paths = clusterPaths(spec.metadata.name, context.env);
  const secrets = loadSecretValues(paths);
  // The encryption key apply would use (redacted everywhere); before the first apply there is none yet.
  let stored;
  try {
    stored = loadEncryptionKeys(paths);
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
  const encryptionKeys = stored.length > 0 ? stored : DISPLAY_KEYS;
  const openPorts = (facts: ReadonlyMap<string, NodeFacts>) => `Open ports (host firewall):\n${describeFirewall(clusterFirewall(spec, facts)).map((l) => `  ${l}`).join('\n')}\n\n`;
  const withWorkloads = spec.spec.workloads.length > 0 || spec.spec.ingress !== undefined;
  // Memory requests depend on the nodes' memory (src/workloads/memory.ts): known once surveyed.
  const workloads = (facts: ReadonlyMap<string, NodeFacts>) => (withWorkloads ? { workloadSteps: workloadSteps({ spec, secrets, memory: memoryForRender(spec, facts) }) } : {});
  if (context.options.offline === true) {
    stdout.write('Offline: the nodes were not contacted; every step is shown as it would run on a fresh machine.\n');
    stdout.write(
      `Assumed for every node: ${assumedMemoryMiB} MiB of memory (it sizes the kubelet's reservations${typeof memoryOption === 'string' ? '' : '; --memory MIB plans for another size'}), and its address on its own interface (no NAT).\n\n`,
    );
    const facts = new Map();
    stdout.write(`Addresses:\n${describeAddressing(clusterAddressing(spec, facts)).map((l) => `  ${l}`).join('\n')}\n\n`);
    stdout.write(openPorts(facts));
    writeDumps(stdout, spec);
    steps = buildInstallPlan({ spec, facts, assumedMemoryMiB, encryptionKeys, ...workloads(facts) });
  } else {
    const session = openSession(context, spec);
    redactor = session.redactor;
    try {
      surveys = await surveyNodes(spec.spec.nodes, session, spec.spec.network);
      stdout.write(`${formatSurveys(surveys, style).join('\n')}\n\n`);
      const facts = factsByNode(surveys);
      if (spec.spec.workloads.length > 0 && facts.size === spec.spec.nodes.length) {
        stdout.write(`${formatCapacity(checkCapacity(capacityInput(spec, facts))).join('\n')}\n\n`);
      }
      stdout.write(`Addresses:\n${describeAddressing(clusterAddressing(spec, facts)).map((l) => `  ${l}`).join('\n')}\n\n`);
      stdout.write(openPorts(facts));
      writeDumps(stdout, spec);
      steps = buildInstallPlan({ spec, facts, encryptionKeys, ...workloads(facts) });
      const unreachable = new Set(surveys.filter((s) => s.error).map((s) => s.node.name));
      forecasts = await probeAll(steps, stepContext(session), unreachable);
    } finally {
      await session.close();
    }
  }

  for (const key of encryptionKeys) redactor.add(key.secret);
  const nodeLabel = (name: string) => {
    const node = spec.spec.nodes.find((n) => n.name === name)!;
    return style.bold(`${node.name} (${node.address}, ${node.role})`);
  };
  const { lines, toRun, toSkip } = formatPlan(steps, forecasts, nodeLabel);
  if (typeof context.options.out === 'string') {
    const written = writePlanArtifacts(context.options.out, steps, redactor, formatPlan(steps, forecasts, (n) => n).lines.join('\n'));
    stdout.write(`Wrote ${written.length} files (scripts, configs, plan.txt) to ${context.options.out}; secrets are redacted.\n\n`);
  }
  stdout.write(`${lines.join('\n')}\n${toRun + toSkip} steps: ${toRun} to run, ${toSkip} already done.\n`);
  if (surveys && !surveyOk(surveys)) {
    const failed = notReady(surveys);
    context.stderr.write(`${style.red('not ready:')} ${failed.join(', ')} ${failed.length === 1 ? 'needs' : 'need'} attention before apply (see above).\n`);
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}

/** The databases' scheduled dumps: when, onto which node, how many kept. */
function writeDumps(stdout: Output, spec: ClusterSpec): void {
  const lines = describeDumps(spec);
  if (lines.length > 0) stdout.write(`Database dumps:\n${lines.map((l) => `  ${l}`).join('\n')}\n\n`);
}
