// Benchmark helpers (not tests): a cluster of real sshd test hosts (test/hosts/harness.ts) whose
// doubles take fixed times per command, driven through the product's own plan and runner
// (buildInstallPlan + runPlan over a HostPool, exactly what the apply phases (src/phases/apply.ts) do minus the
// printing), so the run can also be forced sequential (concurrency 1), which the CLI has no flag for.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHosts, type HostProfile, type TestBed } from '../test/hosts/harness.js';
import { cliAsker } from '../src/cli/asker.js';
import { buildInstallPlan } from '../src/install/plan.js';
import { runPlan, type RunSummary } from '../src/install/runner.js';
import { stepContext, type Step } from '../src/install/step.js';
import { factsByNode, surveyNodes, surveyOk } from '../src/install/survey.js';
import type { RunEvent } from '../src/events.js';
import { Redactor } from '../src/redact.js';
import { validateObject } from '../src/spec/validate.js';
import type { ClusterSpec } from '../src/spec/types.js';
import { HostPool } from '../src/ssh/pool.js';
import { clusterPaths, ensureClusterDir, type ClusterPaths } from '../src/state/paths.js';

/** Fixed time per call of each double (ms). Probes call doubles too; they pay the same. */
export const DELAYS: Record<string, number> = {
  'apt-get': 300,
  kubeadm: 500,
  kubectl: 200,
  systemctl: 100,
  curl: 100,
  gpg: 100,
  modprobe: 50,
  sysctl: 50,
  swapoff: 50,
};

export function setDelays(bed: TestBed, delays: Record<string, number>): void {
  for (const h of bed.hosts) for (const [cmd, ms] of Object.entries(delays)) h.setDelay(ms, cmd);
}

export function specFor(bed: TestBed, count = bed.hosts.length, cluster = 'bench'): ClusterSpec {
  const { spec, problems } = validateObject({
    apiVersion: 'hobbykube.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: cluster },
    spec: {
      kubernetesVersion: '1.37',
      nodes: bed.hosts.slice(0, count).map((h, i) => ({
        name: h.name,
        address: h.address,
        role: i === 0 ? 'control-plane' : 'worker',
        ssh: { user: bed.users.nopasswd, keyPath: bed.keyPath },
      })),
      dns: { upstream: ['203.0.113.53', '198.51.100.53'] },
    },
  });
  if (!spec) throw new Error(`bench spec invalid: ${JSON.stringify(problems)}`);
  return spec;
}

export interface Cluster {
  bed: TestBed;
  home: string;
  paths: ClusterPaths;
  /** A pool over the first `count` hosts of the bed as the spec's nodes. */
  session(spec: ClusterSpec): { pool: HostPool; close(): Promise<void> };
  stop(): Promise<void>;
}

export async function startCluster(n: number, profile: HostProfile = {}): Promise<Cluster> {
  const bed = await startHosts(Array.from({ length: n }, (_, i): HostProfile => ({ name: i === 0 ? 'cp1' : `w${i}`, ...profile })));
  const home = mkdtempSync(join(tmpdir(), 'hk-bench-'));
  const paths = clusterPaths('bench', { HOBBYKUBE_HOME: home });
  ensureClusterDir(paths);
  copyFileSync(bed.knownHostsPath, paths.knownHosts); // pinned, as after a first `apply --yes`
  const quiet = { write() {}, isTTY: false };
  return {
    bed,
    home,
    paths,
    session(spec) {
      const asker = cliAsker({ assumeYes: true, interactive: false, stderr: quiet, env: {}, knownHostsPath: paths.knownHosts });
      const pool = new HostPool(spec.spec.nodes, { knownHostsPath: paths.knownHosts, asker, sshConfigPath: null, agentSocket: null });
      return { pool, close: () => pool.closeAll() };
    },
    stop: () => bed.stop(),
  };
}

export interface TimedRun {
  summary: RunSummary;
  steps: Step[];
  /** Survey (facts of the nodes concerned) wall ms. */
  surveyMs: number;
  /** runPlan wall ms. */
  runMs: number;
  /** step id -> time it finished (ms epoch), from the runner's events. */
  finishedAt: Map<string, number>;
  startedAt: number;
}

/** A fixed encryption key for benchmark clusters (never a real cluster's). */
const BENCH_KEYS = [{ name: 'key1', secret: Buffer.alloc(32, 7).toString('base64') }];

/** Surveys the nodes concerned and runs the install plan, as apply does; `workers` as add-worker does. */
export async function applyDirect(cluster: Cluster, spec: ClusterSpec, options: { concurrency?: number; workers?: string[] } = {}): Promise<TimedRun> {
  const { pool, close } = cluster.session(spec);
  try {
    const cp = spec.spec.nodes.find((n) => n.role === 'control-plane')!;
    const nodes = options.workers ? spec.spec.nodes.filter((n) => n === cp || options.workers!.includes(n.name)) : spec.spec.nodes;
    // As apply's phases (src/phases/firewall.ts): the other workers are read too (their addresses go into the firewall's peer set).
    const others = spec.spec.nodes.filter((n) => !nodes.includes(n));
    const t0 = performance.now();
    const surveys = await surveyNodes([...nodes, ...others], pool, spec.spec.network);
    const surveyMs = performance.now() - t0;
    if (!surveyOk(surveys.filter((s) => nodes.includes(s.node)))) throw new Error(`survey failed: ${JSON.stringify(surveys.filter((s) => s.error || !s.verdict?.ok).map((s) => [s.node.name, s.error ?? s.verdict]))}`);
    const steps = buildInstallPlan({ spec, facts: factsByNode(surveys), encryptionKeys: BENCH_KEYS, ...(options.workers ? { workers: options.workers } : {}) });
    const finishedAt = new Map<string, number>();
    const listener = (e: RunEvent) => {
      if (e.type === 'step-finished' || e.type === 'step-skipped' || e.type === 'step-failed') finishedAt.set(e.step.id, e.time);
    };
    const startedAt = Date.now();
    const t1 = performance.now();
    const summary = await runPlan(steps, stepContext({ host: (n) => pool.host(n), paths: cluster.paths, redactor: new Redactor() }), {
      listener,
      retryDelayMs: 200,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
    const runMs = performance.now() - t1;
    if (!summary.ok) throw new Error(`run failed: ${JSON.stringify(summary.failed)} blocked ${summary.blocked.length}`);
    return { summary, steps, surveyMs, runMs, finishedAt, startedAt };
  } finally {
    await close();
  }
}

/**
 * Per-step cost from a sequential run: with concurrency 1 nothing overlaps, so a step's cost is the
 * time from the previous step's end to its own end (its probe, its action, the doubles' process
 * start-up and delays, the SSH round trips and the runner's own gap), in plan order of completion.
 */
export function sequentialCosts(run: TimedRun): Map<string, number> {
  const order = [...run.finishedAt.entries()].sort((a, b) => a[1] - b[1]);
  const costs = new Map<string, number>();
  let previous = run.startedAt;
  for (const [id, t] of order) {
    costs.set(id, t - previous);
    previous = t;
  }
  return costs;
}

/** Longest path through the plan's dependency graph with these step costs (ms), and the path. */
export function criticalPath(steps: Step[], cost: (id: string) => number): { ms: number; path: string[] } {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const memo = new Map<string, { ms: number; path: string[] }>();
  const visit = (id: string): { ms: number; path: string[] } => {
    const hit = memo.get(id);
    if (hit) return hit;
    let best = { ms: 0, path: [] as string[] };
    for (const dep of byId.get(id)!.after) {
      const r = visit(dep);
      if (r.ms > best.ms) best = r;
    }
    const out = { ms: best.ms + cost(id), path: [...best.path, id] };
    memo.set(id, out);
    return out;
  };
  let top = { ms: 0, path: [] as string[] };
  for (const s of steps) {
    const r = visit(s.id);
    if (r.ms > top.ms) top = r;
  }
  return top;
}

/** A step id with its node replaced by its role, so costs measured on one cluster size map onto another. */
export function stepKind(id: string, cp = 'cp1'): string {
  const [node, ...rest] = id.split('/');
  return `${node === cp ? 'cp' : 'worker'}/${rest.join('/')}`;
}

/** Recordings of every host attributed to the sequential step window they fall in: calls per step per command. */
export function callsPerStep(bed: TestBed, run: TimedRun): Map<string, Record<string, number>> {
  const order = [...run.finishedAt.entries()].sort((a, b) => a[1] - b[1]);
  const out = new Map<string, Record<string, number>>();
  const all = bed.hosts.flatMap((h) => h.recordings());
  for (const r of all) {
    // Calls are recorded when they start; the window is (previous end, this end].
    let i = order.findIndex(([, t]) => r.time <= t);
    if (i < 0) i = order.length - 1;
    const id = order[i]![0];
    const row = out.get(id) ?? {};
    row[r.argv[0]!] = (row[r.argv[0]!] ?? 0) + 1;
    out.set(id, row);
  }
  return out;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
