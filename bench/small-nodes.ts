// Row 6: MiB free per node for the source document's cluster (examples/source-cluster.yaml on a
// 970 MiB control plane and two 470 MiB workers), before and after the small-node profile.
//
// "After" is this checkout's capacity check. "Before" is the same check as the last release
// without the profile had it (BEFORE_COMMIT: GKE's reservation ladder, cert-manager's three pods,
// request = limit), extracted with `git archive` into node_modules/.cache/ (outside the type
// check, where its imports still resolve) and run on the same spec and nodes, so the figure is
// measured, not remembered. Without the git history (a tarball), the row
// says so and shows "after" alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadSpec } from '../src/spec/file.js';
import { capacityAddons, checkCapacity, type CapacityNode } from '../src/workloads/capacity.js';

export const BEFORE_COMMIT = '1fe426bf6b182afa115b821873af5840fba33a76';

export const NODES: CapacityNode[] = [
  { name: 'cp1', role: 'control-plane', schedulable: false, memTotalMiB: 970 },
  { name: 'w1', role: 'worker', schedulable: false, memTotalMiB: 470 },
  { name: 'w2', role: 'worker', schedulable: false, memTotalMiB: 470 },
];

export interface SmallNodesResult {
  version: string;
  freeMiB: Record<string, number>;
  problems: number;
  /** allocatable + swap - limits when every pod is at its limit (after only). */
  spareAtLimitsMiB?: Record<string, number>;
}

export interface SmallNodesRow {
  before?: SmallNodesResult;
  beforeNote?: string;
  after: SmallNodesResult;
}

const root = fileURLToPath(new URL('..', import.meta.url));
const specPath = fileURLToPath(new URL('../examples/source-cluster.yaml', import.meta.url));

interface OldCapacity {
  checkCapacity(input: { nodes: CapacityNode[]; workloads: unknown[]; addons?: unknown[] }): { rows: Array<{ name: string; freeMiB: number }>; problems: unknown[] };
}
interface OldAddons {
  addonPods(spec: unknown): unknown[];
}

async function before(): Promise<SmallNodesResult | string> {
  const dir = fileURLToPath(new URL(`../node_modules/.cache/hobbykube-bench/before-${BEFORE_COMMIT.slice(0, 12)}/`, import.meta.url));
  if (!existsSync(`${dir}/src/workloads/capacity.ts`)) {
    mkdirSync(dir, { recursive: true });
    const archive = spawnSync('sh', ['-c', `git -C "$1" archive "$2" src manifests package.json | tar -x -C "$3"`, 'sh', root, BEFORE_COMMIT, dir], { encoding: 'utf8' });
    if (archive.status !== 0) return `no git history for ${BEFORE_COMMIT.slice(0, 12)} (${archive.stderr.trim().split('\n')[0] ?? 'git failed'})`;
  }
  const capacity = (await import(pathToFileURL(`${dir}/src/workloads/capacity.ts`).href)) as OldCapacity;
  const addons = (await import(pathToFileURL(`${dir}/src/workloads/addons.ts`).href)) as OldAddons;
  const spec = loadSpec(specPath);
  const report = capacity.checkCapacity({ nodes: NODES, workloads: spec.spec.workloads, addons: addons.addonPods(spec) });
  return { version: BEFORE_COMMIT.slice(0, 12), freeMiB: Object.fromEntries(report.rows.map((r) => [r.name, r.freeMiB])), problems: report.problems.length };
}

export async function smallNodes(): Promise<SmallNodesRow> {
  const spec = loadSpec(specPath);
  const report = checkCapacity({ nodes: NODES, workloads: spec.spec.workloads, addons: capacityAddons(spec) });
  const head = spawnSync('git', ['-C', root, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || 'this checkout';
  const after: SmallNodesResult = {
    version: head,
    freeMiB: Object.fromEntries(report.rows.map((r) => [r.name, r.freeMiB])),
    problems: report.problems.length,
    spareAtLimitsMiB: Object.fromEntries(report.rows.map((r) => [r.name, r.spareAtLimitsMiB])),
  };
  const b = await before();
  return typeof b === 'string' ? { after, beforeNote: b } : { before: b, after };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await smallNodes(), null, 2));
}
