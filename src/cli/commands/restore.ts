// `hobbykube restore --from DIR [--database NAME] [--check]`: checks a backup against its manifest,
// then loads its database dumps into the running databases after a confirmation naming what is
// overwritten (src/backup/restore.ts). With --check, only the check (no spec or node needed).
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { sizeText, verifyBackup, BackupError } from '../../backup/manifest.js';
import { chooseDumps, confirmationLines, restoreStep } from '../../backup/restore.js';
import { controlPlaneOf } from '../../install/plan.js';
import { loadSpec } from '../../spec/file.js';
import { runWithViews } from '../apply-flow.js';
import { backupStamp } from './backup.js';
import { confirm } from '../confirm.js';
import { CommandError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, UsageError } from '../errors.js';
import { lockCluster } from '../lock.js';
import { openSession } from '../session.js';
import type { Context } from '../context.js';

export async function run(context: Context): Promise<number> {
  const { stdout, stderr, style } = context;
  const fromOption = context.options.from;
  if (typeof fromOption !== 'string' || fromOption.trim() === '') throw new UsageError('--from DIR is required: the backup directory to restore from (made by hobbykube backup)', 'restore');
  const from = resolve(fromOption);
  const only = typeof context.options.database === 'string' ? context.options.database : undefined;

  let verified;
  try {
    verified = await verifyBackup(from);
  } catch (error) {
    if (error instanceof BackupError) throw new CommandError(`${error.message}; nothing was loaded`);
    throw error;
  }
  const { manifest, checks } = verified;
  stdout.write(`Backup ${from}: cluster ${manifest.cluster}, made ${manifest.createdAt}${manifest.complete ? '' : ', INCOMPLETE'}.\n`);
  for (const c of checks) {
    const mark = c.problem ? style.red('BAD ') : style.green('ok  ');
    stdout.write(`  ${mark} ${c.file.path.padEnd(44)} ${sizeText(c.file.bytes).padStart(10)}${c.problem ? `  ${c.problem}` : ''}\n`);
  }
  for (const m of manifest.missing) stdout.write(`  ${style.yellow('none')} ${m.what}: ${m.reason}\n`);

  if (context.options.check === true) {
    const bad = checks.filter((c) => c.problem);
    if (bad.length === 0) {
      stdout.write(`${style.green('Verified:')} ${checks.length} files match the manifest (sizes and sha256)${manifest.complete ? '' : '; the backup itself is incomplete'}.\n`);
      return manifest.complete ? EXIT_OK : EXIT_FAILURE;
    }
    stderr.write(`${bad.length} of ${checks.length} files do not match the manifest.\n`);
    return EXIT_FAILURE;
  }

  const spec = loadSpec(context.specPath);
  const { items, problems } = chooseDumps(spec, manifest, checks, only);
  if (problems.length > 0) {
    for (const p of problems) stderr.write(`${style.red('error:')} ${p}\n`);
    stderr.write('Nothing was loaded.\n');
    return only !== undefined && problems[0]!.startsWith('--database') ? EXIT_USAGE : EXIT_FAILURE;
  }
  stdout.write(`${confirmationLines(spec, manifest, items, from).join('\n')}\n`);
  const question = `Overwrite ${items.map((i) => i.workload.name).join(', ')} with the backup's ${items.length === 1 ? 'dump' : 'dumps'}?`;
  if (!(await confirm(context, question))) {
    stderr.write('Not restored. Nothing was changed.\n');
    return EXIT_FAILURE;
  }

  const session = openSession(context, spec);
  const lock = await lockCluster(context, session, 'restore');
  const logPath = join(session.paths.logs, `restore-${backupStamp(new Date())}.log`);
  const log = createWriteStream(logPath, { mode: 0o600 });
  const controller = new AbortController();
  const onSigint = () => {
    stderr.write('\nStopping after the load under way (a half-loaded database is worse than a finished one).\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const cp = controlPlaneOf(spec);
    const nodes = spec.spec.nodes.filter((n) => n === cp || items.some((i) => i.workload.node === n.name));
    const summary = await runWithViews(context, session, items.map((i) => restoreStep(spec, i, from)), {
      title: `hobbykube restore: ${spec.metadata.name}`,
      logPath,
      log,
      signal: controller.signal,
      nodes: nodes.map((n) => ({ name: n.name, role: n.role })),
    });
    if (summary.ok) {
      stdout.write(`${style.green('Restored:')} ${items.map((i) => `${i.workload.name} (dump of ${i.check.file.takenAt ?? i.check.file.path})`).join(', ')}.\nLog: ${logPath}\n`);
      return EXIT_OK;
    }
    for (const failure of summary.failed) {
      stderr.write(`${style.red('failed:')} ${failure.node}: ${failure.message}\n`);
      for (const line of failure.lastLines) stderr.write(`  | ${line}\n`);
    }
    if (controller.signal.aborted && summary.failed.length === 0) {
      stderr.write('Interrupted.\n');
      return EXIT_INTERRUPTED;
    }
    stderr.write(`Full log: ${logPath}\n`);
    return EXIT_FAILURE;
  } finally {
    process.off('SIGINT', onSigint);
    lock.release();
    await new Promise<void>((done) => log.end(done));
    await session.close();
  }
}
