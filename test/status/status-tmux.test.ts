// `hobbykube status` live in an 80x24 tmux pane on a cluster built by apply on sshd test hosts:
// memory per node (sampled over SSH), readiness from the control plane and the workloads table,
// until q. A worker wiped with kubeadm reset meanwhile turns NotReady on screen.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires, tmuxMissing } from '../support/requires.js';
import type { BedSpec } from '../install/support.js';
import { CLI } from '../support/cli.js';
import { startPane, type Pane } from '../support/tmux.js';
import { editSpec, runCliAsync, writePartialSpec } from '../rerun/support.js';

const ROOT = join(import.meta.dirname, '../..');
describe('status live in tmux', requires(tmuxMissing(), hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let pane: Pane;
  const waitScreen = (check: string | RegExp, timeoutMs = 120_000) => pane.waitScreen(check, timeoutMs);

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    bed = await startHosts([{ name: 'cp1', memTotalMb: 1970 }, { name: 'w1', memTotalMb: 970, cpus: 1 }]);
    spec = writePartialSpec(bed, 2, { cluster: 'home' });
    editSpec(spec.specPath, (s) => {
      s.spec.workloads = [{ kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', memory: '64Mi' }];
    });
    const r = await runCliAsync(['apply', '--yes'], { env: spec.env, cwd: spec.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  afterAll(async () => {
    pane?.kill();
    await bed?.stop();
  });

  it('shows nodes with memory and readiness and the workloads; NotReady appears live; q quits with 0', async () => {
    pane = startPane('hk-status', `HOME=${spec.dir} SSH_AUTH_SOCK= HOBBYKUBE_HOME=${spec.home} sh -c 'cd ${spec.dir} && node ${CLI} status; echo EXIT=$?; sleep 600'`);
    let s = await waitScreen(/w1.*Ready/);
    s = await waitScreen(/bot\s+Deployment\s+1\/1/);
    expect(s).toContain('hobbykube status: home');
    expect(s).toContain('q to quit');
    expect(s).toMatch(/cp1.*Ready/);
    expect(s).toMatch(/\d+\/1970 MiB|1970/);
    await bed.hosts[1]!.rootExec('kubeadm reset -f >/dev/null 2>&1');
    s = await waitScreen(/w1.*NotReady/);
    await pane.keys('q');
    s = await waitScreen(/EXIT=\d+/);
    expect(s).toContain('EXIT=0');
    console.log(`[status in tmux]\n${s}`);
  });
});
