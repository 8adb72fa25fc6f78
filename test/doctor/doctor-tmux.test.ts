// `hobbykube doctor` live in an 80x24 tmux pane on a cluster built by apply on sshd test hosts
// (recording doubles): the live view while checks run (groups by node, worst first, a spinner for
// the running ones, the finding and its fix as soon as it is known), then the full report and
// exit code 1. The kubelet is stopped on w1 beforehand; kubeadm answers slowly (the double's
// delay) so that the checks are seen running.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { editSpec, runCliAsync, writePartialSpec } from '../rerun/support.js';
import { CLI } from '../support/cli.js';
import { startDnsServer, type DnsServer } from '../support/outside.js';
import { hostsMissing, requires, tmuxMissing } from '../support/requires.js';
import { startPane, type Pane } from '../support/tmux.js';
import type { BedSpec } from '../install/support.js';

const ROOT = join(import.meta.dirname, '../..');

describe('doctor live in tmux', requires(tmuxMissing(), hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let dns: DnsServer;
  let pane: Pane;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    bed = await startHosts([{ name: 'cp1', memTotalMb: 1970 }, { name: 'w1', memTotalMb: 970, cpus: 1 }]);
    spec = writePartialSpec(bed, 2, { cluster: 'home' });
    editSpec(spec.specPath, (s) => {
      s.spec.workloads = [{ kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', memory: '64Mi' }];
    });
    const r = await runCliAsync(['apply', '--yes'], { env: spec.env, cwd: spec.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    dns = await startDnsServer({});
    await bed.hosts[1]!.rootExec('systemctl stop kubelet');
    for (const h of bed.hosts) h.setDelay(4000, 'kubeadm');
  });

  afterAll(async () => {
    pane?.kill();
    await dns?.close();
    await bed?.stop();
  });

  it('shows checks running and the finding live, grouped worst first, then the full report; exit 1', async () => {
    pane = startPane('hk-doctor', `HOME=${spec.dir} SSH_AUTH_SOCK= HOBBYKUBE_HOME=${spec.home} sh -c 'cd ${spec.dir} && node ${CLI} doctor --resolver ${dns.address}; echo EXIT=$?; sleep 600'`);
    // Live: the header with the count so far, a group still checking (the facts wait for kubeadm).
    let s = await pane.waitScreen(/doctor: home · \d+\/\d+ checks done/);
    s = await pane.waitScreen(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] checking .*(kubelet and containerd|Disk space|Swap)/);
    expect(s).toContain('q stops');
    // The stopped kubelet: NotReady comes from the control plane while w1's facts are still coming.
    s = await pane.waitScreen(/✗ w1 \(worker\)\n(.*\n)*.*✗ Node › Node Ready: w1 is NotReady: NodeStatusUnknown/);
    const lines = s.split('\n');
    const w1 = lines.findIndex((l) => l.startsWith('✗ w1 (worker)'));
    const cp1 = lines.findIndex((l) => /^\S cp1 \(control-plane\)/.test(l));
    expect(w1).toBeGreaterThan(0);
    expect(cp1 === -1 || cp1 > w1).toBe(true); // worst first
    expect(s).toMatch(/fix: on w1: sudo systemctl restart kubelet/);
    console.log(`[doctor live in tmux]\n${s}`);
    // The end: the live view gives way to the full report.
    s = await pane.waitScreen(/EXIT=\d+/);
    expect(s).toContain('EXIT=1');
    const full = pane.history();
    expect(full).toMatch(/CRITICAL Node › kubelet and containerd: kubelet on w1 is inactive/);
    expect(full).toMatch(/journalctl -u kubelet \(last lines\):/);
    expect(full).toMatch(/Every check:/);
    expect(full).toMatch(/\d+ findings?: \d+ critical/);
    expect(full).not.toMatch(/doctor: home · \d+\/\d+ checks done · .* · q stops\n(.*\n)*hobbykube doctor: cluster home/); // no stale live frame above the report
    console.log(`[doctor report in tmux]\n${s}`);
  });
});
