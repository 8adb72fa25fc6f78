// Interrupted installs resume: the CLI is SIGKILLed at several points of a 3-node apply on real
// sshd test hosts (recording doubles stand in for apt, kubeadm, kubectl, systemctl), rerun each
// time, and no step that had finished runs again. A failing step names node, step, exit code
// and its last output lines.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal, type JournalEntry } from '../../src/install/journal.js';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runCli, spawnCli } from '../support/cli.js';
import { line, writeBedSpec, type BedSpec } from './support.js';

/** Starts apply and SIGKILLs it as soon as the journal records `outcome` for `step`. */
async function applyKilledAt(spec: BedSpec, step: string, outcome: JournalEntry['outcome']): Promise<{ killed: boolean }> {
  const journal = join(spec.home, 'test', 'journal.jsonl');
  const before = readJournal(journal).length;
  const child = spawnCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, stdin: 'ignore', output: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let killed = false;
  const deadline = Date.now() + 300_000; // a bound for a hung run only; a loaded machine is slow
  while (Date.now() < deadline && child.exitCode === null) {
    const fresh = readJournal(journal).slice(before);
    if (fresh.some((e) => e.step === step && e.outcome === outcome)) {
      child.kill('SIGKILL');
      killed = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await exited;
  return { killed };
}

describe('interrupted apply on sshd test hosts (recording doubles)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  beforeAll(async () => {
    bed = await startHosts([{ name: 'cp1' }, { name: 'w1', memTotalMb: 970 }, { name: 'w2', memTotalMb: 970 }]);
    spec = writeBedSpec(bed);
  });
  afterAll(async () => bed?.stop());

  it('resumes after SIGKILL at each of several points, never redoing a finished step', async () => {
    const points: Array<[string, JournalEntry['outcome']]> = [
      ['w1/prepare.kernel', 'done'],
      ['cp1/prepare.containerd', 'started'],
      ['w2/prepare.kubernetes', 'done'],
      ['cp1/init', 'started'],
      ['cp1/init', 'done'],
      ['w1/join', 'done'],
      ['cp1/network', 'done'],
    ];
    const journal = join(spec.home, 'test', 'journal.jsonl');
    let kills = 0;
    let staleLocks = 0;
    for (const [step, outcome] of points) {
      const { killed } = await applyKilledAt(spec, step, outcome);
      if (killed) kills += 1;
      // A killed apply leaves its lock behind; the next run must clear it, not refuse.
      if (existsSync(join(spec.home, 'test', 'apply.lock'))) staleLocks += 1;
    }
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(staleLocks).toBeGreaterThanOrEqual(5);
    const final = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    expect(final.code).toBe(0);

    // Per run: a step finished in an earlier run never started again in a later one.
    const entries = readJournal(journal);
    const runs = [...new Set(entries.map((e) => e.run))];
    expect(runs.length).toBe(points.length + 1);
    const finished = new Set<string>();
    for (const run of runs) {
      const inRun = entries.filter((e) => e.run === run);
      for (const e of inRun) if (e.outcome === 'started') expect(finished.has(e.step), `${e.step} ran again in run ${run}`).toBe(false);
      for (const e of inRun) if (e.outcome === 'done') finished.add(e.step);
    }
    // Non-idempotent actions happened exactly once on the hosts.
    const cp = bed.hosts[0]!.recordings().map(line);
    expect(cp.filter((l) => l === 'kubeadm init --config /etc/hobbykube/kubeadm-init.yaml')).toHaveLength(1);
    for (const w of bed.hosts.slice(1)) {
      expect(w.recordings().map(line).filter((l) => l.startsWith('kubeadm join'))).toHaveLength(1);
    }
    const nodes = await bed.hosts[0]!.rootExec('kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name');
    expect(nodes.stdout.trim().split('\n').sort()).toEqual(['node/cp1', 'node/w1', 'node/w2']);
    expect(existsSync(join(spec.home, 'test', 'apply.lock'))).toBe(false);
  });
});

describe('a failing step on an sshd test host (recording doubles)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  beforeAll(async () => {
    bed = await startHosts([{ name: 'cp1' }, { name: 'w1', memTotalMb: 970 }]);
    spec = writeBedSpec(bed);
  });
  afterAll(async () => bed?.stop());

  it('names the node, the step, the exit code and the last output lines, and stops what depends on it', async () => {
    bed.hosts[1]!.injectFault({
      command: 'apt-get',
      match: 'install',
      exitCode: 100,
      stderr: 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (unattended-upgr)',
      times: 5,
    });
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    expect(r.code).toBe(1);
    // ca-certificates, curl and gpg are already on the test hosts, so containerd is the first install.
    expect(r.stderr).toMatch(/failed: w1: prepare\.containerd: exit code 100\n/);
    expect(r.stderr).toContain('  | E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (unattended-upgr)');
    expect(r.stderr).toContain('Rerun `hobbykube apply` to resume: finished steps are skipped.');
    expect(r.stdout).toMatch(/w1 {2}retry Install containerd/);
    expect(r.stdout).toMatch(/w1 {2}not run {2}Join w1 to the cluster/);
    const log = readFileSync(/Full log: (\S+)/.exec(r.stderr)![1]!, 'utf8');
    expect(log).toContain('FAIL  Install containerd');
    // The control plane's steps that had started when w1 failed ran to their end: none was cut
    // off or failed, and its first step (started with w1's, at once) finished. How far it got
    // before the runner stopped starting new steps depends on the machine's speed, so that is
    // not asserted.
    const cpEntries = readJournal(join(spec.home, 'test', 'journal.jsonl')).filter((e) => e.node === 'cp1');
    const started = new Set(cpEntries.filter((e) => e.outcome === 'started').map((e) => e.step));
    const ended = new Set(cpEntries.filter((e) => e.outcome === 'done' || e.outcome === 'skipped').map((e) => e.step));
    expect(started.size).toBeGreaterThan(0);
    expect([...started].filter((step) => !ended.has(step))).toEqual([]);
    expect(cpEntries.filter((e) => e.outcome === 'failed')).toEqual([]);
    expect(ended.has('cp1/prepare.swap')).toBe(true);
    // Fixed: the rerun finishes.
    bed.hosts[1]!.clearControls();
    const again = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    expect(again.code).toBe(0);
  });
});
