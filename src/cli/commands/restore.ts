// `hobbykube restore --from DIR [--database NAME] [--check]`: checks a backup against its manifest,
// then loads its database dumps into the running databases after a confirmation naming what is
// overwritten (the phases: src/phases/restore.ts). --check needs no spec and no node.
import { resolve } from 'node:path';
import { checkBackup, runRestore } from '../../phases/restore.js';
import { loadSpec } from '../../spec/file.js';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../errors.js';
import type { Context } from '../context.js';
import { flowBase, liveOrLines } from '../wiring.js';

export async function run(context: Context): Promise<number> {
  const fromOption = context.options.from;
  if (typeof fromOption !== 'string' || fromOption.trim() === '') throw new UsageError('--from DIR is required: the backup directory to restore from (made by hobbykube backup)', 'restore');
  const from = resolve(fromOption);
  if (context.options.check === true) {
    const { stdout, stderr, style } = context;
    const { manifest, checks } = await checkBackup(from, stdout, style);
    const bad = checks.filter((c) => c.problem);
    if (bad.length > 0) {
      stderr.write(`${bad.length} of ${checks.length} files do not match the manifest.\n`);
      return EXIT_FAILURE;
    }
    stdout.write(`${style.green('Verified:')} ${checks.length} files match the manifest (sizes and sha256)${manifest.complete ? '' : '; the backup itself is incomplete'}.\n`);
    return manifest.complete ? EXIT_OK : EXIT_FAILURE;
  }
  const spec = loadSpec(context.specPath);
  return runRestore({
    ...flowBase(context, spec, 'restore', liveOrLines(context)),
    nodes: [],
    from,
    ...(typeof context.options.database === 'string' ? { only: context.options.database } : {}),
  });
}
