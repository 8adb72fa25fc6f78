// End to end: the real built CLI (node bin/hobbykube.js) in an 80x24 tmux pane, driven with
// send-keys through every screen against real sshd test hosts: fingerprints shown and accepted,
// facts and the small-node override, DNS prefilled from the control plane, all four workload
// kinds, the review, and a saved spec that `hobbykube plan --offline` accepts.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires, tmuxMissing } from '../support/requires.js';
import { CLI, runCli } from '../support/cli.js';
import { startPane, type Pane } from '../support/tmux.js';

const ROOT = join(import.meta.dirname, '../..');
describe('wizard end to end in tmux against real sshd hosts', requires(tmuxMissing(), hostsMissing()), () => {
  let bed: TestBed;
  const dir = mkdtempSync(join(tmpdir(), 'hk-e2e-'));
  const specPath = join(dir, 'hobbykube.yaml');
  const env = { HOBBYKUBE_HOME: join(dir, 'state') };

  let pane: Pane;
  const waitScreen = (check: string | RegExp, timeoutMs?: number) => pane.waitScreen(check, timeoutMs);
  const keys = (...list: string[]) => pane.keys(...list);
  const bs = (n: number) => Array<string>(n).fill('BSpace');
  const down = (n: number) => Array<string>(n).fill('Down');

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    bed = await startHosts([{ memTotalMb: 970 }, {}, { memTotalMb: 970, cpus: 1 }]);
    pane = startPane('hk-e2e', `HOME=${dir} SSH_AUTH_SOCK= HOBBYKUBE_HOME=${env.HOBBYKUBE_HOME} sh -c 'cd ${dir} && node ${CLI}; echo EXIT=$?; sleep 600'`);
  });

  afterAll(async () => {
    pane?.kill();
    await bed?.stop();
  });

  it('goes from the welcome screen to a saved spec that plan accepts', async () => {
    const [cp, w1, w2] = bed.hosts as [TestBed['hosts'][0], TestBed['hosts'][0], TestBed['hosts'][0]];
    const user = bed.users.nopasswd;
    let s = await waitScreen('Cluster name');
    expect(s).toContain('A few questions about your VPSes');
    await keys('Enter', 'Enter');

    // control plane: a 970 MB machine, so the small-node override is offered
    await waitScreen('Add a node');
    await keys('Tab', `t:${cp.address}`, 'Tab', ...bs(4), `t:${user}`, 'Tab', 'Tab', `t:${bed.keyPath}`, 'Tab', 'Tab', 'Enter');
    s = await waitScreen('New host key');
    expect(s).toContain(cp.hostKeyFingerprint);
    await keys('y');
    s = await waitScreen(/cp1 .*fail/);
    expect(s).toContain("below kubeadm's control-plane minimum");
    await keys('u');
    s = await waitScreen(/cp1 .*ok/);

    for (const host of [w1, w2]) {
      await keys('a');
      await waitScreen('Add a node');
      await keys('Tab', `t:${host.address}`, 'Tab', 'Tab', 'Tab', 'Tab', 'Enter');
      s = await waitScreen('New host key');
      expect(s).toContain(host.hostKeyFingerprint);
      await keys('y');
      await waitScreen(new RegExp(`${host === w1 ? 'w1' : 'w2'} +worker .*ok`));
    }
    await keys(...down(6), 'Enter');

    // DNS: the control plane's real upstream servers, not its 127.0.0.53 stub
    s = await waitScreen('DNS servers');
    expect(s).toMatch(new RegExp(`DNS servers\\s+${cp.profile.upstreamDns.join(', ').replace(/\./g, '\\.')}`));
    await keys('Enter');

    await waitScreen('Web apps');
    await keys('Right', 'Tab', 'Tab', 't:me@example.com', 'Tab', 'Right', 'Enter');

    await waitScreen('What runs on the cluster');
    await keys('Enter');
    await waitScreen('Add worker');
    // A private image: the registry's login and its token (masked), then replicas, memory, command, env.
    await keys(...bs(6), 't:bot', 'Tab', 't:ghcr.io/me/bot:1.2', 'Tab', 't:me', 'Tab', 't:ghp-e2e-token-1');
    s = await waitScreen(/Registry token\s+\*{15}/);
    expect(s).not.toContain('ghp-e2e-token-1');
    await keys('Tab', 'Tab', 'Tab', 'Tab', 't:CHANNEL=general', 'Tab', 't:SLACK_TOKEN', 'Tab', 't:xoxb-secret-1', 'Enter');
    s = await waitScreen(/worker\s+bot/);
    expect(s).not.toContain('xoxb-secret-1');
    await keys(...down(2), 'Enter');
    await waitScreen('Add database');
    await keys('Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter');
    await waitScreen(/database\s+mysql/);
    await keys(...down(3), 'Enter');
    await waitScreen('Add app server');
    await keys(...bs(3), 't:blog', 'Tab', 't:ghcr.io/me/blog:3', 'Tab', 'Tab', 'Tab', ...bs(4), 't:3000', 'Tab', 't:blog.example.com', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter');
    await waitScreen(/app server\s+blog/);
    await keys(...down(4), 'Enter');
    await waitScreen('Add cron job');
    // Image, then its registry login (none), the database field (none), then the schedule.
    await keys(...bs(3), 't:cleanup', 'Tab', 't:busybox:1.36', 'Tab', 'Tab', 'Tab');
    await waitScreen('next runs:');
    await keys('Tab', 'Tab', 't:sh -c "echo done"', 'Enter', 'Enter', 'Enter');
    await waitScreen(/cron job\s+cleanup/);
    await keys(...down(9), 'Enter');

    s = await waitScreen('i install now');
    expect(s).toContain('Cluster home, Kubernetes 1.37');
    await keys('i');
    // "install" hands over to apply, which builds the cluster on the test hosts' doubles.
    s = await waitScreen(/EXIT=\d+/, 180_000);
    expect(s).toContain('Cluster is up.');
    expect(s).toContain('App blog: https://blog.example.com/');
    expect(s).toContain('EXIT=0');

    const text = readFileSync(specPath, 'utf8');
    expect(text).not.toContain('xoxb-secret-1');
    expect(text).not.toContain('ghp-e2e-token-1');
    expect(text).toContain('registries:\n    - name: ghcr-io\n      server: ghcr.io\n      username: me');
    expect(readFileSync(join(env.HOBBYKUBE_HOME, 'home/secrets.yaml'), 'utf8')).toContain('ghcr-io: ghp-e2e-token-1');
    expect(text).toContain('acceptUndersized: true');
    expect(readFileSync(join(env.HOBBYKUBE_HOME, 'home/secrets.yaml'), 'utf8')).toContain('xoxb-secret-1');
    expect(readFileSync(join(env.HOBBYKUBE_HOME, 'home/known_hosts'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(existsSync(join(env.HOBBYKUBE_HOME, 'home/draft.yaml'))).toBe(false);
    const plan = runCli(['plan', '-f', specPath, '--offline'], { env, cwd: dir });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Cluster home: Kubernetes 1.37, 3 nodes, 4 workloads.');
  });
});
