// `hobbykube backup [--out DIR] [--latest-dumps]`: everything needed to rebuild the cluster's state,
// copied to this machine over SSH into ~/.hobbykube/<cluster>/backups/<timestamp>/ by default (the
// phases: src/phases/backup.ts). Here only what the command line decides: where it goes (an --out
// that holds something is never overwritten) and how its progress is shown.
import { readdirSync, rmdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pkg from '../../../package.json' with { type: 'json' };
import { backupStamp, runBackup } from '../../phases/backup.js';
import { loadSpec } from '../../spec/file.js';
import { clusterPaths } from '../../state/paths.js';
import { UsageError } from '../errors.js';
import type { Context } from '../context.js';
import { flowBase, liveOrLines } from '../wiring.js';

/** The backup's directory: --out (which must not exist, or be empty), else a new one under the state directory. */
function targetOf(context: Context, backups: string, stamp: string): string {
  const out = context.options.out;
  if (typeof out !== 'string') return join(backups, stamp);
  if (out.trim() === '') throw new UsageError('--out: got an empty path, expected a directory to create (it must not exist yet, or be empty)', 'backup');
  const dir = resolve(out);
  try {
    const st = statSync(dir);
    if (!st.isDirectory() || readdirSync(dir).length > 0) {
      throw new UsageError(`--out ${JSON.stringify(out)}: ${st.isDirectory() ? 'is a directory that is not empty' : 'is a file'}, expected a directory to create (or an empty one); nothing is overwritten`, 'backup');
    }
    rmdirSync(dir); // empty: the finished backup takes its place
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return dir;
}

export async function run(context: Context): Promise<number> {
  const spec = loadSpec(context.specPath);
  const startedAt = Date.now();
  const target = targetOf(context, join(clusterPaths(spec.metadata.name, context.env).dir, 'backups'), backupStamp(new Date(startedAt)));
  return runBackup({
    ...flowBase(context, spec, 'backup', liveOrLines(context)),
    nodes: [],
    specPath: context.specPath,
    target,
    fresh: context.options['latest-dumps'] !== true,
    version: pkg.version,
    startedAt,
  });
}
