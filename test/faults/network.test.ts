// Fault suites 3 and 4 on real sshd test hosts (recording doubles): a node's sshd killed or frozen
// mid-step is reported naming the node while the step itself would still run for ten minutes (so
// the connection's liveness check noticed it: keepalive 2 s x 3, src/ssh/connection.ts; how soon
// is printed here and measured by `npm run bench`, never asserted), and the rerun resumes; a host key changed between runs is refused before any command runs
// there, with the ssh-keygen -R instruction. Two applies at once: exactly one runs, the other is
// refused by the lock; a stale lock (dead pid) is detected and cleared, a live one never is.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runCli } from '../support/cli.js';
import { isMutating, writeBedSpec, type BedSpec } from '../install/support.js';
import { startCli, until } from './support.js';

async function sshdFaultMidStep(signal: 'SIGKILL' | 'SIGSTOP'): Promise<void> {
  const bed = await startHosts([{ name: 'cp1' }, { name: 'w1', memTotalMb: 970 }]);
  try {
    const spec = writeBedSpec(bed);
    const w1 = bed.hosts[1]!;
    // apt-get on w1 takes ten minutes: the fault lands while a step is running there, and only
    // noticing the lost connection can end that step before the test's own time limit.
    w1.setDelay(600_000, 'apt-get');
    const run = startCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    // Recorded as it starts, before its delay: the step is running now.
    expect(await until(() => w1.recordings().some((r) => r.argv[0] === 'apt-get'), 120_000)).toBe(true);
    const t0 = performance.now();
    w1.signalSshd(signal);
    const r = await run.done;
    const failLine = run.lines.find((l) => / w1 {2}FAIL {2}/.test(l.text));
    expect(failLine, run.lines.map((l) => l.text).join('\n')).toBeDefined();
    expect(failLine!.text, 'the cause is the lost connection').toMatch(/connection|keepalive|closed/i);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed: w1: prepare\.\w+/);
    console.log(`[faults] sshd ${signal} on w1 mid-step: reported after ${((failLine!.t - t0) / 1000).toFixed(1)} s: ${failLine!.text}`);
    // Back: the rerun resumes and finishes.
    if (signal === 'SIGSTOP') w1.signalSshd('SIGCONT');
    await w1.restart();
    w1.clearControls();
    const again = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Cluster is up\. \d+ steps run, [1-9]\d* already done/);
  } finally {
    await bed.stop();
  }
}

describe('network faults during apply (sshd test hosts, recording doubles)', requires(hostsMissing()), () => {
  it('an sshd killed mid-step is reported naming the node while the step would still run; the rerun resumes', () => sshdFaultMidStep('SIGKILL'), 600_000);
  it('an sshd frozen (SIGSTOP) mid-step is reported naming the node while the step would still run; the rerun resumes', () => sshdFaultMidStep('SIGSTOP'), 600_000);

  it('a host key changed between runs is refused before any command runs there, with the ssh-keygen -R instruction', async () => {
    const bed = await startHosts([{ name: 'cp1' }, { name: 'w1', memTotalMb: 970 }]);
    try {
      const spec = writeBedSpec(bed);
      expect(runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir }).code).toBe(0);
      const w1 = bed.hosts[1]!;
      await w1.regenerateHostKey();
      for (const h of bed.hosts) h.clearRecordings();
      const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain('w1');
      expect(r.stdout + r.stderr).toMatch(/ssh-keygen -R/);
      expect(r.stdout + r.stderr).toContain('Nothing was changed');
      expect(w1.recordings(), 'no command reached the node with the changed key').toEqual([]);
      expect(bed.hosts[0]!.recordings().filter(isMutating)).toEqual([]);
    } finally {
      await bed.stop();
    }
  });
});

describe('two applies at once on one cluster (sshd test hosts, recording doubles)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  beforeAll(async () => {
    bed = await startHosts([{ name: 'cp1' }, { name: 'w1', memTotalMb: 970 }]);
    spec = writeBedSpec(bed);
  });
  afterAll(async () => bed?.stop());
  const lock = () => join(spec.home, 'test', 'apply.lock');

  it('started together, exactly one runs and the other is refused by the lock with a clear message', async () => {
    const a = startCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    const b = startCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const codes = [ra.code, rb.code].sort();
    expect(codes, `${ra.stderr}\n---\n${rb.stderr}`).toEqual([0, 1]);
    const refused = ra.code === 1 ? ra : rb;
    expect(refused.stderr).toMatch(/another hobbykube \(apply, pid \d+ on .+, since .+\) is working on this cluster; wait for it to finish\. If you are sure it is gone, remove .*apply\.lock/);
    expect(existsSync(lock())).toBe(false);
    const inits = bed.hosts[0]!.recordings().filter((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'init');
    expect(inits).toHaveLength(1);
  });

  it('a second apply while one runs is refused at once and changes nothing', async () => {
    bed.hosts[0]!.setDelay(1000, 'kubectl');
    const a = startCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    expect(await until(() => existsSync(lock()), 120_000)).toBe(true);
    const b = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`pid ${a.child.pid}`);
    expect((await a.done).code).toBe(0);
    bed.hosts[0]!.clearControls();
  });

  it('a stale lock of a dead process is cleared with a note; a live process\'s lock is not', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    writeFileSync(lock(), JSON.stringify({ pid: deadPid, host: hostname(), since: '2026-01-01T00:00:00.000Z', command: 'apply' }));
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`note: cleared a stale lock left by pid ${deadPid} (apply), which is no longer running.`);
    expect(existsSync(lock())).toBe(false);
    // A torn (empty) lock, as left by a process killed between create and write: cleared too.
    writeFileSync(lock(), '');
    expect(runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir }).code).toBe(0);
    // A live owner (this test process) is never cleared.
    writeFileSync(lock(), JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', command: 'apply' }));
    const held = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    expect(held.code).toBe(1);
    expect(held.stderr).toContain(`pid ${process.pid}`);
    expect(existsSync(lock())).toBe(true);
  });
});
