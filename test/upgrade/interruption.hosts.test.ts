// `hobbykube upgrade` SIGKILLed at 10 points of a 3-node 1.36 -> 1.37 upgrade (real sshd test
// hosts, recording doubles), then rerun with --yes: each rerun must finish at 1.37 on every node
// with the spec saying so, no step finished before the kill may start again, no node may be left
// cordoned, two workers are never out at once, and a worker is never uncordoned before its own
// `kubeadm upgrade node` and kubelet restart. Commands that change the cluster (kubeadm upgrade
// apply/node, drain, uncordon) ran once, or a second time only when the kill hit their step
// mid-way (kubeadm's upgrade guide: a failed or interrupted upgrade is rerun). Every point gets its
// own fresh bed (installed at 1.36 first), two points at a time, as for apply in
// test/faults/interruption.test.ts. UPGRADE_KILL_POINTS=N runs only the first N points.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal, type JournalEntry } from '../../src/install/journal.js';
import { startHosts } from '../hosts/harness.js';
import { runCliAsync } from '../support/cli.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runKillPoints, startCli, until, type PointResult } from '../faults/support.js';
import { KC, overlappingDrains, SOURCE_HOSTS, specVersion, unfinishedUncordons, upgradeTimeline, writeUpgradeSpec } from './support.js';

/** Chosen from the upgrade plan: both edges of the control plane's steps, each stage of a worker, both workers. */
const POINTS: Array<[string, JournalEntry['outcome']]> = [
  ['cp1/upgrade.kubeadm', 'started'],
  ['cp1/upgrade.plan', 'done'],
  ['cp1/upgrade.apply', 'started'],
  ['cp1/upgrade.apply', 'done'],
  ['cp1/upgrade.kubelet', 'started'],
  ['w1/upgrade.drain', 'started'],
  ['w1/upgrade.node', 'started'],
  ['w1/upgrade.kubelet', 'done'],
  ['w1/upgrade.uncordon', 'started'],
  ['w2/upgrade.uncordon', 'done'],
].slice(0, Number(process.env.UPGRADE_KILL_POINTS ?? 10)) as Array<[string, JournalEntry['outcome']]>;

/** `kubeadm upgrade plan`, a read-only check (readOnly in the plan): run again before `kubeadm upgrade apply` whenever apply has not happened, by design. */
const RECHECKED = new Set(['cp1/upgrade.plan']);

/** The commands that change the cluster, as the timeline names them, and the step that runs each. */
const ACTIONS: Array<[string, string]> = [
  ['cp1 kubeadm upgrade apply', 'cp1/upgrade.apply'],
  ['drain w1', 'w1/upgrade.drain'],
  ['w1 kubeadm upgrade node', 'w1/upgrade.node'],
  ['uncordon w1', 'w1/upgrade.uncordon'],
  ['drain w2', 'w2/upgrade.drain'],
  ['w2 kubeadm upgrade node', 'w2/upgrade.node'],
  ['uncordon w2', 'w2/upgrade.uncordon'],
];

async function killAndResume(step: string, outcome: JournalEntry['outcome']): Promise<PointResult> {
  const bed = await startHosts(SOURCE_HOSTS);
  const problems: string[] = [];
  try {
    const spec = writeUpgradeSpec(bed, { source: false });
    const apply = await runCliAsync(['apply', '--yes', '-f', spec.specPath], { env: spec.env, cwd: spec.dir, timeoutMs: 600_000 });
    if (apply.code !== 0) return { point: `${step} ${outcome}`, killed: false, rerunCode: null, problems: [`apply at 1.36 failed: ${apply.stderr.slice(-800)}`] };
    const journal = join(spec.home, 'source', 'journal.jsonl');
    const startedAt = Date.now();
    const ofUpgrade = () => readJournal(journal).filter((e) => Date.parse(e.time) >= startedAt);
    const first = startCli(['upgrade', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    const hit = await until(() => first.child.exitCode !== null || ofUpgrade().some((e) => e.step === step && e.outcome === outcome), 300_000);
    const killed = hit && first.child.exitCode === null;
    if (killed) first.child.kill('SIGKILL');
    await first.done;
    // After the last step the cluster may already be wholly at 1.37 (with the spec saved or not):
    // a plain rerun would then look for 1.38, which the doubles' pkgs.k8s.io does not publish.
    const to = step === 'w2/upgrade.uncordon' ? ['--to', '1.37'] : [];
    const rerun = startCli(['upgrade', ...to, '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    const r = await rerun.done;
    if (r.code !== 0) problems.push(`rerun exit ${r.code}: ${r.stderr.slice(-800)}`);

    const entries = ofUpgrade();
    const runs = [...new Set(entries.map((e) => e.run))];
    // A rerun with nothing left to run (only the spec to set) starts no plan, so writes no entry.
    if (runs.length !== 2 && !(runs.length === 1 && step === 'w2/upgrade.uncordon')) problems.push(`expected 2 upgrade runs in the journal, got ${runs.length}`);
    const inFirst = (o: JournalEntry['outcome']) => new Set(entries.filter((e) => e.run === runs[0] && e.outcome === o).map((e) => e.step));
    const doneBefore = inFirst('done');
    const cutShort = new Set([...inFirst('started')].filter((s) => !doneBefore.has(s)));
    for (const e of entries.filter((x) => x.run === runs[1] && x.outcome === 'started')) if (doneBefore.has(e.step) && !RECHECKED.has(e.step)) problems.push(`${e.step} finished before the kill and ran again`);
    if (!entries.some((e) => e.run === runs[0] && e.step === step && e.outcome === outcome)) problems.push(`the kill point ${step} ${outcome} never happened`);

    const timeline = upgradeTimeline(bed, startedAt);
    const events = timeline.map((e) => e.what);
    for (const [what, id] of ACTIONS) {
      const n = events.filter((e) => e === what).length;
      const allowed = cutShort.has(id) ? 2 : 1;
      if (n < 1 || n > allowed) problems.push(`${what}: ${n} times (allowed 1${allowed === 2 ? ', or 2 as the kill hit its step' : ''})`);
    }
    problems.push(...overlappingDrains(timeline), ...unfinishedUncordons(timeline));
    if (events.includes('drain cp1')) problems.push('the control plane was drained');

    const nodes = (await bed.hosts[0]!.rootExec(`${KC} get nodes --no-headers`)).stdout;
    if (nodes.includes('SchedulingDisabled')) problems.push(`a node is left cordoned:\n${nodes}`);
    for (const n of ['cp1', 'w1', 'w2']) if (!new RegExp(`^${n} +Ready +\\S+ +\\S+ +v1\\.37\\.1$`, 'm').test(nodes)) problems.push(`${n} is not Ready at v1.37.1:\n${nodes}`);
    if (specVersion(spec) !== '1.37') problems.push(`the spec says ${specVersion(spec)}`);
    if (existsSync(join(spec.home, 'source', 'apply.lock'))) problems.push('lock left behind after the rerun');
    return { point: `${step} ${outcome}`, killed, rerunCode: r.code, problems };
  } finally {
    await bed.stop();
  }
}

describe('upgrade SIGKILLed at 10 points of a 3-node 1.36 -> 1.37 upgrade, rerun each time (sshd test hosts, recording doubles)', requires(hostsMissing()), () => {
  it(`${POINTS.length}/${POINTS.length} reruns finish at 1.37, nothing finished runs twice, no node is left cordoned or uncordoned unfinished`, async () => {
    const { results, report } = await runKillPoints(POINTS, ([s, o]) => killAndResume(s, o));
    expect(results.filter((r) => r.killed), report).toHaveLength(POINTS.length);
    expect(results.filter((r) => r.rerunCode === 0), report).toHaveLength(POINTS.length);
    expect(results.flatMap((r) => r.problems), report).toEqual([]);
  }, 2_400_000); // 10 installs, upgrades and reruns: several minutes alone, much longer beside other runs
});
