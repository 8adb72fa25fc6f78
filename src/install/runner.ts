// Walks a plan: a step starts as soon as every step it waits for has finished (so all nodes
// prepare at once and workers join at once), its probe decides whether it runs, and the outcome
// goes to the listener as an event (the journal is one: fanOut in events.ts). After a failure no new step starts; steps already
// running finish; steps that waited on the failed one are reported as blocked.
import type { RunEvent, Listener, StepRef } from '../events.js';
import { formatDuration } from '../text/duration.js';
import { StepFailure, type Step, type StepContext } from './step.js';

export interface RunOptions {
  /** Told every event (the journal, the log file, the view: `fanOut(...)`). */
  listener?: Listener;
  /** At most this many steps at once (default: no limit beyond the plan's own dependencies). */
  concurrency?: number;
  /** Pause before retrying a step marked safe to retry. */
  retryDelayMs?: number;
  /** Aborted: start nothing new (Ctrl-C). */
  signal?: AbortSignal;
  now?: () => number;
}

export interface RunSummary {
  ok: boolean;
  durationMs: number;
  done: string[];
  skipped: string[];
  failed: Array<{ id: string; node: string; message: string; exitCode?: number; lastLines: string[] }>;
  blocked: string[];
}

/** Checks the plan's shape: unique ids, known dependencies, no cycles. Throws on a broken plan. */
export function checkPlan(steps: Step[]): void {
  const ids = new Set<string>();
  for (const step of steps) {
    if (ids.has(step.id)) throw new Error(`plan: step id ${step.id} appears twice`);
    ids.add(step.id);
  }
  for (const step of steps) for (const dep of step.after) if (!ids.has(dep)) throw new Error(`plan: ${step.id} waits for unknown step ${dep}`);
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`plan: steps wait for each other in a circle: ${[...path, id].join(' -> ')}`);
    state.set(id, 'visiting');
    for (const dep of byId.get(id)!.after) visit(dep, [...path, id]);
    state.set(id, 'done');
  };
  for (const step of steps) visit(step.id, []);
}

const ref = (step: Step): StepRef => ({ id: step.id, node: step.node, title: step.title });

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepFailure(`${what} took longer than ${formatDuration(ms)} and was stopped`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

export async function runPlan(steps: Step[], ctx: StepContext, options: RunOptions = {}): Promise<RunSummary> {
  checkPlan(steps);
  const now = options.now ?? Date.now;
  const emit = (event: RunEvent) => options.listener?.(event);
  const started = now();
  const summary: RunSummary = { ok: true, durationMs: 0, done: [], skipped: [], failed: [], blocked: [] };
  const finished = new Set<string>();
  const failedIds = new Set<string>();
  const pending = new Map(steps.map((s) => [s.id, s]));
  const running = new Map<string, Promise<void>>();
  let stopping = false;
  const limit = options.concurrency ?? Number.POSITIVE_INFINITY;

  emit({ type: 'run-started', time: started, steps: steps.map(ref) });

  const execute = async (step: Step): Promise<void> => {
    const t0 = now();
    let attempt = 1;
    for (;;) {
      try {
        const probe = await timeout(step.probe(ctx), step.timeoutMs, `the check before "${step.title}"`);
        if (probe.done) {
          summary.skipped.push(step.id);
          emit({ type: 'step-skipped', time: now(), step: ref(step), reason: probe.reason });
          return;
        }
        if (attempt === 1) emit({ type: 'step-started', time: now(), step: ref(step) });
        await timeout(
          step.run(ctx, (line, stream) => emit({ type: 'step-output', time: now(), step: ref(step), line, stream })),
          step.timeoutMs,
          `"${step.title}"`,
        );
        const durationMs = now() - t0;
        summary.done.push(step.id);
        emit({ type: 'step-finished', time: now(), step: ref(step), durationMs });
        return;
      } catch (error) {
        const failure = error instanceof StepFailure ? error : undefined;
        const message = ctx.redactor.redact(error instanceof Error ? error.message : String(error));
        if (step.retry && attempt < 2 && !stopping && !options.signal?.aborted) {
          attempt += 1;
          emit({ type: 'step-retrying', time: now(), step: ref(step), attempt, message });
          await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 2000));
          continue;
        }
        const durationMs = now() - t0;
        const lastLines = failure?.lastLines ?? [];
        summary.failed.push({ id: step.id, node: step.node, message, lastLines, ...(failure?.exitCode !== undefined ? { exitCode: failure.exitCode } : {}) });
        failedIds.add(step.id);
        emit({
          type: 'step-failed',
          time: now(),
          step: ref(step),
          durationMs,
          message,
          lastLines,
          ...(failure?.exitCode !== undefined ? { exitCode: failure.exitCode } : {}),
        });
        stopping = true;
        return;
      }
    }
  };

  await new Promise<void>((resolveAll) => {
    const schedule = () => {
      if (options.signal?.aborted) stopping = true;
      if (!stopping) {
        for (const step of [...pending.values()]) {
          if (running.size >= limit) break;
          if (!step.after.every((dep) => finished.has(dep))) continue;
          pending.delete(step.id);
          const task = execute(step).finally(() => {
            running.delete(step.id);
            if (!failedIds.has(step.id)) finished.add(step.id);
            schedule();
          });
          running.set(step.id, task);
        }
      }
      if (running.size === 0) resolveAll();
    };
    schedule();
  });

  // Whatever never started: blocked by a failure (or by Ctrl-C).
  for (const step of pending.values()) {
    const because = step.after.find((dep) => failedIds.has(dep) || pending.has(dep));
    const reason = options.signal?.aborted ? 'interrupted before it started' : because ? `waits for ${because}, which did not finish` : 'stopped after a failure elsewhere';
    summary.blocked.push(step.id);
    emit({ type: 'step-blocked', time: now(), step: ref(step), because: reason });
  }
  summary.ok = summary.failed.length === 0 && summary.blocked.length === 0;
  summary.durationMs = now() - started;
  emit({
    type: 'run-finished',
    time: now(),
    ok: summary.ok,
    durationMs: summary.durationMs,
    done: summary.done.length,
    skipped: summary.skipped.length,
    failed: summary.failed.length,
    blocked: summary.blocked.length,
  });
  return summary;
}
