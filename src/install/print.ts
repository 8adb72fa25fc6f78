// How a plan is shown (`hobbykube plan`, the apply summary) and written out (`plan --out DIR`).
import { writeFileSync } from 'node:fs';
import { ensureDirectory } from '../state/files.js';
import { join } from 'node:path';
import type { Redactor } from '../redact.js';
import type { Step, StepContext } from './step.js';

/** What a step would do if the plan ran now, as its probe answers: run, or skip and why. */
export type StepForecast = { run: true } | { run: false; reason: string };

/** Steps in an order that respects dependencies, keeping plan order where it is free. */
export function orderSteps(steps: Step[]): Step[] {
  const done = new Set<string>();
  const out: Step[] = [];
  const rest = [...steps];
  while (rest.length > 0) {
    const index = rest.findIndex((s) => s.after.every((d) => done.has(d)));
    if (index < 0) throw new Error('plan: steps wait for each other in a circle');
    const [step] = rest.splice(index, 1);
    out.push(step!);
    done.add(step!.id);
  }
  return out;
}

export interface PlanText {
  lines: string[];
  toRun: number;
  toSkip: number;
}

/** Per node, in order: each step's title and whether it will run or be skipped (and why). */
export function formatPlan(steps: Step[], forecasts: Map<string, StepForecast> | undefined, nodeLabel: (node: string) => string): PlanText {
  const ordered = orderSteps(steps);
  const nodes = [...new Set(ordered.map((s) => s.node))];
  const lines: string[] = [];
  let toRun = 0;
  let toSkip = 0;
  const width = Math.min(52, Math.max(...ordered.map((s) => s.title.length)));
  for (const node of nodes) {
    lines.push(nodeLabel(node));
    for (const step of ordered.filter((s) => s.node === node)) {
      const forecast = forecasts?.get(step.id) ?? { run: true };
      if (forecast.run) {
        toRun += 1;
        lines.push(`  run   ${step.title}`);
      } else {
        toSkip += 1;
        lines.push(`  skip  ${step.title.padEnd(width)}  ${forecast.reason}`);
      }
    }
    lines.push('');
  }
  return { lines, toRun, toSkip };
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Writes every script and file each step would send: DIR/<node>/<NN>-<step>/..., secrets redacted. */
export function writePlanArtifacts(dir: string, steps: Step[], redactor: Redactor, planText: string): string[] {
  const written: string[] = [];
  ensureDirectory(dir);
  const counters = new Map<string, number>();
  for (const step of orderSteps(steps)) {
    const n = (counters.get(step.node) ?? 0) + 1;
    counters.set(step.node, n);
    const stepDir = join(dir, safeName(step.node), `${String(n).padStart(2, '0')}-${safeName(step.id.split('/').slice(1).join('-') || step.id)}`);
    ensureDirectory(stepDir);
    for (const artifact of step.artifacts) {
      const path = join(stepDir, safeName(artifact.name));
      writeFileSync(path, redactor.redact(artifact.content), { mode: artifact.name.endsWith('.sh') ? 0o755 : 0o644 });
      written.push(path);
    }
  }
  const planPath = join(dir, 'plan.txt');
  writeFileSync(planPath, redactor.redact(planText));
  written.push(planPath);
  return written;
}

/**
 * Asks every step's probe (read-only) what it would do, nodes in parallel, each node's steps in
 * order. A node that cannot be reached, or a probe that errs, leaves its steps as "run".
 */
export async function probeAll(steps: Step[], ctx: StepContext, skipNodes: ReadonlySet<string> = new Set()): Promise<Map<string, StepForecast>> {
  const forecasts = new Map<string, StepForecast>();
  const byNode = new Map<string, Step[]>();
  for (const step of orderSteps(steps)) byNode.set(step.node, [...(byNode.get(step.node) ?? []), step]);
  await Promise.all(
    [...byNode.entries()].map(async ([node, list]) => {
      if (skipNodes.has(node)) return;
      for (const step of list) {
        try {
          const probe = await step.probe(ctx);
          forecasts.set(step.id, probe.done ? { run: false, reason: probe.reason } : { run: true });
        } catch {
          forecasts.set(step.id, { run: true });
        }
      }
    }),
  );
  return forecasts;
}
