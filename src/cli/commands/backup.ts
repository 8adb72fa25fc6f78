// `hobbykube backup [--out DIR] [--latest-dumps]`: everything needed to rebuild the cluster's state,
// copied to this machine over SSH (src/backup/backup.ts), into
// ~/.hobbykube/<cluster>/backups/<timestamp>/ by default.
//
// The files go into a hidden work directory beside the target (`.<name>.partial`, mode 0700, files
// 0600); the manifest (sizes, sha256) is written last, then the directory is renamed into place.
// An interrupted backup therefore leaves at most a `.partial` directory without a manifest, which
// restore refuses and the next backup clears. When a part fails, the rest is still kept, as
// `<name>-partial`, its manifest listing what is missing (exit 1).
import { closeSync, createWriteStream, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import pkg from '../../../package.json' with { type: 'json' };
import { backupSteps, partOfStep, type BackupRecord } from '../../backup/backup.js';
import { MANIFEST_FILE, MANIFEST_FORMAT, sizeText, type Manifest, type ManifestFile } from '../../backup/manifest.js';
import { controlPlaneOf } from '../../install/plan.js';
import { loadSpec } from '../../spec/file.js';
import type { ClusterSpec, NodeSpec } from '../../spec/types.js';
import { ensureDirectory, writeSecretFile } from '../../state/files.js';
import { seconds } from '../../views/plain.js';
import { createHash } from 'node:crypto';
import { runWithViews } from '../apply-flow.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../errors.js';
import { lockCluster } from '../lock.js';
import { openSession } from '../session.js';
import type { Context } from '../context.js';

/** 2026-11-28T094106Z: sortable, and safe in a file name everywhere. */
export function backupStamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '');
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The owner's own file, copied byte for byte (0600), into the record. */
function copyLocal(record: BackupRecord, source: string, path: string, part: ManifestFile['part']): void {
  const bytes = readFileSync(source);
  writeSecretFile(join(record.work, path), bytes);
  record.files.push({ path, part, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), source: resolve(source), takenAt: new Date().toISOString() });
}

/** Where the backup goes; refuses an --out that exists and is not an empty directory. */
function target(context: Context, defaultParent: string, stamp: string): string {
  const out = context.options.out;
  if (typeof out !== 'string') {
    ensureDirectory(defaultParent, 0o700);
    return join(defaultParent, stamp);
  }
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
  ensureDirectory(dirname(dir), 0o700);
  return dir;
}

/** The nodes the backup talks to: the control plane, each dump node, the ingress node. */
function nodesOf(spec: ClusterSpec, ids: string[]): NodeSpec[] {
  const names = new Set([controlPlaneOf(spec).name, ...ids.map((id) => id.split('/')[0]!)]);
  return spec.spec.nodes.filter((n) => names.has(n.name));
}

export async function run(context: Context): Promise<number> {
  const spec = loadSpec(context.specPath);
  const started = Date.now();
  const stamp = backupStamp(new Date(started));
  const session = openSession(context, spec);
  const { stdout, stderr, style } = context;
  const lock = await lockCluster(context, session, 'backup');
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
    stderr.write('\nStopping: no new part starts; copies under way finish. Press Ctrl-C again to quit at once. Nothing is kept.\n');
    controller.abort();
  };
  let work: string | undefined;
  const logPath = join(session.paths.logs, `backup-${stamp}.log`);
  const log = createWriteStream(logPath, { mode: 0o600 });
  process.on('SIGINT', onSigint);
  try {
    const backups = join(session.paths.dir, 'backups');
    const dir = target(context, backups, stamp);
    // Work directories left by interrupted runs are cleared (the lock keeps two backups apart): all
    // of them in the cluster's own backups directory, only this one's name elsewhere.
    if (dirname(dir) === backups) {
      for (const entry of readdirSync(backups)) if (/^\..*\.partial$/.test(entry)) rmSync(join(backups, entry), { recursive: true, force: true });
    }
    work = join(dirname(dir), `.${basename(dir)}.partial`);
    rmSync(work, { recursive: true, force: true });
    ensureDirectory(work, 0o700);
    const record: BackupRecord = { work, files: [], missing: [], notes: [] };

    copyLocal(record, context.specPath, 'hobbykube.yaml', 'spec');
    try {
      copyLocal(record, session.paths.secrets, 'secrets.yaml', 'secrets');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      record.notes.push(`no ${session.paths.secrets}: the cluster has no secret values yet.`);
    }

    const fresh = context.options['latest-dumps'] !== true;
    const steps = backupSteps(spec, record, { fresh, jobSuffix: Math.floor(started / 1000).toString(36) });
    const nodes = nodesOf(spec, steps.map((s) => s.id));
    stdout.write(`Backing up cluster ${spec.metadata.name} into ${dir} (from ${nodes.map((n) => n.name).join(', ')})...\n`);
    const summary = await runWithViews(context, session, steps, {
      title: `hobbykube backup: ${spec.metadata.name}`,
      logPath,
      log,
      signal: controller.signal,
      nodes: nodes.map((n) => ({ name: n.name, role: n.role })),
    });

    if (controller.signal.aborted && summary.failed.length === 0) {
      rmSync(work, { recursive: true, force: true });
      stderr.write('Interrupted: nothing was kept.\n');
      return EXIT_INTERRUPTED;
    }
    for (const failure of summary.failed) record.missing.push({ ...partOfStep(failure.id), reason: failure.message });
    for (const id of summary.blocked) record.missing.push({ ...partOfStep(id), reason: 'not started after another part failed' });

    const complete = summary.ok && record.missing.length === 0;
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      cluster: spec.metadata.name,
      createdAt: new Date(started).toISOString(),
      hobbykube: pkg.version,
      complete,
      files: record.files.sort((a, b) => a.path.localeCompare(b.path)),
      missing: record.missing,
      notes: record.notes,
    };
    writeSecretFile(join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    syncDir(work);
    const final = complete ? dir : `${dir}-partial`;
    renameSync(work, final);
    syncDir(dirname(final));
    work = undefined;

    const total = record.files.reduce((n, f) => n + f.bytes, 0);
    stdout.write('\n');
    for (const f of manifest.files) stdout.write(`  ${f.path.padEnd(44)} ${sizeText(f.bytes).padStart(10)}${f.node ? `  from ${f.node}` : ''}\n`);
    for (const note of record.notes) stdout.write(`${style.yellow('note:')} ${note}\n`);
    for (const failure of summary.failed) {
      stderr.write(`${style.red('failed:')} ${failure.node}: ${failure.message}\n`);
      for (const line of failure.lastLines) stderr.write(`  | ${line}\n`);
    }
    const what = `${manifest.files.length} files, ${sizeText(total)}, in ${seconds(Date.now() - started)}`;
    if (complete) {
      stdout.write(`${style.green('Backup done:')} ${final} (${what}).\n`);
      stdout.write(`Check it any time: hobbykube restore --from ${final} --check. It holds secrets.yaml and the etcd snapshot: keep it private.\n`);
      return EXIT_OK;
    }
    stderr.write(`Backup incomplete: ${final} (${what}); missing: ${record.missing.map((m) => m.what).join('; ')}.\n`);
    return EXIT_FAILURE;
  } finally {
    process.off('SIGINT', onSigint);
    if (work) rmSync(work, { recursive: true, force: true });
    lock.release();
    await new Promise<void>((done) => log.end(done));
    await session.close();
  }
}
