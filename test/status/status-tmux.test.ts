// `hobbykube status` live in an 80x24 tmux pane on a cluster built by apply on sshd test hosts:
// memory per node (sampled over SSH), readiness from the control plane and the workloads table,
// until q. A worker wiped with kubeadm reset meanwhile turns NotReady on screen.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessAvailable, startHosts, type TestBed } from '../hosts/harness.js';
import type { BedSpec } from '../install/support.js';
import { CLI } from '../support/cli.js';
import { editSpec, runCliAsync, writePartialSpec } from '../rerun/support.js';

const ROOT = join(import.meta.dirname, '../..');
const tmuxOk = spawnSync('tmux', ['-V']).status === 0;
const available = tmuxOk && harnessAvailable();

describe.skipIf(!available)('status live in tmux', () => {
  let bed: TestBed;
  let spec: BedSpec;
  const session = `hk-status-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  async function waitScreen(check: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = screen();
      if (typeof check === 'string' ? s.includes(check) : check.test(s)) return s;
      if (Date.now() > end) throw new Error(`timed out waiting for ${String(check)}; screen:\n${s}`);
      await sleep(100);
    }
  }

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    bed = await startHosts([{ name: 'cp1', memTotalMb: 1970 }, { name: 'w1', memTotalMb: 970, cpus: 1 }]);
    spec = writePartialSpec(bed, 2, { cluster: 'home' });
    editSpec(spec.specPath, (s) => {
      s.spec.workloads = [{ kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', memory: '64Mi' }];
    });
    const r = await runCliAsync(['apply', '--yes'], { env: spec.env, cwd: spec.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    spawnSync('tmux', ['kill-session', '-t', session]);
    await bed?.stop();
  });

  it('shows nodes with memory and readiness and the workloads; NotReady appears live; q quits with 0', async () => {
    // A person's terminal: Ink draws nothing live when CI is set (is-in-ci), and CI runs set it.
    const command = `cd ${spec.dir} && env -u CI -u CONTINUOUS_INTEGRATION TERM=xterm-256color HOME=${spec.dir} SSH_AUTH_SOCK= HOBBYKUBE_HOME=${spec.home} node ${CLI} status; echo EXIT=$?; sleep 600`;
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', command);
    let s = await waitScreen(/w1.*Ready/);
    s = await waitScreen(/bot\s+Deployment\s+1\/1/);
    expect(s).toContain('hobbykube status: home');
    expect(s).toContain('q to quit');
    expect(s).toMatch(/cp1.*Ready/);
    expect(s).toMatch(/\d+\/1970 MiB|1970/);
    await bed.hosts[1]!.rootExec('kubeadm reset -f >/dev/null 2>&1');
    s = await waitScreen(/w1.*NotReady/, 15_000);
    tmux('send-keys', '-t', session, 'q');
    s = await waitScreen(/EXIT=\d+/);
    expect(s).toContain('EXIT=0');
    console.log(`[status in tmux]\n${s}`);
  }, 90_000);
});
