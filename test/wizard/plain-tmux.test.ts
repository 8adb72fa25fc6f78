// `hobbykube --plain` in a real pseudo-terminal (tmux), against real sshd test hosts: the same
// questions line by line with @inquirer/prompts, the host key shown and pinned, the node's
// facts, DNS prefilled, and a saved spec that `plan --offline` accepts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires, tmuxMissing } from '../support/requires.js';
import { CLI, runCli } from '../support/cli.js';
import { startPane, type Pane } from '../support/tmux.js';

const ROOT = join(import.meta.dirname, '../..');
describe('plain mode in a pseudo-terminal against real sshd hosts', requires(tmuxMissing(), hostsMissing()), () => {
  let bed: TestBed;
  let pane: Pane;
  const dir = mkdtempSync(join(tmpdir(), 'hk-plain-'));
  const home = join(dir, 'state');

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    bed = await startHosts([{ name: 'cp1', memTotalMb: 1970 }]);
    pane = startPane('hk-plain', `HOME=${dir} SSH_AUTH_SOCK= HOBBYKUBE_HOME=${home} sh -c 'cd ${dir} && node ${CLI} --plain; echo EXIT=$?; sleep 600'`);
  });
  afterAll(async () => {
    pane?.kill();
    await bed?.stop();
  });

  it('asks line by line, pins the host key, and saves a spec plan accepts', async () => {
    const cp = bed.hosts[0]!;
    await pane.waitScreen('? Cluster name');
    await pane.keys('Enter');
    await pane.waitScreen('? Kubernetes version');
    await pane.keys('Enter');
    await pane.waitScreen('? Node name');
    await pane.keys('Enter');
    await pane.waitScreen('? Address');
    await pane.keys(`t:${cp.address}`, 'Enter');
    await pane.waitScreen('? SSH user');
    await pane.keys(`t:${bed.users.nopasswd}`, 'Enter');
    await pane.waitScreen('? SSH port');
    await pane.keys('Enter');
    await pane.waitScreen('? SSH private key file');
    await pane.keys(`t:${bed.keyPath}`, 'Enter');
    await pane.waitScreen('? Role');
    await pane.keys('Enter');
    await pane.waitScreen('? Run workloads');
    await pane.keys('Enter');
    const key = await pane.waitScreen('Pin it and connect');
    expect(key.replace(/\n/g, '')).toContain(cp.hostKeyFingerprint);
    await pane.keys('y', 'Enter');
    const facts = await pane.waitScreen('? Nodes');
    expect(facts).toContain('Ubuntu 24.04 amd64  2 CPU  1970 MB');
    await pane.keys('Enter'); // Continue to DNS
    const dns = await pane.waitScreen('? Upstream DNS servers');
    expect(dns).toContain('(203.0.113.53, 198.51.100.53)');
    await pane.keys('Enter');
    await pane.waitScreen('? Will you serve web apps');
    await pane.keys('Enter');
    await pane.waitScreen('? Workloads');
    await pane.keys('Up', 'Enter'); // Continue to the review
    await pane.waitScreen('? What now?');
    await pane.keys('Down', 'Enter'); // Save the spec and quit
    const end = await pane.waitScreen(/EXIT=\d+/);
    expect(end).toContain('EXIT=0');
    const spec = readFileSync(join(dir, 'hobbykube.yaml'), 'utf8');
    expect(spec).toContain(`address: ${cp.address}`);
    expect(readFileSync(join(home, 'home', 'known_hosts'), 'utf8')).toContain(cp.hostKeyPublic.split(' ')[1]!);
    const plan = runCli(['plan', '-f', join(dir, 'hobbykube.yaml'), '--offline'], { env: { HOBBYKUBE_HOME: home }, cwd: dir });
    expect(plan.code).toBe(0);
  });
});
