// Row 9: `hobbykube upgrade` 1.36 -> 1.37 of the source document's cluster on the test bed
// (970/470/470 MiB sshd hosts, its four workloads; the recording doubles answer at once, so this
// is hobbykube's own cost, not a real cluster's), and how much of it is waiting.
//
// Measured: the CLI's wall time; before the plan (session, survey, versions, the repository
// check, the drain impacts); the plan run, from the journal. Each step's time splits into its
// probe (the journal's durationMs minus the action) and its action ("started" to "done").
// "Waiting" is the steps whose job is to wait for the cluster: the drains (evictions) and the
// Ready waits; on a real cluster they and kubeadm's own waits inside `kubeadm upgrade apply`
// (static pods restarted one by one) dominate, here the doubles answer at once. A worker is
// "out" from its drain's start to its uncordon's end.
import { join } from 'node:path';
import { readJournal, type JournalEntry } from '../src/install/journal.js';
import { startHosts } from '../test/hosts/harness.js';
import { runCliAsync } from '../test/support/cli.js';
import { SOURCE_HOSTS, specVersion, writeUpgradeSpec } from '../test/upgrade/support.js';

export interface UpgradeRow {
  wallMs: number;
  beforePlanMs: number;
  planMs: number;
  steps: number;
  probesMs: number;
  actionsMs: number;
  waitingMs: number;
  /** Per worker: drain start to uncordon end. */
  outMs: Record<string, number>;
}

const WAITING = /\/upgrade\.(drain|ready)$/;

export async function upgradeBench(): Promise<UpgradeRow> {
  const bed = await startHosts(SOURCE_HOSTS);
  try {
    const spec = writeUpgradeSpec(bed);
    const cli = (args: string[]) => runCliAsync([...args, '-f', spec.specPath], { env: spec.env, cwd: spec.dir, timeoutMs: 600_000 });
    const apply = await cli(['apply', '--yes']);
    if (apply.code !== 0) throw new Error(`apply at 1.36 failed: ${apply.stderr}`);
    const t0 = Date.now();
    const upgrade = await cli(['upgrade', '--yes']);
    const wallMs = Date.now() - t0;
    if (upgrade.code !== 0) throw new Error(`upgrade failed: ${upgrade.stderr}`);
    const entries = readJournal(join(spec.home, 'source', 'journal.jsonl')).filter((e) => Date.parse(e.run) >= t0);
    const at = (e: JournalEntry) => Date.parse(e.time);
    const runStart = Date.parse(entries[0]!.run);
    const planMs = Math.max(...entries.map(at)) - runStart;
    const started = new Map(entries.filter((e) => e.outcome === 'started').map((e) => [e.step, at(e)]));
    let probesMs = 0;
    let actionsMs = 0;
    let waitingMs = 0;
    for (const e of entries) {
      if (e.outcome === 'skipped') continue; // its probe's time is not journalled
      if (e.outcome !== 'done') continue;
      const action = at(e) - started.get(e.step)!;
      actionsMs += action;
      probesMs += (e.durationMs ?? action) - action;
      if (WAITING.test(e.step)) waitingMs += action;
    }
    const outMs: Record<string, number> = {};
    for (const w of ['w1', 'w2']) {
      const drain = started.get(`${w}/upgrade.drain`);
      const uncordon = entries.find((e) => e.step === `${w}/upgrade.uncordon` && e.outcome === 'done');
      if (drain !== undefined && uncordon) outMs[w] = at(uncordon) - drain;
    }
    // Sanity: the upgrade really happened.
    if (specVersion(spec) !== '1.37') throw new Error('the spec does not say 1.37 after the upgrade');
    return { wallMs, beforePlanMs: runStart - t0, planMs, steps: entries.filter((e) => e.outcome === 'done').length, probesMs, actionsMs, waitingMs, outMs };
  } finally {
    await bed.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await upgradeBench();
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
