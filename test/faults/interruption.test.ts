// Fault suite 2, interruption: `hobbykube apply` of a fresh 3-node cluster (real sshd test hosts,
// recording doubles) is SIGKILLed at 20 different points of the plan (a step's journal entry
// "started" or "done"), then rerun; each rerun must finish, no step finished before the kill may
// start again, and the non-idempotent actions (kubeadm init, kubeadm join) ran exactly once per
// node, from the doubles' recordings. Every point gets its own fresh bed, two points at a time.
// FAULT_KILL_POINTS=N runs only the first N points (default: all 20).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal, type JournalEntry } from '../../src/install/journal.js';
import { startHosts } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { line, writeBedSpec } from '../install/support.js';
import { runKillPoints, startCli, until, type PointResult } from './support.js';

/** Chosen from the 3-node plan: every phase, both edges of a step, every node. */
const POINTS: Array<[string, JournalEntry['outcome']]> = [
  ['cp1/prepare.swap', 'started'],
  ['w1/prepare.kernel', 'done'],
  ['w2/prepare.swap', 'done'],
  ['w2/prepare.containerd', 'started'],
  ['cp1/prepare.containerd', 'done'],
  ['w1/prepare.kubernetes', 'started'],
  ['cp1/prepare.kubernetes', 'done'],
  ['w2/prepare.sandbox-image', 'started'],
  ['cp1/prepare.resolved', 'started'],
  ['cp1/init', 'started'],
  ['cp1/init', 'done'],
  ['cp1/kubeconfig', 'started'],
  ['cp1/network', 'started'],
  ['cp1/network', 'done'],
  ['w1/join', 'started'],
  ['w2/join', 'done'],
  ['cp1/kubeconfig', 'done'],
  ['cp1/coredns', 'started'],
  ['w2/join', 'started'],
  ['cp1/dns-check', 'started'],
].slice(0, Number(process.env.FAULT_KILL_POINTS ?? 20)) as Array<[string, JournalEntry['outcome']]>;

async function killAndResume(step: string, outcome: JournalEntry['outcome']): Promise<PointResult> {
  const bed = await startHosts([{ name: 'cp1' }, { name: 'w1', memTotalMb: 970 }, { name: 'w2', memTotalMb: 970 }]);
  const problems: string[] = [];
  try {
    const spec = writeBedSpec(bed);
    const journal = join(spec.home, 'test', 'journal.jsonl');
    const first = startCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    const hit = await until(() => first.child.exitCode !== null || readJournal(journal).some((e) => e.step === step && e.outcome === outcome), 300_000);
    const killed = hit && first.child.exitCode === null;
    if (killed) first.child.kill('SIGKILL');
    await first.done;
    const rerun = startCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    const r = await rerun.done;
    if (r.code !== 0) problems.push(`rerun exit ${r.code}: ${r.stderr.slice(-800)}`);

    const entries = readJournal(journal);
    const runs = [...new Set(entries.map((e) => e.run))];
    if (runs.length !== 2) problems.push(`expected 2 runs in the journal, got ${runs.length}`);
    const doneBefore = new Set(entries.filter((e) => e.run === runs[0] && e.outcome === 'done').map((e) => e.step));
    for (const e of entries.filter((x) => x.run === runs[1] && x.outcome === 'started')) if (doneBefore.has(e.step)) problems.push(`${e.step} finished before the kill and ran again`);
    if (!entries.some((e) => e.run === runs[0] && e.step === step && e.outcome === outcome)) problems.push(`the kill point ${step} ${outcome} never happened`);

    const inits = bed.hosts[0]!.recordings().map(line).filter((l) => /^kubeadm init( |$)/.test(l) && !l.startsWith('kubeadm init phase'));
    if (inits.length !== 1) problems.push(`kubeadm init ran ${inits.length} times`);
    for (const w of bed.hosts.slice(1)) {
      const joins = w.recordings().map(line).filter((l) => l.startsWith('kubeadm join'));
      if (joins.length !== 1) problems.push(`kubeadm join ran ${joins.length} times on ${w.name}`);
    }
    const nodes = await bed.hosts[0]!.rootExec('kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name');
    if (nodes.stdout.trim().split('\n').sort().join(' ') !== 'node/cp1 node/w1 node/w2') problems.push(`nodes: ${nodes.stdout.trim()}`);
    if (existsSync(join(spec.home, 'test', 'apply.lock'))) problems.push('lock left behind after the rerun');
    return { point: `${step} ${outcome}`, killed, rerunCode: r.code, problems };
  } finally {
    await bed.stop();
  }
}

describe('apply SIGKILLed at 20 points of a 3-node install, rerun each time (sshd test hosts, recording doubles)', requires(hostsMissing()), () => {
  it(`${POINTS.length}/${POINTS.length} reruns finish and no finished step or non-idempotent action runs twice`, async () => {
    const { results, report } = await runKillPoints(POINTS, ([s, o]) => killAndResume(s, o));
    expect(results.filter((r) => r.killed), report).toHaveLength(POINTS.length);
    expect(results.filter((r) => r.rerunCode === 0), report).toHaveLength(POINTS.length);
    expect(results.flatMap((r) => r.problems), report).toEqual([]);
  }, 1_800_000); // 20 applies and reruns: ~100 s alone, several times that beside other runs
});
