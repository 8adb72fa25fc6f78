// `hobbykube restore`: which dumps of a checked backup to load where, the confirmation text, and
// the load step. A dump is loaded on the control plane: its bytes go on the standard input of
// `gzip -dc | kubectl exec -i <db>-0 -c mysql -- bash -c LOAD_SCRIPT`, so the mysql client in the
// database's own pod reads it (the password from the pod's environment, never a command line).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { controlPlaneOf } from '../install/plan.js';
import { StepFailure, runAction, type LineSink, type Step, type StepContext } from '../install/step.js';
import type { ClusterSpec, DatabaseWorkload } from '../spec/types.js';
import { type FileCheck, type Manifest, sizeText } from './manifest.js';
import { databasePodScript, loadDumpScript } from './scripts.js';

export interface RestoreItem {
  workload: DatabaseWorkload;
  check: FileCheck;
}

/** The dumps to load, or a message saying why not (a named database missing, a damaged dump ...). */
export function chooseDumps(spec: ClusterSpec, manifest: Manifest, checks: FileCheck[], only?: string): { items: RestoreItem[]; problems: string[] } {
  const databases = spec.spec.workloads.filter((w): w is DatabaseWorkload => w.kind === 'database');
  const dumps = checks.filter((c) => c.file.part === 'database-dump');
  const problems: string[] = [];
  if (only !== undefined) {
    if (!databases.some((d) => d.name === only)) {
      problems.push(`--database ${JSON.stringify(only)}: no database workload of that name in the spec; expected one of ${databases.map((d) => d.name).join(', ') || '(none)'}`);
      return { items: [], problems };
    }
    if (!dumps.some((c) => c.file.database === only)) {
      problems.push(`the backup has no dump of ${only}; it has ${dumps.map((c) => c.file.database).join(', ') || 'no database dumps'}${manifest.missing.some((m) => m.part === 'database-dump') ? ` (missing from it: ${manifest.missing.filter((m) => m.part === 'database-dump').map((m) => m.what).join('; ')})` : ''}`);
      return { items: [], problems };
    }
  }
  const chosen = dumps.filter((c) => only === undefined || c.file.database === only);
  if (chosen.length === 0) problems.push('the backup holds no database dumps');
  const items: RestoreItem[] = [];
  for (const check of chosen) {
    const workload = databases.find((d) => d.name === check.file.database);
    if (!workload) {
      problems.push(`the backup's dump of ${check.file.database} has no database workload of that name in the spec (databases there: ${databases.map((d) => d.name).join(', ') || 'none'}); add it and apply, or restore only the others with --database`);
      continue;
    }
    if (check.problem) {
      problems.push(`${check.file.path}: ${check.problem}; not loading it`);
      continue;
    }
    items.push({ workload, check });
  }
  return { items, problems };
}

/** What the owner is asked to confirm: exactly what is overwritten where. */
export function confirmationLines(spec: ClusterSpec, manifest: Manifest, items: RestoreItem[], from: string): string[] {
  const lines = [`Restore from ${from} (cluster ${manifest.cluster}, backup of ${manifest.createdAt}) into cluster ${spec.metadata.name}:`];
  if (manifest.cluster !== spec.metadata.name) lines.push(`  note: the backup is of cluster ${manifest.cluster}, the spec is cluster ${spec.metadata.name}.`);
  for (const { workload, check } of items) {
    const inside = check.databases ?? [];
    lines.push(
      `  - database ${workload.name} on ${workload.node}: load its dump of ${check.file.takenAt ?? 'unknown time'} (${sizeText(check.file.bytes)}).`,
      inside.length > 0
        ? `    Overwritten: ${inside.join(', ')}: ${inside.length === 1 ? 'that database is' : 'those databases are'} dropped and recreated from the dump, losing every change since then. Other databases on the server are left alone.`
        : '    The dump holds no databases besides MySQL\'s own: nothing is changed.',
    );
  }
  return lines;
}

/** Is the database's pod running? Its phase, or why not. */
export async function databaseRunning(ctx: StepContext, spec: ClusterSpec, workload: DatabaseWorkload): Promise<string | undefined> {
  const cp = await ctx.host(controlPlaneOf(spec).name);
  const result = await cp.run(databasePodScript(workload.name), { sudo: true, timeoutMs: 60_000 });
  const [phase = '', node = ''] = result.stdout.trim().split(/\s+/);
  if (phase === 'Running') return undefined;
  return phase === '' ? `its pod ${workload.name}-0 does not exist` : `its pod ${workload.name}-0 is ${phase}${node ? ` on ${node}` : ''}`;
}

export function restoreStep(spec: ClusterSpec, item: RestoreItem, from: string): Step {
  const cp = controlPlaneOf(spec).name;
  const { workload, check } = item;
  const load = loadDumpScript(workload.name);
  return {
    id: `${workload.node}/restore-${workload.name}`,
    node: workload.node,
    title: `Load the dump of ${check.file.takenAt ?? check.file.path} into ${workload.name} (mysql in its pod, from ${cp})`,
    after: [],
    timeoutMs: 60 * 60_000,
    retry: false,
    artifacts: [{ name: 'load.sh', content: `${load}# stdin: ${check.file.path}\n` }],
    probe: async () => ({ done: false, reason: '' }),
    async run(ctx: StepContext, output: LineSink) {
      const why = await databaseRunning(ctx, spec, workload);
      if (why) throw new StepFailure(`${workload.name} is not running (${why}): apply the spec first (hobbykube apply), then restore`);
      const bytes = readFileSync(join(from, check.file.path));
      output(`sending ${sizeText(bytes.length)} (compressed) to the mysql client in ${workload.name}-0`, 'stdout');
      const host = await ctx.host(cp);
      await runAction(ctx, host, load, output, { stdin: bytes, timeoutMs: 60 * 60_000, failure: (code) => `loading the dump failed with exit code ${code}` });
    },
  };
}
