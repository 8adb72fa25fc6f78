// A step of a plan: where it runs, what it waits for, how to tell it is already done (probe),
// what it does (action), how long it may take and whether a failure may be retried. Steps are
// plain data plus closures over the Host interface, so a plan is built without touching a host.
import type { Host, HostSource, OutputStream, RunResult } from '../ssh/types.js';
import type { Redactor } from '../redact.js';
import type { ClusterPaths } from '../state/paths.js';
import type { RemoteFile, StepScripts } from './render/script.js';

export interface StepContext extends HostSource {
  /** (host: the connection to a node, opened once, reused by every step on it.) */
  paths: ClusterPaths;
  redactor: Redactor;
  /** Values steps hand to later steps (e.g. the control plane's CA hash); never secrets in logs. */
  shared: Map<string, unknown>;
}

/** A fresh context for one run or one round of probes (nothing shared from an earlier one). */
export function stepContext(base: HostSource & Pick<StepContext, 'paths' | 'redactor'>): StepContext {
  return { host: (node) => base.host(node), paths: base.paths, redactor: base.redactor, shared: new Map() };
}

export type LineSink = (line: string, stream: OutputStream) => void;

export interface ProbeResult {
  done: boolean;
  /** Why it is skipped (shown dimmed in the progress view and in `plan`). */
  reason: string;
}

export type { RemoteFile } from './render/script.js';

export interface Step {
  id: string;
  node: string;
  title: string;
  after: string[];
  timeoutMs: number;
  /** Safe to run again after a failure without harm (downloads, apt with a held lock, waits). */
  retry: boolean;
  probe(ctx: StepContext): Promise<ProbeResult>;
  run(ctx: StepContext, output: LineSink): Promise<void>;
  /** What `plan --out` writes for this step: its scripts and files, secrets redacted. */
  artifacts: Array<{ name: string; content: string }>;
}

/** How long a probe or another short command may take (checks, reads, minting a token). */
export const QUICK_TIMEOUT_MS = 60_000;
/** An action's limit unless its step says otherwise. */
export const ACTION_TIMEOUT_MS = 10 * 60_000;
/** Output lines a failure carries. */
const FAILURE_TAIL_LINES = 5;

/** A step failed: names node, step, exit code and the last output lines. */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly exitCode?: number,
    readonly lastLines: string[] = [],
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** A short command as root (probes, reads, small changes): at most QUICK_TIMEOUT_MS. */
export function runQuick(host: Host, script: string, options: { stdin?: string } = {}): Promise<RunResult> {
  return host.run(script, { sudo: true, timeoutMs: QUICK_TIMEOUT_MS, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}) });
}

/**
 * A non-zero exit as a StepFailure: the message, the exit code, and the last lines of standard
 * error (or of all output, for scripts whose output holds no secret), redacted.
 */
export function exitFailure(ctx: StepContext, message: string, result: RunResult, from: 'stderr' | 'output' = 'stderr'): StepFailure {
  const text = from === 'stderr' ? result.stderr : `${result.stdout}\n${result.stderr}`;
  return new StepFailure(message, result.code, ctx.redactor.redact(text).trim().split('\n').slice(-FAILURE_TAIL_LINES));
}

export interface ScriptStepInput {
  id: string;
  /** The node the step is about (its panel in the progress view). */
  node: string;
  /** The node whose host runs the scripts, when not `node` (e.g. waiting for a worker runs on the control plane). */
  runsOn?: string;
  title: string;
  after?: string[];
  timeoutMs?: number;
  retry?: boolean;
  /** Exits 0 when the step is already done, 1 when it must run; anything else is an error. */
  probe: string;
  /** Why the step is skipped when the probe says done. */
  doneReason: string;
  action: string;
  files?: RemoteFile[];
  /** The action prints a secret (a kubeconfig, a join command): its lines are not shown. */
  secretOutput?: boolean;
}

export interface ActionOptions {
  stdin?: string | Uint8Array;
  timeoutMs?: number;
  /** Standard output holds a secret: show one line saying so instead. */
  secretOutput?: boolean;
  /** What a non-zero exit is called (default "exit code N"). */
  failure?: (code: number) => string;
}

/**
 * Runs an action script as root: every line redacted and streamed, the last lines kept, and a
 * non-zero exit turned into a StepFailure that carries them. The one way actions run.
 */
export async function runAction(ctx: StepContext, host: Host, script: string, output: LineSink, options: ActionOptions = {}): Promise<void> {
  const tail: string[] = [];
  let hidden = false;
  const result = await host.run(script, {
    sudo: true,
    timeoutMs: options.timeoutMs ?? ACTION_TIMEOUT_MS,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    onLine: (line, stream) => {
      if (options.secretOutput && stream === 'stdout') {
        if (!hidden) output('(output hidden: it holds a secret)', stream);
        hidden = true;
        return;
      }
      const clean = ctx.redactor.redact(line);
      tail.push(clean);
      if (tail.length > 10) tail.shift();
      output(clean, stream);
    },
  });
  if (result.code !== 0) throw new StepFailure(options.failure?.(result.code) ?? `exit code ${result.code}`, result.code, tail);
}

/** A step from rendered scripts (src/install/render). */
export function fromScripts(
  id: string,
  node: string,
  scripts: StepScripts,
  options: { after?: string[]; runsOn?: string; doneReason?: string; timeoutMs?: number; retry?: boolean } = {},
): Step {
  return scriptStep({
    id,
    node,
    title: scripts.describe,
    probe: scripts.probe,
    action: scripts.action,
    files: scripts.files,
    secretOutput: scripts.secretOutput,
    doneReason: options.doneReason ?? 'already done',
    ...(options.after ? { after: options.after } : {}),
    ...(options.runsOn ? { runsOn: options.runsOn } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.retry !== undefined ? { retry: options.retry } : {}),
  });
}

/** The common step: a probe script and an action script run as root on one node. */
export function scriptStep(input: ScriptStepInput): Step {
  const files = input.files ?? [];
  return {
    id: input.id,
    node: input.node,
    title: input.title,
    after: input.after ?? [],
    timeoutMs: input.timeoutMs ?? ACTION_TIMEOUT_MS,
    retry: input.retry ?? false,
    artifacts: [
      { name: 'probe.sh', content: input.probe },
      { name: 'action.sh', content: input.action },
      ...files.map((f) => ({ name: `file${f.path.replace(/\//g, '_')}`, content: f.secret ? '# secret file: content redacted\n' : f.content })),
    ],
    async probe(ctx) {
      const host = await ctx.host(input.runsOn ?? input.node);
      const result = await runQuick(host, input.probe);
      if (result.code === 0) return { done: true, reason: input.doneReason };
      if (result.code === 1) return { done: false, reason: '' };
      throw exitFailure(ctx, `the check before "${input.title}" failed with exit code ${result.code}`, result, 'output');
    },
    async run(ctx, output) {
      const host = await ctx.host(input.runsOn ?? input.node);
      for (const file of files) await host.copyFile(file.content, file.path, { mode: file.mode, sudo: true });
      await runAction(ctx, host, input.action, output, { timeoutMs: input.timeoutMs ?? ACTION_TIMEOUT_MS, ...(input.secretOutput ? { secretOutput: true } : {}) });
    },
  };
}
