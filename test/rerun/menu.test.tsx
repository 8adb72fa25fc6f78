// The menu `npx hobbykube` opens when a spec exists, through ink-testing-library at 80x24: the
// choices, "add a worker" with the wizard's node form, host-key question and node check, and the
// sub-choices of reset, remove-worker and kubeconfig. The menu only chooses; the CLI acts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { render, cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Menu } from '../../screens/wizard/Menu.js';
import { loadSpec } from '../../src/spec/file.js';
import { MenuFlow, type MenuResult } from '../../src/wizard/menu.js';
import { FINGERPRINT, fakeProber } from '../wizard/fakes.js';
import { KEY, testFlow, tick } from '../screens/helpers.js';

const SPEC = `# my cluster
apiVersion: hobbykube.dev/v1alpha1
kind: Cluster
metadata: {name: home}
spec:
  kubernetesVersion: "1.37"
  nodes:
    - {name: cp1, address: 192.0.2.10, role: control-plane, ssh: {user: ubuntu}}
    - {name: w1, address: 192.0.2.11, role: worker, ssh: {user: ubuntu}}
  dns: {upstream: [203.0.113.53]}
  workloads:
    - {kind: worker, name: bot, image: ghcr.io/me/bot:1.2}
`;

afterEach(() => cleanup());

function mountMenu() {
  const dir = mkdtempSync(join(tmpdir(), 'hk-menu-'));
  const specPath = join(dir, 'hobbykube.yaml');
  writeFileSync(specPath, SPEC);
  const env = { HOBBYKUBE_HOME: join(dir, 'state') };
  const probed: string[] = [];
  const menu = new MenuFlow(loadSpec(specPath), testFlow({ specPath, env, prober: fakeProber(probed), drafts: false }), '/home/me/.hobbykube/home/kubeconfig');
  // Every result the menu settles on, in order (only the first may ever count).
  const results: MenuResult[] = [];
  menu.subscribe(() => {
    const result = menu.getState().result;
    if (result && results.at(-1) !== result) results.push(result);
  });
  const r = render(<Menu menu={menu} color={false} size={{ columns: 80, rows: 24 }} />);
  const frame = () => stripVTControlCharacters(r.lastFrame() ?? '');
  const waitFor = async (check: string | RegExp, timeoutMs = 30_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      await tick();
      const f = frame();
      if (typeof check === 'string' ? f.includes(check) : check.test(f)) return f;
      if (Date.now() > end) throw new Error(`timed out waiting for ${String(check)}; frame:\n${f}`);
      await new Promise((res) => setTimeout(res, 5));
    }
  };
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      for (const c of Object.values(KEY).includes(k) ? [k] : [...k]) {
        r.stdin.write(c);
        await tick();
      }
    }
  };
  return { ...r, menu, results, probed, frame, waitFor, press, specPath };
}

describe('the menu (a spec exists)', () => {
  it('lists the choices with the cluster, and q quits', async () => {
    const m = mountMenu();
    const f = await m.waitFor('What would you like to do?');
    expect(f).toContain('cluster home');
    expect(f).toContain('2 nodes (cp1, w1), 1 workload');
    for (const label of ['1 Add a worker', '2 Change workloads', '3 Deploy a new version', '4 Roll back', '5 Show logs', '6 Status', '7 Doctor', '8 Upgrade Kubernetes', '9 Fetch kubeconfig', '  Remove a worker', '  Reset', '  Edit everything', 'q Quit']) expect(f).toContain(label);
    // Past the nine digits, an entry shows no number it could not be chosen by.
    expect(f).not.toMatch(/\b1[0-2] (Remove a worker|Reset|Edit everything)/);
    expect(f).toContain('› 1 Add a worker');
    expect(f).toContain('Asks for the new node only, checks it, and joins it; the other workers only let');
    await m.press('q');
    expect(m.results).toEqual([{ action: 'quit' }]);
  });

  it('Ctrl-C quits as an interruption (the CLI exits 130), unlike q', async () => {
    const m = mountMenu();
    await m.waitFor('What would you like to do?');
    await m.press('\u0003');
    expect(m.results).toEqual([{ action: 'quit', interrupted: true }]);
  });

  it('add a worker: the node form (prefilled w2, user from the spec), the host key, the check, then join', async () => {
    const m = mountMenu();
    await m.waitFor('What would you like to do?');
    await m.press(KEY.enter);
    let f = await m.waitFor('Add a worker');
    expect(f).toMatch(/Name\s+w2/);
    expect(f).toMatch(/SSH user\s+ubuntu/);
    // Choosing control plane is refused in the form's (the spec's) words.
    await m.press(KEY.tab, '192.0.2.12', KEY.tab, KEY.tab, KEY.tab, KEY.tab, KEY.right);
    f = await m.waitFor('expected worker: cp1 is already the control plane');
    await m.press(KEY.left, KEY.enter);
    f = await m.waitFor('New host key');
    expect(f).toContain(FINGERPRINT);
    await m.press('y');
    f = await m.waitFor('Enter join w2 now');
    expect(f).toContain('New worker w2');
    expect(f).toContain('the plan touches only w2 and the control plane');
    expect(m.probed).toEqual(['192.0.2.12']); // only the new node was contacted
    await m.press(KEY.enter);
    expect(m.results).toHaveLength(1);
    const r = m.results[0]!;
    expect(r.action).toBe('add-worker');
    if (r.action === 'add-worker') expect(r.node).toMatchObject({ name: 'w2', address: '192.0.2.12', user: 'ubuntu', role: 'worker', port: '22' });
  });

  it('Esc from the node form goes back to the menu and forgets the node', async () => {
    const m = mountMenu();
    await m.waitFor('What would you like to do?');
    await m.press(KEY.enter);
    await m.waitFor('Add a worker');
    await m.press(KEY.esc);
    await m.waitFor('What would you like to do?');
    expect(m.menu.wizard.getState().answers.nodes.map((n) => n.name)).toEqual(['cp1', 'w1']);
    expect(m.results).toEqual([]);
  });

  it('reset offers each node and the whole cluster; remove-worker only workers; kubeconfig a file or a merge', async () => {
    let m = mountMenu();
    await m.waitFor('What would you like to do?');
    await m.press(...Array(10).fill(KEY.down), KEY.enter); // Reset: past the digits
    let f = await m.waitFor('Reset which node?');
    expect(f).toContain('cp1');
    expect(f).toContain('the whole cluster (every node, control plane last)');
    await m.press(KEY.down, KEY.down, KEY.enter);
    expect(m.results).toEqual([{ action: 'reset' }]);
    cleanup();

    m = mountMenu();
    await m.waitFor('What would you like to do?');
    await m.press(...Array(9).fill(KEY.down), KEY.enter); // Remove a worker: past the digits
    f = await m.waitFor('Which worker should leave the cluster?');
    expect(f).not.toContain('cp1 ');
    await m.press(KEY.enter);
    expect(m.results).toEqual([{ action: 'remove-worker', node: 'w1' }]);
    cleanup();

    m = mountMenu();
    await m.waitFor('What would you like to do?');
    await m.press('9');
    f = await m.waitFor('The admin kubeconfig');
    expect(f).toContain('write /home/me/.hobbykube/home/kubeconfig (mode 0600)'); // the state directory, never the project folder
    await m.press(KEY.down, KEY.enter);
    expect(m.results).toEqual([{ action: 'kubeconfig', mode: 'merge' }]);
  });

  it('change workloads, status, doctor, upgrade and edit hand over to the CLI', async () => {
    for (const [keys, action] of [[['2'], 'workloads'], [['6'], 'status'], [['7'], 'doctor'], [['8'], 'upgrade'], [[...Array(11).fill(KEY.down), KEY.enter], 'edit']] as const) {
      const m = mountMenu();
      await m.waitFor('What would you like to do?');
      await m.press(...keys);
      expect(m.results).toEqual([{ action }]);
      cleanup();
    }
  });

  it('deploy a new version: which workload, then its image (the running one prefilled, checked by the spec\'s rule)', async () => {
    const m = mountMenu();
    await m.waitFor('What would you like to do?');
    await m.press('3');
    let f = await m.waitFor('Deploy a new version of which workload?');
    expect(f).toMatch(/› bot\s+worker\s+ghcr\.io\/me\/bot:1\.2/);
    await m.press(KEY.enter);
    f = await m.waitFor('Deploy bot');
    expect(f).toContain('Now running ghcr.io/me/bot:1.2.');
    expect(f).toMatch(/Image\s+ghcr\.io\/me\/bot:1\.2/);
    // An image without a tag is refused in the spec's words, and nothing is handed over.
    await m.press(...Array(4).fill(KEY.backspace), KEY.enter);
    f = await m.waitFor('expected an image with a tag or digest');
    expect(m.results).toEqual([]);
    await m.press(':1.3', KEY.enter);
    await tick();
    expect(m.results).toEqual([{ action: 'deploy', workload: 'bot', image: 'ghcr.io/me/bot:1.3' }]);
  });

  it('roll back and show logs: which workload, then the CLI; Esc goes back to the menu', async () => {
    let m = mountMenu();
    await m.waitFor('What would you like to do?');
    await m.press('4');
    await m.waitFor('Roll back which workload?');
    await m.press(KEY.esc);
    await m.waitFor('What would you like to do?');
    await m.press('4');
    await m.waitFor('Roll back which workload?');
    await m.press(KEY.enter);
    expect(m.results).toEqual([{ action: 'rollback', workload: 'bot' }]);
    cleanup();

    m = mountMenu();
    await m.waitFor('What would you like to do?');
    await m.press('5');
    await m.waitFor('Show the logs of which workload?');
    await m.press(KEY.enter);
    expect(m.results).toEqual([{ action: 'logs', workload: 'bot', tail: 100 }]);
  });
});
