// The one way a spec is applied, shared by `apply`, `add-worker` and the wizard's "install":
// survey the nodes (only those the change concerns), make sure every secret has a value, check
// capacity, show the plan, confirm, run it with the live view (terminal) or plain lines, and
// log everything. One apply per cluster at a time; a rerun resumes.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { clusterAddressing, describeAddressing } from '../install/addresses.js';
import { clusterFirewall, describeFirewall } from '../install/firewall.js';
import { ENCRYPTION_CONFIG_PATH, type EncryptionKey } from '../install/render/encryption.js';
import { quote } from '../shell/quote.js';
import { keysInConfig, loadEncryptionKeys, reconcileKeys, saveEncryptionKeys } from '../state/encryption-keys.js';
import { Journal } from '../install/journal.js';
import { buildInstallPlan, controlPlaneOf } from '../install/plan.js';
import { formatPlan, probeAll } from '../install/print.js';
import { runPlan, type RunSummary } from '../install/runner.js';
import { factsByNode, surveyNodes, surveyOk } from '../install/survey.js';
import type { ClusterSpec } from '../spec/types.js';
import { missingSecrets, setSecret } from '../state/secrets.js';
import { plainLines, plainMemoryLine, seconds } from '../views/plain.js';
import { capacityInput, checkCapacity, ensureGeneratedSecrets, formatCapacity, memoryForRender, workloadSteps } from '../workloads/index.js';
import { confirm } from './confirm.js';
import { lockCluster } from './lock.js';
import { CommandError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK } from './errors.js';
import { formatSurveys, openSession, type Session } from './session.js';
import { makeStyle } from './style.js';
import type { Context } from './context.js';

export interface ApplyOptions {
  /** Only these workers are planned (add-worker); the other workers are read (facts) and get one step, their firewall's allowed nodes. */
  workers?: string[];
  /** The question asked before running. */
  question?: string;
  /** Also delete objects hobbykube made that the spec no longer has (the caller has asked the owner). */
  prune?: boolean;
}

/** secretEnv values without a value: from HOBBYKUBE_SECRET_<WORKLOAD>_<NAME>, else asked (masked), else an error. */
async function fillSecrets(context: Context, session: Session): Promise<void> {
  const { spec, paths } = session;
  const { secrets } = ensureGeneratedSecrets(spec, paths);
  const missing = missingSecrets(spec, secrets);
  if (missing.length === 0) return;
  const envName = (ref: string) => `HOBBYKUBE_SECRET_${ref.replace(/[.-]/g, '_').toUpperCase()}`;
  const stillMissing: string[] = [];
  for (const ref of missing) {
    const [workload, name] = ref.split('.') as [string, string];
    let value = context.env[envName(ref)];
    if ((value === undefined || value === '') && context.stdinIsTTY && context.stdout.isTTY) {
      const { password } = await import('@inquirer/prompts');
      value = await password({ message: `Value of ${name} for ${workload} (kept in ${paths.secrets}, mode 0600)`, mask: '*' });
    }
    if (value === undefined || value === '') stillMissing.push(ref);
    else {
      setSecret(paths, workload, name, value);
      session.redactor.add(value);
    }
  }
  if (stillMissing.length > 0) {
    throw new CommandError(
      `no value yet for ${stillMissing.join(', ')}. Run in a terminal to be asked, or set ${stillMissing.map(envName).join(', ')} in the environment. Nothing was changed.`,
    );
  }
}

export async function applySpec(context: Context, spec: ClusterSpec, options: ApplyOptions = {}): Promise<number> {
  const session = openSession(context, spec);
  const { paths, pool, redactor } = session;
  const { stdout, stderr, style } = context;
  const lock = await lockCluster(context, session, 'apply');

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logPath = join(paths.logs, `apply-${stamp}.log`);
  const log = createWriteStream(logPath, { mode: 0o600 });
  const plain = makeStyle(false);
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
    stderr.write('\nStopping: no new step starts; running steps finish. Press Ctrl-C again to quit at once. Rerun `hobbykube apply` to resume.\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const cp = controlPlaneOf(spec);
    const nodes = options.workers ? spec.spec.nodes.filter((n) => n === cp || options.workers!.includes(n.name)) : spec.spec.nodes;
    // add-worker: the other workers are read too (one read-only fact probe) and get one step, their
    // firewall's allowed nodes; their own preflight findings do not stop the new worker's join.
    const others = spec.spec.nodes.filter((n) => !nodes.includes(n));
    stdout.write(`Cluster ${spec.metadata.name}: checking ${nodes.map((n) => n.name).join(', ')}${others.length > 0 ? ` (and reading ${others.map((n) => n.name).join(', ')} for the firewall)` : ''}...\n`);
    const surveys = await surveyNodes([...nodes, ...others], pool, spec.spec.network);
    stdout.write(`${formatSurveys(surveys, context).join('\n')}\n\n`);
    log.write(`${formatSurveys(surveys, { ...context, style: plain }).join('\n')}\n`);
    const inScope = surveys.filter((s) => nodes.includes(s.node));
    const unreachable = surveys.filter((s) => !nodes.includes(s.node) && s.error);
    if (!surveyOk(inScope) || unreachable.length > 0) {
      const failed = [...inScope.filter((s) => s.error || !s.verdict?.ok), ...unreachable].map((s) => s.node.name);
      throw new CommandError(`${failed.join(', ')} ${failed.length === 1 ? 'is' : 'are'} not ready (see above). Nothing was changed.`);
    }
    const facts = factsByNode(surveys);
    const addresses = describeAddressing(clusterAddressing(spec, facts, nodes)).map((l) => `  ${l}`);
    stdout.write(`Addresses:\n${addresses.join('\n')}\n\n`);
    log.write(`Addresses:\n${addresses.join('\n')}\n`);
    const ports = describeFirewall(clusterFirewall(spec, facts)).map((l) => `  ${l}`);
    stdout.write(`Open ports (host firewall):\n${ports.join('\n')}\n\n`);
    log.write(`Open ports (host firewall):\n${ports.join('\n')}\n`);

    // The keys Secrets are encrypted with at rest: the secrets file's, reconciled with the control plane's.
    const encryptionKeys = await ensureEncryptionKeys(session, cp.name, stdout);

    await fillSecrets(context, session);
    const { secrets } = ensureGeneratedSecrets(spec, paths);
    for (const values of Object.values(secrets)) for (const value of Object.values(values)) redactor.add(value);

    let strategies;
    let memory;
    if (spec.spec.workloads.length > 0 && !options.workers) {
      let report = checkCapacity(capacityInput(spec, facts));
      stdout.write(`${formatCapacity(report).join('\n')}\n\n`);
      if (!report.proceed) {
        if (!report.onlySurgeProblems) {
          throw new CommandError('the workloads do not fit (see above): lower their memory, move the database, or add a worker (`hobbykube add-worker`). Nothing was changed.');
        }
        const accepted = await confirm(context, 'Roll out with maxSurge 0 where there is no room for a surge pod (each update then stops the old pod before the new one starts)?');
        if (!accepted) throw new CommandError('not rolled out. Nothing was changed.');
        report = checkCapacity(capacityInput(spec, facts, true));
      }
      strategies = report.strategies;
      memory = report.memory;
    }

    // add-worker (`workers`) only joins nodes: the workloads' memory requests depend on every
    // node's memory (src/workloads/memory.ts), and the other workers get their firewall step only.
    const withWorkloads = !options.workers && (spec.spec.workloads.length > 0 || spec.spec.ingress !== undefined);
    const steps = buildInstallPlan({
      spec,
      facts,
      encryptionKeys,
      ...(options.workers ? { workers: options.workers } : {}),
      ...(withWorkloads
        ? { workloadSteps: workloadSteps({ spec, secrets, ...(strategies ? { strategies } : {}), memory: memory ?? memoryForRender(spec, facts), ...(options.prune ? { prune: true } : {}) }) }
        : {}),
    });
    // Someone is about to be asked: show which steps will really run (the probes only read).
    // With --yes the runner's own probes decide, and the list is shown without verdicts.
    const verdicts = context.assumeYes ? undefined : await probeAll(steps, { host: (n) => pool.host(n), paths, redactor, shared: new Map() });
    const { lines, toRun, toSkip } = formatPlan(steps, verdicts, (name) => style.bold(name));
    const planned = new Set(steps.map((st) => st.node)).size;
    stdout.write(
      verdicts
        ? `Plan: ${toRun} of ${steps.length} steps to run on ${planned} nodes (${toSkip} already done).\n`
        : `Plan: ${steps.length} steps on ${planned} nodes; each checks first and is skipped when already done.\n`,
    );
    stdout.write(`${(verdicts ? lines : lines.map((l) => l.replace(/^ {2}run {3}/, '  - '))).join('\n')}\n`);
    if (!(await confirm(context, options.question ?? `Apply this plan to cluster ${spec.metadata.name}?`))) {
      stderr.write('Not applied. Nothing was changed.\n');
      return EXIT_FAILURE;
    }

    const summary = await run(context, session, steps, logPath, log, controller.signal, nodes.map((n) => ({ name: n.name, role: n.role })));
    return report(context, session, summary, logPath, controller.signal.aborted);
  } finally {
    process.off('SIGINT', onSigint);
    lock.release();
    await new Promise<void>((resolve) => log.end(resolve));
    await session.close();
  }
}

/**
 * The encryption keys for this apply: the secrets file's, with any key only the control plane
 * still has copied back, and a new one generated when neither has any (saved before use, 0600).
 */
async function ensureEncryptionKeys(session: Session, cpName: string, stdout: Context['stdout']): Promise<EncryptionKey[]> {
  const host = await session.pool.host(cpName);
  const read = await host.run(`if [ -f ${quote(ENCRYPTION_CONFIG_PATH)} ]; then cat ${quote(ENCRYPTION_CONFIG_PATH)}; fi`, { sudo: true, timeoutMs: 60_000 });
  if (read.code !== 0) throw new CommandError(`could not read ${ENCRYPTION_CONFIG_PATH} on ${cpName} (exit code ${read.code}). Nothing was changed.`);
  let remote: EncryptionKey[] | undefined;
  try {
    remote = read.stdout.trim() === '' ? undefined : keysInConfig(read.stdout);
  } catch (error) {
    throw new CommandError(`${cpName}:${ENCRYPTION_CONFIG_PATH}: ${(error as Error).message}. Nothing was changed.`);
  }
  let result: ReturnType<typeof reconcileKeys>;
  try {
    result = reconcileKeys(loadEncryptionKeys(session.paths), remote);
  } catch (error) {
    const message = (error as Error).message;
    throw new CommandError(`${message.startsWith(session.paths.secrets) ? message : `${session.paths.secrets}: ${message}`}. Nothing was changed.`);
  }
  for (const key of result.keys) session.redactor.add(key.secret);
  if (result.imported.length > 0 || result.generated !== undefined) {
    saveEncryptionKeys(session.paths, result.keys);
    if (result.generated) stdout.write(`Generated encryption key ${result.generated} for Secrets at rest; kept in ${session.paths.secrets} (0600): keep it with your backups.\n\n`);
    else stdout.write(`Copied encryption key${result.imported.length === 1 ? '' : 's'} ${result.imported.join(', ')} from ${cpName} into ${session.paths.secrets} (0600).\n\n`);
  }
  return result.keys;
}

async function run(
  context: Context,
  session: Session,
  steps: Parameters<typeof runPlan>[0],
  logPath: string,
  log: NodeJS.WritableStream,
  signal: AbortSignal,
  nodes: Array<{ name: string; role: 'control-plane' | 'worker' }>,
): Promise<RunSummary> {
  const ctx = { host: (n: string) => session.pool.host(n), paths: session.paths, redactor: session.redactor, shared: new Map() };
  const journal = new Journal(session.paths.journal);
  const toLog = (event: Parameters<typeof plainLines>[0]) => {
    for (const line of plainLines(event, true)) log.write(`${line}\n`);
  };
  const hosts = await Promise.all(nodes.map((n) => session.pool.host(n.name)));
  const { startMemoryMonitor } = await import('../monitor/memory.js');
  let show: (event: Parameters<typeof plainLines>[0]) => void;
  let memory: Parameters<typeof startMemoryMonitor>[1];
  let intervalMs: number | undefined;
  let finish: () => Promise<void> = async () => {};
  if (!context.stdout.isTTY) {
    // Plain lines, and each node's memory as a line every 30 s (the view's memory bars, in text).
    show = (event) => {
      for (const line of plainLines(event, true)) context.stdout.write(`${line}\n`);
    };
    memory = {
      sample: (node, sample) => {
        const line = plainMemoryLine(node, sample);
        context.stdout.write(`${line}\n`);
        log.write(`${line}\n`);
      },
      error: () => undefined, // a missed sample is not worth a line; the next one comes in 30 s
    };
    intervalMs = 30_000;
  } else {
    // A terminal: the live view, each node's memory sampled every 2 s over its existing connection.
    const [{ createStore }, { mountProgressView }] = await Promise.all([import('../views/store.js'), import('../../screens/progress/index.js')]);
    const store = createStore({ nodes });
    const view = mountProgressView(store, { title: `hobbykube apply: ${session.spec.metadata.name}`, logPath });
    show = store.listener;
    memory = store.memorySink;
    finish = async () => {
      store.flush(); // the last events, so the frame left on screen is the finished one
      await view.unmount();
    };
  }
  const monitor = startMemoryMonitor(hosts, memory, intervalMs ? { intervalMs } : {});
  try {
    return await runPlan(steps, ctx, {
      journal,
      signal,
      listener: (event) => {
        toLog(event);
        show(event);
      },
    });
  } finally {
    monitor.stop();
    await finish();
  }
}

function report(context: Context, session: Session, summary: RunSummary, logPath: string, aborted: boolean): number {
  const { stdout, stderr, style } = context;
  stdout.write('\n');
  if (summary.ok) {
    stdout.write(`${style.green('Cluster is up.')} ${summary.done.length} steps run, ${summary.skipped.length} already done, in ${seconds(summary.durationMs)}.\n`);
    stdout.write(`Kubeconfig: ${session.paths.kubeconfig}   (try: KUBECONFIG=${session.paths.kubeconfig} kubectl get nodes)\n`);
    const apps = session.spec.spec.workloads.filter((w) => w.kind === 'app' && w.domain);
    const ingress = session.spec.spec.nodes.find((n) => n.name === session.spec.spec.ingress?.node);
    for (const app of apps) {
      if (app.kind === 'app') stdout.write(`App ${app.name}: https://${app.domain}/ (its DNS A record must point at ${ingress ? `${ingress.address}, node ${ingress.name}` : 'the ingress node'})\n`);
    }
    stdout.write(`Log: ${logPath}\n`);
    return EXIT_OK;
  }
  for (const failure of summary.failed) {
    stderr.write(`${style.red('failed:')} ${failure.node}: ${failure.id.split('/').slice(1).join('/')}: ${failure.message}\n`);
    for (const line of failure.lastLines) stderr.write(`  | ${line}\n`);
  }
  const interrupted = aborted && summary.failed.length === 0;
  if (interrupted) stderr.write('Interrupted.\n');
  stderr.write(`Full log: ${logPath}\nRerun \`hobbykube apply\` to resume: finished steps are skipped.\n`);
  return interrupted ? EXIT_INTERRUPTED : EXIT_FAILURE;
}
