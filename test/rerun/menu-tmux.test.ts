// The menu end to end: the built CLI in an 80x24 tmux pane, in a folder whose 2-node cluster was
// built by apply on real sshd test hosts. `hobbykube` opens the menu; "Add a worker" asks for the
// node with the wizard's form, shows its host key, checks it, then the add-worker flow prints the
// plan, asks, and joins it. The old worker's recordings and sshd log stay untouched.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessAvailable, startHosts, type TestBed } from '../hosts/harness.js';
import type { BedSpec } from '../install/support.js';
import { CLI } from '../support/cli.js';
import { acceptedLogins, runCliAsync, writePartialSpec } from './support.js';

const ROOT = join(import.meta.dirname, '../..');
const tmuxOk = spawnSync('tmux', ['-V']).status === 0;
const available = tmuxOk && harnessAvailable();

describe.skipIf(!available)('the menu in tmux adds a worker to a running cluster', () => {
  let bed: TestBed;
  let spec: BedSpec;
  const session = `hk-menu-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  const history = () => tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', session);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  async function waitScreen(check: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = screen();
      if (typeof check === 'string' ? s.includes(check) : check.test(s)) return s;
      if (Date.now() > end) throw new Error(`timed out waiting for ${String(check)}; screen:\n${s}`);
      await sleep(50);
    }
  }
  async function keys(...list: string[]) {
    for (const k of list) {
      if (k.startsWith('t:')) tmux('send-keys', '-t', session, '-l', k.slice(2));
      else tmux('send-keys', '-t', session, k);
      await sleep(60);
    }
    await sleep(150);
  }

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    bed = await startHosts([{ name: 'cp1', memTotalMb: 1970 }, { name: 'w1', memTotalMb: 970, cpus: 1 }, { name: 'w2', memTotalMb: 970, cpus: 1 }]);
    spec = writePartialSpec(bed, 2);
    const r = await runCliAsync(['apply', '--yes'], { env: spec.env, cwd: spec.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    spawnSync('tmux', ['kill-session', '-t', session]);
    await bed?.stop();
  });

  it('menu → Add a worker → form → host key → check → plan → yes → joined; w1 untouched', async () => {
    const [, w1, w2] = bed.hosts as [TestBed['hosts'][0], TestBed['hosts'][0], TestBed['hosts'][0]];
    for (const h of bed.hosts) h.clearRecordings();
    const logins = acceptedLogins(w1);
    // A person's terminal: Ink draws nothing live when CI is set (is-in-ci), and CI runs set it.
    const command = `cd ${spec.dir} && env -u CI -u CONTINUOUS_INTEGRATION TERM=xterm-256color HOME=${spec.dir} SSH_AUTH_SOCK= HOBBYKUBE_HOME=${spec.home} node ${CLI}; echo EXIT=$?; sleep 600`;
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', command);

    let s = await waitScreen('What would you like to do?');
    expect(s).toContain('2 nodes (cp1, w1)');
    await keys('Enter');
    s = await waitScreen('Add a worker');
    expect(s).toMatch(/Name\s+w2/);
    await keys('Tab', `t:${w2.address}`, 'Tab', 'Tab', 'Tab', 'Tab', 'Enter');
    s = await waitScreen('New host key');
    expect(s).toContain(w2.hostKeyFingerprint);
    await keys('y');
    s = await waitScreen('join w2 now');
    expect(s).toContain('New worker w2');
    await keys('Enter');
    s = await waitScreen('Join w2 to cluster test?');
    expect(history()).toContain('Only the control plane and w2 are contacted; w1 is left alone.');
    await keys('t:y', 'Enter');
    s = await waitScreen(/EXIT=\d+/, 60_000);
    expect(s).toContain('Cluster is up.');
    expect(s).toContain('EXIT=0');

    expect(w1.recordings()).toEqual([]);
    expect(acceptedLogins(w1)).toBe(logins);
    expect(w2.recordings().some((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'join')).toBe(true);
    expect(readFileSync(spec.specPath, 'utf8')).toContain(`name: w2`);
    expect(existsSync(join(spec.home, 'test', 'draft.yaml'))).toBe(false);
  }, 120_000);
});
