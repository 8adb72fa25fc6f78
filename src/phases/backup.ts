// `backup`: everything needed to rebuild the cluster's state, copied to this machine over SSH
// (the steps: src/backup/backup.ts). The phases:
//
//   open the session, lock the cluster, start the log file
//   catch Ctrl-C               running copies finish, nothing is kept
//   prepare the work directory  `.<name>.partial` beside the target (0700), the owner's own files
//                              (the spec, secrets.yaml) copied in; removed again unless finished
//   plan the backup            a step per database (fresh dump, copy), the etcd snapshot, acme.json
//   run the plan               the live view or plain lines, memory watched, the log
//   write the backup           the manifest (sizes, sha256) last, then the rename: `<name>`, or
//                              `<name>-partial` when a part failed (exit 1)
//
// An interrupted backup (Ctrl-C, a killed process) therefore never leaves a directory that looks
// finished: at most a `.partial` one without a manifest, which the next backup clears.
import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { backupSteps, partOfStep, type BackupRecord } from '../backup/backup.js';
import { MANIFEST_FILE, MANIFEST_FORMAT, sizeText, type Manifest, type ManifestFile } from '../backup/manifest.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED } from '../exit.js';
import { controlPlaneOf } from '../install/plan.js';
import { ensureDirectory, writeSecretFile } from '../state/files.js';
import { formatDuration } from '../text/duration.js';
import type { FlowState } from './flow.js';
import { catchInterruptsSaying } from './interrupts.js';
import { lockCluster } from './lock.js';
import { openSession } from './open-session.js';
import { need, runPhases, type Phase } from './phase.js';
import { writeFailures } from './report.js';
import { startRunLog } from './run-log.js';
import { runSteps } from './run-steps.js';

export interface BackupState extends FlowState {
  readonly specPath: string;
  /** The finished backup's directory (the command layer checked it does not exist, or is empty). */
  readonly target: string;
  /** Take fresh dumps (default), or copy the newest scheduled ones (--latest-dumps). */
  readonly fresh: boolean;
  /** The hobbykube version, for the manifest. */
  readonly version: string;
  readonly startedAt: number;
  record?: BackupRecord;
  /** Where the backup ended up. */
  finished?: string;
}

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

const workDir = (target: string) => join(dirname(target), `.${basename(target)}.partial`);

const prepareWork: Phase<BackupState> = {
  title: 'prepare the work directory',
  run(state) {
    const session = need(state.session, 'a session', this.title);
    const parent = dirname(state.target);
    ensureDirectory(parent, 0o700);
    // Work directories left by interrupted runs are cleared (the lock keeps two backups apart): all
    // of them in the cluster's own backups directory, only this one's name anywhere else.
    if (parent === join(session.paths.dir, 'backups')) {
      for (const entry of readdirSync(parent)) if (/^\..*\.partial$/.test(entry)) rmSync(join(parent, entry), { recursive: true, force: true });
    }
    const work = workDir(state.target);
    rmSync(work, { recursive: true, force: true });
    ensureDirectory(work, 0o700);
    const record: BackupRecord = { work, files: [], missing: [], notes: [] };
    state.record = record;
    copyLocal(record, state.specPath, 'hobbykube.yaml', 'spec');
    try {
      copyLocal(record, session.paths.secrets, 'secrets.yaml', 'secrets');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      record.notes.push(`no ${session.paths.secrets}: the cluster has no secret values yet.`);
    }
  },
  cleanup(state) {
    // Not finished (an error, Ctrl-C): nothing of it is kept.
    if (state.finished === undefined) rmSync(workDir(state.target), { recursive: true, force: true });
  },
};

const planBackup: Phase<BackupState> = {
  title: 'plan the backup',
  run(state) {
    const record = need(state.record, 'a work directory', this.title);
    state.steps = backupSteps(state.spec, record, { fresh: state.fresh, jobSuffix: Math.floor(state.startedAt / 1000).toString(36) });
    const names = new Set([controlPlaneOf(state.spec).name, ...state.steps.map((s) => s.id.split('/')[0]!)]);
    state.nodes = state.spec.spec.nodes.filter((n) => names.has(n.name));
    state.operator.out.write(`Backing up cluster ${state.spec.metadata.name} into ${state.target} (from ${state.nodes.map((n) => n.name).join(', ')})...\n`);
  },
};

const writeBackup: Phase<BackupState> = {
  title: 'write the backup',
  run(state) {
    const summary = need(state.summary, 'a run summary', this.title);
    const record = need(state.record, 'a work directory', this.title);
    const { operator } = state;
    const { out, err, style } = operator;
    if (state.signal?.aborted && summary.failed.length === 0) {
      err.write('Interrupted: nothing was kept.\n');
      state.exitCode = EXIT_INTERRUPTED;
      return;
    }
    for (const failure of summary.failed) record.missing.push({ ...partOfStep(failure.id), reason: failure.message });
    for (const id of summary.blocked) record.missing.push({ ...partOfStep(id), reason: 'not started after another part failed' });
    const complete = summary.ok && record.missing.length === 0;
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      cluster: state.spec.metadata.name,
      createdAt: new Date(state.startedAt).toISOString(),
      hobbykube: state.version,
      complete,
      files: record.files.sort((a, b) => a.path.localeCompare(b.path)),
      missing: record.missing,
      notes: record.notes,
    };
    writeSecretFile(join(record.work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    syncDir(record.work);
    const final = complete ? state.target : `${state.target}-partial`;
    renameSync(record.work, final);
    syncDir(dirname(final));
    state.finished = final;

    const total = manifest.files.reduce((n, f) => n + f.bytes, 0);
    out.write('\n');
    for (const f of manifest.files) out.write(`  ${f.path.padEnd(44)} ${sizeText(f.bytes).padStart(10)}${f.node ? `  from ${f.node}` : ''}\n`);
    for (const note of record.notes) out.write(`${style.yellow('note:')} ${note}\n`);
    writeFailures(operator, summary, false);
    const what = `${manifest.files.length} files, ${sizeText(total)}, in ${formatDuration(Date.now() - state.startedAt)}`;
    if (complete) {
      out.write(`${style.green('Backup done:')} ${final} (${what}).\n`);
      out.write(`Check it any time: hobbykube restore --from ${final} --check. It holds secrets.yaml and the etcd snapshot: keep it private.\n`);
      return;
    }
    err.write(`Backup incomplete: ${final} (${what}); missing: ${record.missing.map((m) => m.what).join('; ')}.\n`);
    state.exitCode = EXIT_FAILURE;
  },
};

export const BACKUP_PHASES: ReadonlyArray<Phase<BackupState>> = [
  openSession,
  lockCluster,
  startRunLog,
  catchInterruptsSaying(() => 'Stopping: no new part starts; copies under way finish. Press Ctrl-C again to quit at once. Nothing is kept.'),
  prepareWork,
  planBackup,
  runSteps,
  writeBackup,
];

export function runBackup(state: BackupState): Promise<number> {
  return runPhases(BACKUP_PHASES, state);
}
