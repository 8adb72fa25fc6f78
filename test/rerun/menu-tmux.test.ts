// The menu end to end: the built CLI in an 80x24 tmux pane, in a folder whose 2-node cluster was
// built by apply on real sshd test hosts. `hobbykube` opens the menu; "Add a worker" asks for the
// node with the wizard's form, shows its host key, checks it, then the add-worker flow prints the
// plan, asks, and joins it. The old worker gets its firewall step (the new node let in), nothing else.
// Then, with a workload rolled out, the day-two entries: "Show logs" picks the workload and prints
// its last lines through the logs command (the kubectl double answers them).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires, tmuxMissing } from '../support/requires.js';
import { FIREWALL_CHANGES, isMutating, line, type BedSpec } from '../install/support.js';
import { CLI } from '../support/cli.js';
import { startPane, type Pane } from '../support/tmux.js';
import { editSpec, runCliAsync, writePartialSpec } from './support.js';

const ROOT = join(import.meta.dirname, '../..');
describe('the menu in tmux adds a worker to a running cluster', requires(tmuxMissing(), hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let pane: Pane;
  const waitScreen = (check: string | RegExp, timeoutMs = 120_000) => pane.waitScreen(check, timeoutMs);
  const keys = (...list: string[]) => pane.keys(...list);
  const history = () => pane.history();

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    bed = await startHosts([{ name: 'cp1', memTotalMb: 1970 }, { name: 'w1', memTotalMb: 970, cpus: 1 }, { name: 'w2', memTotalMb: 970, cpus: 1 }]);
    spec = writePartialSpec(bed, 2);
    const r = await runCliAsync(['apply', '--yes'], { env: spec.env, cwd: spec.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  afterAll(async () => {
    pane?.kill();
    await bed?.stop();
  });

  it('menu → Add a worker → form → host key → check → plan → yes → joined; w1 gets only its firewall step', async () => {
    const [, w1, w2] = bed.hosts as [TestBed['hosts'][0], TestBed['hosts'][0], TestBed['hosts'][0]];
    for (const h of bed.hosts) h.clearRecordings();
    pane = startPane('hk-menu', `HOME=${spec.dir} SSH_AUTH_SOCK= HOBBYKUBE_HOME=${spec.home} sh -c 'cd ${spec.dir} && node ${CLI}; echo EXIT=$?; sleep 600'`);

    let s = await waitScreen('What would you like to do?');
    expect(s).toContain('2 nodes (cp1, w1)');
    await keys('Enter');
    // The form (the menu names "Add a worker" too: wait for the form's own field).
    s = await waitScreen(/Name\s+w2/);
    await keys('Tab', `t:${w2.address}`, 'Tab', 'Tab', 'Tab', 'Tab', 'Enter');
    s = await waitScreen('New host key');
    expect(s).toContain(w2.hostKeyFingerprint);
    await keys('y');
    s = await waitScreen('join w2 now');
    expect(s).toContain('New worker w2');
    await keys('Enter');
    s = await waitScreen('Join w2 to cluster test?');
    // Prose breaks at spaces to the terminal's width: compare with the line breaks read as spaces.
    expect(history().replace(/\s+/g, ' ')).toContain('The control plane and w2 are set up; w1 gets one step only: its host firewall lets w2 in (after a read-only check of its addresses).');
    await keys('t:y', 'Enter');
    s = await waitScreen(/EXIT=\d+/, 300_000);
    expect(s).toContain('Cluster is up.');
    expect(s).toContain('EXIT=0');

    expect(w1.recordings().filter(isMutating).map(line)).toEqual(FIREWALL_CHANGES);
    expect(w2.recordings().some((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'join')).toBe(true);
    expect(readFileSync(spec.specPath, 'utf8')).toContain(`name: w2`);
    expect(existsSync(join(spec.home, 'test', 'draft.yaml'))).toBe(false);
  });

  it('menu shows Deploy a new version, Roll back, Show logs; Show logs → the workload → its last lines (doubles)', async () => {
    bed.fakeImage('ghcr.io/me/bot:1.2', { logs: ['bot connected to #general', 'bot ready'] });
    editSpec(spec.specPath, (js) => {
      js.spec.workloads = [{ kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', memory: '32Mi' }];
    });
    const r = await runCliAsync(['apply', '--yes'], { env: spec.env, cwd: spec.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    pane?.kill();
    pane = startPane('hk-menu-logs', `HOME=${spec.dir} SSH_AUTH_SOCK= HOBBYKUBE_HOME=${spec.home} sh -c 'cd ${spec.dir} && node ${CLI}; echo EXIT=$?; sleep 600'`);

    let s = await waitScreen('What would you like to do?');
    for (const entry of ['2 Change workloads', '3 Deploy a new version', '4 Roll back', '5 Show logs', '6 Status', '8 Upgrade Kubernetes', 'q Quit']) expect(s).toContain(entry);
    await keys('Down', 'Down');
    s = await waitScreen('One workload to a new image');
    expect(s).toContain('› 3 Deploy a new version');
    await keys('5');
    s = await waitScreen('Show the logs of which workload?');
    expect(s).toMatch(/› bot\s+worker\s+ghcr\.io\/me\/bot:1\.2/);
    await keys('Enter');
    s = await waitScreen(/EXIT=\d+/);
    expect(s).toContain('bot ready');
    expect(s).toContain('bot connected to #general');
    expect(s).toContain('EXIT=0');
  });
});
