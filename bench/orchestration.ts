// Benchmark rows 2 and 3 (not tests): install orchestration and growth on real sshd test hosts
// whose doubles take fixed times per command (bench/cluster.ts: DELAYS).
//
// Row 2, per N: a fresh cluster installed with the plan's own parallelism, vs the plan's critical
// path. The critical path is the longest path through the plan's dependency graph, each step
// weighted by its cost measured in a sequential run (concurrency 1) of the same plan on another
// fresh bed with the same delays: that cost holds the delays the doubles were given plus
// everything else a step really costs here (probe, SSH round trips, the doubles' own process
// start-up, the runner's gap). The same sequential run is the "forced sequential" figure.
// Sequential runs are made for the sizes in SEQUENTIAL_SIZES only; larger sizes use per-kind
// costs (cp/..., worker/...) measured in the largest sequential run.
//
// Row 3: add-worker. A cluster of N nodes is installed, then one more worker is added with the
// add-worker plan (buildInstallPlan({workers: [new]}), surveying only the control plane and the
// new node, as the add-worker phases (src/phases/add-worker.ts) do); wall time and the commands recorded on
// the nodes that were not concerned (target 0).
//
// Run alone: node --import tsx bench/orchestration.ts [sizes, default 3,10,30]
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { applyDirect, callsPerStep, criticalPath, DELAYS, median, sequentialCosts, setDelays, specFor, startCluster, stepKind, type TimedRun } from './cluster.js';

export interface OrchestrationRow {
  n: number;
  steps: number;
  parallelMs: number;
  surveyMs: number;
  criticalPathMs: number;
  criticalPathSource: string;
  criticalPathDelaysMs?: number;
  /** Sum of the steps' non-delay cost / CPUs: below this the bed itself cannot go, whatever the plan. */
  workBoundMs: number;
  ratio: number;
  sequentialMs?: number;
  speedup?: number;
  path: string[];
}

export interface GrowthRow {
  n: number;
  wallMs: number;
  surveyMs: number;
  runMs: number;
  stepsRun: number;
  untouchedNodes: number;
  commandsOnUntouched: number;
  method: string;
}

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

async function sequential(n: number): Promise<{ run: TimedRun; costs: Map<string, number>; delaysPerStep: Map<string, number> }> {
  const c = await startCluster(n);
  try {
    setDelays(c.bed, DELAYS);
    const run = await applyDirect(c, specFor(c.bed), { concurrency: 1 });
    const calls = callsPerStep(c.bed, run);
    const delaysPerStep = new Map([...calls].map(([id, row]) => [id, Object.entries(row).reduce((sum, [cmd, k]) => sum + (DELAYS[cmd] ?? 0) * k, 0)]));
    return { run, costs: sequentialCosts(run), delaysPerStep };
  } finally {
    await c.stop();
  }
}

async function parallel(n: number): Promise<TimedRun> {
  const c = await startCluster(n);
  try {
    setDelays(c.bed, DELAYS);
    return await applyDirect(c, specFor(c.bed));
  } finally {
    await c.stop();
  }
}

export async function orchestration(sizes: number[], sequentialSizes: number[]): Promise<OrchestrationRow[]> {
  const rows: OrchestrationRow[] = [];
  let kindCosts: Map<string, number> | undefined;
  let kindDelays: Map<string, number> | undefined;
  for (const n of sizes) {
    let seq: Awaited<ReturnType<typeof sequential>> | undefined;
    if (sequentialSizes.includes(n)) {
      log(`N=${n}: sequential run (concurrency 1)...`);
      seq = await sequential(n);
      const byKind = new Map<string, number[]>();
      const byKindDelay = new Map<string, number[]>();
      for (const [id, ms] of seq.costs) byKind.set(stepKind(id), [...(byKind.get(stepKind(id)) ?? []), ms]);
      for (const [id, ms] of seq.delaysPerStep) byKindDelay.set(stepKind(id), [...(byKindDelay.get(stepKind(id)) ?? []), ms]);
      kindCosts = new Map([...byKind].map(([k, v]) => [k, median(v)]));
      kindDelays = new Map([...byKindDelay].map(([k, v]) => [k, median(v)]));
    }
    log(`N=${n}: parallel run...`);
    const par = await parallel(n);
    const cost = (id: string) => seq?.costs.get(id) ?? kindCosts?.get(stepKind(id)) ?? 0;
    const cp = criticalPath(par.steps, cost);
    const delayOf = (id: string) => (seq ? (seq.delaysPerStep.get(id) ?? 0) : (kindDelays?.get(stepKind(id)) ?? 0));
    const delayOnly = criticalPath(par.steps, delayOf);
    // What the test bed itself can do: every step's cost beyond its delays (doubles' and sshd's
    // process start-ups, bash, SSH crypto: CPU work of this machine) spread over its CPUs.
    const workBoundMs = par.steps.reduce((sum, st) => sum + Math.max(0, cost(st.id) - delayOf(st.id)), 0) / availableParallelism();
    rows.push({
      n,
      steps: par.steps.length,
      parallelMs: par.runMs,
      surveyMs: par.surveyMs,
      criticalPathMs: cp.ms,
      criticalPathSource: seq ? `step costs from the sequential run at N=${n}` : 'per-kind step costs from the largest sequential run',
      criticalPathDelaysMs: delayOnly.ms,
      workBoundMs,
      ratio: par.runMs / cp.ms,
      ...(seq ? { sequentialMs: seq.run.runMs, speedup: seq.run.runMs / par.runMs } : {}),
      path: cp.path,
    });
    log(`N=${n}: parallel ${(par.runMs / 1000).toFixed(2)} s, critical path ${(cp.ms / 1000).toFixed(2)} s${seq ? `, sequential ${(seq.run.runMs / 1000).toFixed(2)} s` : ''}`);
  }
  return rows;
}

/** add-worker on an N-node cluster (N-1 workers), the new node being host N+1. */
export async function growth(n: number): Promise<GrowthRow> {
  const c = await startCluster(n + 1);
  try {
    log(`growth N=${n}: installing ${n} nodes...`);
    await applyDirect(c, specFor(c.bed, n));
    setDelays(c.bed, DELAYS);
    for (const h of c.bed.hosts) h.clearRecordings();
    const spec = specFor(c.bed, n + 1);
    const added = spec.spec.nodes.at(-1)!.name;
    log(`growth N=${n}: adding ${added}...`);
    const t0 = performance.now();
    const run = await applyDirect(c, spec, { workers: [added] });
    const wallMs = performance.now() - t0;
    const untouched = c.bed.hosts.slice(1, n); // every worker already there
    const commands = untouched.reduce((sum, h) => sum + h.recordings().length, 0);
    return {
      n,
      wallMs,
      surveyMs: run.surveyMs,
      runMs: run.runMs,
      stepsRun: run.summary.done.length,
      untouchedNodes: untouched.length,
      commandsOnUntouched: commands,
      method: 'buildInstallPlan({workers: [new]}) + runPlan over a HostPool (the add-worker path of src/phases/), surveying cp + new node',
    };
  } finally {
    await c.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sizes = (process.argv[2] ?? '3,10,30').split(',').map(Number);
  const rows = await orchestration(sizes, sizes.filter((n) => n <= 10));
  console.log(JSON.stringify(rows, null, 2));
}
