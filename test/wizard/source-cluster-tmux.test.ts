// The wizard with its default answers builds the source document's cluster and says it fits:
// the real built CLI in an 80x24 tmux pane against real sshd test hosts faking a 970 MiB / 2 CPU
// control plane and two 470 MiB / 1 CPU workers (doubles for apt, kubeadm, kubectl ...). Only what
// the source document's cluster needs is typed (names, images, the app's port and domain, the
// database's node, the cron schedule); every memory is the form's default, no advanced setting is
// touched. The review shows the capacity tables ending in "Fits", and the install goes through.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires, tmuxMissing } from '../support/requires.js';
import { CLI } from '../support/cli.js';
import { startPane, type Pane } from '../support/tmux.js';

const ROOT = join(import.meta.dirname, '../..');

describe("wizard with default answers: the source document's cluster fits (tmux, sshd hosts, doubles)", requires(tmuxMissing(), hostsMissing()), () => {
  let bed: TestBed;
  const dir = mkdtempSync(join(tmpdir(), 'hk-source-wizard-'));
  const specPath = join(dir, 'hobbykube.yaml');
  const env = { HOBBYKUBE_HOME: join(dir, 'state') };

  let pane: Pane;
  const waitScreen = (check: string | RegExp, timeoutMs?: number) => pane.waitScreen(check, timeoutMs);
  const keys = (...list: string[]) => pane.keys(...list);
  const bs = (n: number) => Array<string>(n).fill('BSpace');
  const down = (n: number) => Array<string>(n).fill('Down');

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    bed = await startHosts([
      { memTotalMb: 970, memAvailableMb: 880, cpus: 2 },
      { memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
      { memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
    ]);
    pane = startPane('hk-source', `HOME=${dir} SSH_AUTH_SOCK= HOBBYKUBE_HOME=${env.HOBBYKUBE_HOME} sh -c 'cd ${dir} && node ${CLI}; echo EXIT=$?; sleep 600'`);
  });

  afterAll(async () => {
    pane?.kill();
    await bed?.stop();
  });

  it('adds the nodes and workloads with default answers; the review says it fits; install goes through', async () => {
    const [cp, w1, w2] = bed.hosts as [TestBed['hosts'][0], TestBed['hosts'][0], TestBed['hosts'][0]];
    const user = bed.users.nopasswd;
    await waitScreen('Cluster name', 30_000);
    await keys('Enter', 'Enter');

    await waitScreen('Add a node');
    // Extra backspaces: a key can arrive before the field has focus on a loaded machine.
    await keys('Tab', `t:${cp.address}`, 'Tab', ...bs(12), `t:${user}`, 'Tab', 'Tab', `t:${bed.keyPath}`, 'Tab', 'Tab', 'Enter');
    await waitScreen('New host key', 30_000);
    await keys('y');
    await waitScreen(/cp1 .*fail/, 30_000);
    await keys('u');
    await waitScreen(/cp1 .*ok/);
    for (const host of [w1, w2]) {
      await keys('a');
      await waitScreen('Add a node');
      await keys('Tab', `t:${host.address}`, 'Tab', 'Tab', 'Tab', 'Tab', 'Enter');
      await waitScreen('New host key', 30_000);
      await keys('y');
      await waitScreen(new RegExp(`${host === w1 ? 'w1' : 'w2'} +worker .*ok`), 30_000);
    }
    await keys(...down(6), 'Enter');

    await waitScreen('DNS servers');
    await keys('Enter');
    // Web apps: yes, on the first worker (w1), Let's Encrypt production (the default).
    await waitScreen('Web apps');
    await keys('Right', 'Tab', 'Tab', 't:me@example.com', 'Enter', 'Enter');

    await waitScreen('What runs on the cluster');
    await keys('Enter');
    await waitScreen('Add worker');
    let s = await waitScreen(/Memory.*96Mi/);
    await keys(...bs(6), 't:chatbot', 'Tab', 't:ghcr.io/me/ruboty:2.6', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 't:SLACK_CHANNEL=general', 'Tab', 't:SLACK_TOKEN', 'Tab', 't:xoxb-source-1', 'Enter');
    await waitScreen(/worker\s+chatbot/);
    await keys(...down(2), 'Enter');
    await waitScreen('Add database');
    s = await waitScreen(/Memory.*256Mi/);
    // Data on w2 instead of the first worker.
    await keys('Enter', 'Right', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter');
    s = await waitScreen(/database\s+mysql/);
    expect(s).toMatch(/mysql .*5Gi on w2/);
    await keys(...down(3), 'Enter');
    await waitScreen('Add app server');
    await keys(...bs(3), 't:blog', 'Tab', 't:ghcr.io/me/blog:3', 'Tab', 'Tab', 'Tab', ...bs(4), 't:3000', 'Tab', 't:blog.example.com', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter');
    await waitScreen(/app server\s+blog/);
    await keys(...down(4), 'Enter');
    await waitScreen('Add cron job');
    await keys(...bs(3), 't:renew', 'Tab', 't:ghcr.io/me/acmesmith:1', 'Tab', 'Tab', 'Tab', ...bs(9), 't:0 4 * * *');
    await waitScreen('next runs:');
    await keys('Enter', 'Enter', 'Enter', 'Enter', 'Enter');
    await waitScreen(/cron job\s+renew/);
    await keys(...down(9), 'Enter');

    await waitScreen('i install now');
    // Scroll through the review until the capacity verdict shows.
    let seen = '';
    const screens: string[] = [];
    for (let i = 0; i < 20 && !/Fits: |Does not fit/.test(seen); i++) {
      seen = pane.screen();
      screens.push(seen);
      if (!/Fits: |Does not fit/.test(seen)) await keys('NPage');
    }
    expect(seen).toContain('Fits: every workload has room');
    expect(seen).not.toContain('Does not fit');
    expect(screens.join('\n')).toContain('If every pod used its memory limit at once');

    await keys('i');
    // apply checks capacity again before the rollout and would stop short of "Cluster is up".
    s = await waitScreen(/EXIT=\d+/, 300_000);
    expect(s).toContain('Cluster is up.');
    expect(s).toContain('EXIT=0');

    // The saved spec: the default memories, no memoryRequest, the source document's workloads.
    const saved = parse(readFileSync(specPath, 'utf8'));
    expect(saved.spec.workloads.map((w: { name: string; memory: string; memoryRequest?: string }) => [w.name, w.memory, w.memoryRequest])).toEqual([
      ['chatbot', '96Mi', undefined],
      ['mysql', '256Mi', undefined],
      ['blog', '192Mi', undefined],
      ['renew', '64Mi', undefined],
    ]);
    expect(saved.spec.workloads[1].node).toBe('w2');
    expect(saved.spec.ingress).toEqual({ node: 'w1', email: 'me@example.com', acme: 'production' });
  }, 420_000);
});
