// `restore --from DIR [--database NAME]`: load a backup's database dumps into the running
// databases (src/backup/restore.ts). The phases:
//
//   check the backup           every file against the manifest, each dump on its own
//   choose the dumps           a damaged or truncated one is refused with the reason
//   say what is overwritten, and confirm
//   open the session, lock the cluster, start the log file, catch Ctrl-C
//   run the plan               one load per database, through mysql in its pod
//   report
//
// `restore --check` (no spec, no node) is the first phase alone: src/cli/commands/restore.ts.
import type { FileCheck, Manifest } from '../backup/manifest.js';
import { BackupError, sizeText, verifyBackup } from '../backup/manifest.js';
import { chooseDumps, confirmationLines, restoreStep, type RestoreItem } from '../backup/restore.js';
import { CommandError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_USAGE } from '../exit.js';
import { controlPlaneOf } from '../install/plan.js';
import type { Style } from '../text/style.js';
import { confirmOrStop } from './confirm.js';
import type { FlowState, Output } from './flow.js';
import { catchInterruptsSaying } from './interrupts.js';
import { lockCluster } from './lock.js';
import { openSession } from './open-session.js';
import { need, runPhases, type Phase } from './phase.js';
import { writeFailures } from './report.js';
import { startRunLog } from './run-log.js';
import { runSteps } from './run-steps.js';

export interface RestoreState extends FlowState {
  /** The backup directory. */
  readonly from: string;
  /** Only this database workload. */
  readonly only?: string;
  manifest?: Manifest;
  checks?: FileCheck[];
  items?: RestoreItem[];
}

/** Checks a backup and prints each file's verdict; the manifest and the checks. */
export async function checkBackup(from: string, out: Output, style: Style): Promise<{ manifest: Manifest; checks: FileCheck[] }> {
  let verified;
  try {
    verified = await verifyBackup(from);
  } catch (error) {
    if (error instanceof BackupError) throw new CommandError(`${error.message}; nothing was loaded`);
    throw error;
  }
  const { manifest, checks } = verified;
  out.write(`Backup ${from}: cluster ${manifest.cluster}, made ${manifest.createdAt}${manifest.complete ? '' : ', INCOMPLETE'}.\n`);
  for (const c of checks) {
    const mark = c.problem ? style.red('BAD ') : style.green('ok  ');
    out.write(`  ${mark} ${c.file.path.padEnd(44)} ${sizeText(c.file.bytes).padStart(10)}${c.problem ? `  ${c.problem}` : ''}\n`);
  }
  for (const m of manifest.missing) out.write(`  ${style.yellow('none')} ${m.what}: ${m.reason}\n`);
  return { manifest, checks };
}

const check: Phase<RestoreState> = {
  title: 'check the backup',
  async run(state) {
    const { manifest, checks } = await checkBackup(state.from, state.operator.out, state.operator.style);
    state.manifest = manifest;
    state.checks = checks;
  },
};

const choose: Phase<RestoreState> = {
  title: 'choose the dumps',
  run(state) {
    const manifest = need(state.manifest, 'a manifest', this.title);
    const { items, problems } = chooseDumps(state.spec, manifest, need(state.checks, 'the checks', this.title), state.only);
    if (problems.length === 0) {
      state.items = items;
      return;
    }
    for (const p of problems) state.operator.err.write(`${state.operator.style.red('error:')} ${p}\n`);
    state.operator.err.write('Nothing was loaded.\n');
    state.exitCode = state.only !== undefined && problems[0]!.startsWith('--database') ? EXIT_USAGE : EXIT_FAILURE;
  },
};

const confirmRestore: Phase<RestoreState> = {
  title: 'say what is overwritten, and confirm',
  async run(state) {
    const items = need(state.items, 'the dumps', this.title);
    state.operator.out.write(`${confirmationLines(state.spec, need(state.manifest, 'a manifest', this.title), items, state.from).join('\n')}\n`);
    const question = `Overwrite ${items.map((i) => i.workload.name).join(', ')} with the backup's ${items.length === 1 ? 'dump' : 'dumps'}?`;
    if (!(await confirmOrStop(state, question, 'Not restored. Nothing was changed.'))) return;
    const cp = controlPlaneOf(state.spec);
    state.nodes = state.spec.spec.nodes.filter((n) => n === cp || items.some((i) => i.workload.node === n.name));
  },
};

const planRestore: Phase<RestoreState> = {
  title: 'plan the restore',
  run(state) {
    state.steps = need(state.items, 'the dumps', this.title).map((i) => restoreStep(state.spec, i, state.from));
  },
};

const reportRestore: Phase<RestoreState> = {
  title: 'report',
  run(state) {
    const summary = need(state.summary, 'a run summary', this.title);
    const { out, err, style } = state.operator;
    if (summary.ok) {
      out.write(`${style.green('Restored:')} ${need(state.items, 'the dumps', this.title).map((i) => `${i.workload.name} (dump of ${i.check.file.takenAt ?? i.check.file.path})`).join(', ')}.\n`);
      if (state.log) out.write(`Log: ${state.log.path}\n`);
      return;
    }
    writeFailures(state.operator, summary, false);
    if (state.signal?.aborted && summary.failed.length === 0) {
      err.write('Interrupted.\n');
      state.exitCode = EXIT_INTERRUPTED;
      return;
    }
    if (state.log) err.write(`Full log: ${state.log.path}\n`);
    state.exitCode = EXIT_FAILURE;
  },
};

export const RESTORE_PHASES: ReadonlyArray<Phase<RestoreState>> = [
  check,
  choose,
  confirmRestore,
  openSession,
  lockCluster,
  startRunLog,
  catchInterruptsSaying(() => 'Stopping after the load under way (a half-loaded database is worse than a finished one).'),
  planRestore,
  runSteps,
  reportRestore,
];

export function runRestore(state: RestoreState): Promise<number> {
  return runPhases(RESTORE_PHASES, state);
}
