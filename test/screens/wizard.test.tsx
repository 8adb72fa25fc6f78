// Every wizard screen through ink-testing-library at 80x24: typing, moving between fields,
// validation in the spec's words, back and forth keeping answers, host keys, facts and the
// small-node override, the masked secret field, the draft, and the review's choices.
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { FINGERPRINT, fakeProber } from '../wizard/fakes.js';
import { KEY, mount } from './helpers.js';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'hk-screens-'));
  const env = { HOBBYKUBE_HOME: join(dir, 'state') };
  const specPath = join(dir, 'hobbykube.yaml');
  return { dir, env, specPath, calls: [] as string[] };
}

afterEach(() => cleanup());

/** Welcome → Nodes, then adds a node with these fields (name, address, user, role moves). */
async function addNode(w: ReturnType<typeof mount>, name: string, address: string, roleMoves: string[] = [], accept = true) {
  await w.waitFor('Add a node');
  await w.press(KEY.backspace, KEY.backspace, KEY.backspace, name, KEY.tab, address, KEY.tab);
  await w.press(...Array(4).fill(KEY.backspace), 'root', KEY.tab, KEY.tab, KEY.tab, ...roleMoves);
  const frame = w.frame();
  if (frame.includes('Run workloads')) await w.press(KEY.tab);
  await w.press(KEY.enter);
  await w.waitFor('New host key');
  await w.press(accept ? 'y' : 'n');
  await w.waitFor('Your nodes');
}

describe('wizard screens (Ink)', () => {
  it('welcome: typing, Tab between fields, the rule\'s words inline, footer of keys', async () => {
    const t = setup();
    const w = mount({ specPath: t.specPath, env: t.env, prober: fakeProber() });
    let f = await w.waitFor('Cluster name');
    expect(f).toContain('A few questions about your VPSes');
    expect(f).toMatch(/Tab\/↓ next .* Esc back/);
    await w.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, 'My_Lab', KEY.tab);
    f = await w.waitFor('expected a name of lower-case letters');
    expect(f).toContain('› Kubernetes');
    await w.press(KEY.shiftTab, ...Array(6).fill(KEY.backspace), 'lab', KEY.enter, KEY.enter);
    await w.waitFor('Add a node');
    expect(w.flow.getState().answers.cluster.name).toBe('lab');
    // Esc from the (empty) node form goes to the list, Esc again back to welcome: answers kept.
    await w.press(KEY.esc);
    await w.waitFor('Your nodes');
    await w.press(KEY.esc);
    f = await w.waitFor('Cluster name');
    expect(f).toMatch(/Cluster name\s+lab/);
  });

  it('text and a Tab arriving in one read (a paste, fast typing) still move to the next field', async () => {
    const t = setup();
    const w = mount({ specPath: t.specPath, env: t.env, prober: fakeProber() });
    await w.waitFor('Cluster name');
    await w.press(...Array(4).fill(KEY.backspace));
    w.stdin.write('lab\t\r');
    const f = await w.waitFor('Add a node');
    expect(f).toContain('Add a node');
    expect(w.flow.getState().answers.cluster.name).toBe('lab');
  });

  it('several Backspaces arriving in one read (a held key, a loaded machine) each delete a character', async () => {
    const t = setup();
    const w = mount({ specPath: t.specPath, env: t.env, prober: fakeProber() });
    await w.waitFor('Cluster name');
    w.stdin.write('\u007f\u007f\u007f\u007flab\u007fb\t\r');
    await w.waitFor('Add a node');
    expect(w.flow.getState().answers.cluster.name).toBe('lab');
  });

  it('nodes: host key shown and pinned, facts and verdict beside the node, one control plane, small-node override', async () => {
    const t = setup();
    const w = mount({ specPath: t.specPath, env: t.env, prober: fakeProber(t.calls) });
    await w.waitFor('Cluster name');
    await w.press(KEY.enter, KEY.enter);
    await w.waitFor('Add a node');
    await w.press(KEY.backspace, KEY.backspace, KEY.backspace, 'cp1', KEY.tab, '192.0.2.11', KEY.enter, KEY.enter, KEY.enter, KEY.enter, KEY.enter, KEY.enter);
    let f = await w.waitFor('New host key');
    expect(f).toContain(FINGERPRINT);
    expect(f).toContain('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub');
    await w.press('y');
    f = await w.waitFor(/cp1 .*fail/);
    expect(f).toContain('970 MB');
    expect(f).toContain("below kubeadm's control-plane minimum");
    expect(f).toContain('u small node ok');
    await w.press('u');
    f = await w.waitFor('Accepted as undersized');
    expect(w.flow.getState().answers.nodes[0]!.acceptUndersized).toBe(true);
    // a second control plane is refused with the reason
    await w.press('a');
    await w.waitFor('Add a node');
    await w.press(KEY.tab, '192.0.2.12', KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.left);
    f = await w.waitFor('expected worker: cp1 is already the control plane');
    await w.press(KEY.right, KEY.enter);
    await w.waitFor('New host key');
    await w.press('y');
    f = await w.waitFor(/w1 .*worker/);
    expect(t.calls).toEqual(['192.0.2.11', '192.0.2.12']);
    expect(existsSync(join(t.env.HOBBYKUBE_HOME, 'home', 'draft.yaml'))).toBe(true);
  });

  it('dns: prefilled from the control plane\'s upstream servers (not 127.0.0.53); domains skipped when no web apps', async () => {
    const t = setup();
    const w = mount({ specPath: t.specPath, env: t.env, prober: fakeProber() });
    await w.waitFor('Cluster name');
    await w.press(KEY.enter, KEY.enter);
    await addNode(w, 'cp1', '192.0.2.10');
    await w.press(KEY.down, KEY.down, KEY.enter);
    let f = await w.waitFor('DNS servers');
    expect(f).toMatch(/DNS servers\s+203\.0\.113\.53, 198\.51\.100\.53/);
    expect(f).toContain('127.0.0.53');
    await w.press(...Array(30).fill(KEY.backspace), '127.0.0.53', KEY.enter);
    f = await w.waitFor('not a loopback address');
    await w.press(...Array(10).fill(KEY.backspace), '1.1.1.1', KEY.enter);
    f = await w.waitFor('Web apps');
    expect(f).not.toContain('Email');
    await w.press(KEY.right);
    f = await w.waitFor('Email');
    await w.press(KEY.tab, KEY.tab, 'nope', KEY.tab);
    await w.waitFor("expected an email address for Let's Encrypt");
    await w.press(KEY.shiftTab, ...Array(4).fill(KEY.backspace), 'me@example.com', KEY.tab, KEY.enter);
    await w.waitFor('What runs on the cluster');
    // back to DNS and Domains: answers kept
    await w.press(KEY.esc);
    f = await w.waitFor('Email');
    expect(f).toContain('me@example.com');
    await w.press(KEY.esc);
    f = await w.waitFor('DNS servers');
    expect(f).toMatch(/DNS servers\s+1\.1\.1\.1/);
  });

  it('workloads: cron shows the next three runs; secret values are masked and never rendered, stored 0600 outside the draft', async () => {
    const t = setup();
    const w = mount({ specPath: t.specPath, env: t.env, prober: fakeProber(), now: () => new Date('2026-09-01T10:00:00Z') });
    await w.waitFor('Cluster name');
    await w.press(KEY.enter, KEY.enter);
    await addNode(w, 'cp1', '192.0.2.10');
    await w.press(KEY.down, KEY.down, KEY.enter);
    await w.waitFor('DNS servers');
    await w.press(KEY.enter);
    await w.waitFor('Web apps');
    await w.press(KEY.enter);
    await w.waitFor('What runs on the cluster');
    await w.press(KEY.down, KEY.down, KEY.down, KEY.enter); // + Add a cron job
    let f = await w.waitFor('Add cron job');
    await w.press(KEY.tab, 'busybox:1.36', KEY.tab, KEY.tab); // past the registry login (empty: public)
    f = await w.waitFor('next runs: 2026-09-02 03:00 UTC, 2026-09-03 03:00 UTC, 2026-09-04 03:00 UTC');
    await w.press(KEY.tab, KEY.tab, KEY.tab, KEY.tab, 'API_TOKEN', KEY.tab);
    f = await w.waitFor('API_TOKEN');
    await w.press('s3cr3t-value');
    f = await w.waitFor('************');
    expect(f).not.toContain('s3cr3t');
    await w.press(KEY.enter);
    f = await w.waitFor(/cron job\s+job/);
    expect(f).not.toContain('s3cr3t');
    const home = t.env.HOBBYKUBE_HOME;
    expect(readFileSync(join(home, 'home', 'secrets.yaml'), 'utf8')).toContain('s3cr3t-value');
    await w.flow.flushDraft();
    const draft = readFileSync(join(home, 'home', 'draft.yaml'), 'utf8');
    expect(draft).toContain('API_TOKEN');
    expect(draft).not.toContain('s3cr3t');
    // edit again: the stored value is kept without retyping, and still never shown
    await w.press(KEY.up, KEY.enter);
    f = await w.waitFor('Edit cron job');
    expect(f).toContain('(kept)');
    await w.press(KEY.esc);
    await w.waitFor('What runs on the cluster');
  });

  it('review: summary, capacity slot and plan; back to a screen by number; save writes the spec and drops the draft', async () => {
    const t = setup();
    const w = mount({ specPath: t.specPath, env: t.env, prober: fakeProber() });
    await w.waitFor('Cluster name');
    await w.press(KEY.enter, KEY.enter);
    await addNode(w, 'cp1', '192.0.2.10');
    await w.press(KEY.down, KEY.down, KEY.enter);
    await w.waitFor('DNS servers');
    await w.press(KEY.enter);
    await w.waitFor('Web apps');
    await w.press(KEY.enter);
    await w.waitFor('What runs on the cluster');
    await w.press(KEY.down, KEY.down, KEY.down, KEY.down, KEY.enter);
    let f = await w.waitFor('Spec');
    expect(f).toContain('Cluster home, Kubernetes 1.37');
    expect(f).toContain('Capacity');
    expect(f).toContain('Addresses');
    expect(f).toContain('cp1  192.0.2.10 on eth0: SSH, and what Kubernetes binds');
    expect(f).toContain('Your kubeconfig: https://192.0.2.10:6443');
    expect(f).toContain('i install now');
    await w.press(...Array(6).fill(KEY.down));
    // What each node keeps open to whom (the host firewall), under the addresses.
    f = await w.waitFor('Open ports (host firewall):');
    expect(f).toContain('cp1  SSH 22: anyone');
    await w.press(...Array(8).fill(KEY.down));
    f = await w.waitFor('Plan (per node');
    await w.press(...Array(16).fill(KEY.down));
    await w.waitFor('Host firewall (nftables)'); // the plan lists each node's open ports
    await w.press('3');
    await w.waitFor('DNS servers');
    await w.press(KEY.enter, KEY.enter);
    await w.waitFor('What runs on the cluster');
    await w.press(KEY.down, KEY.down, KEY.down, KEY.down, KEY.enter);
    await w.waitFor('i install now');
    await w.press('i');
    const result = await w.flow.done;
    expect(result).toEqual({ action: 'apply', specPath: t.specPath });
    expect(readFileSync(t.specPath, 'utf8')).toContain('name: cp1');
    expect(existsSync(join(t.env.HOBBYKUBE_HOME, 'home', 'draft.yaml'))).toBe(false);
  });

  it('a saved draft is offered back on the next start', async () => {
    const t = setup();
    const first = mount({ specPath: t.specPath, env: t.env, prober: fakeProber() });
    await first.waitFor('Cluster name');
    await first.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, 'lab', KEY.enter);
    await first.press(KEY.ctrlC);
    expect(await first.flow.done).toMatchObject({ action: 'quit', interrupted: true }); // Ctrl-C: the CLI exits 130
    cleanup();
    const second = mount({ specPath: t.specPath, env: t.env, prober: fakeProber() });
    await second.waitFor('Resume those answers?');
    expect(second.frame()).toContain('cluster "lab"');
    await second.press('y');
    const f = await second.waitFor('Cluster name');
    expect(f).toMatch(/Cluster name\s+lab/);
  });
});
