// Ctrl-C in the wizard (full-screen and --plain) and in the rerun menu ends the CLI with exit code
// 130, as a shell reports an interrupted command, instead of 0; driven in a real tmux pane.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { requires, tmuxMissing } from '../support/requires.js';
import { startPane, type Pane } from '../support/tmux.js';

const fixtures = join(import.meta.dirname, '../fixtures/specs');

describe('Ctrl-C exits 130 (tmux)', requires(tmuxMissing()), () => {
  let pane: Pane | undefined;
  afterEach(() => pane?.kill());

  const start = (name: string, args: string, withSpec = false) => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-ctrlc-'));
    if (withSpec) copyFileSync(join(fixtures, 'minimal.yaml'), join(dir, 'hobbykube.yaml'));
    pane = startPane(name, `HOME=${dir} HOBBYKUBE_HOME=${dir}/state sh -c 'cd ${dir} && node ${CLI} ${args}; echo EXIT=$?; sleep 600'`);
    return pane;
  };

  it('in the full-screen wizard', async () => {
    const p = start('hk-ctrlc-wizard', '');
    await p.waitScreen('Cluster name');
    await p.keys('C-c');
    const s = await p.waitScreen(/EXIT=\d+/);
    expect(s).toContain('Nothing saved');
    expect(s).toContain('EXIT=130');
  });

  it('in the --plain wizard', async () => {
    const p = start('hk-ctrlc-plain', '--plain');
    await p.waitScreen('Cluster name');
    await p.keys('C-c');
    const s = await p.waitScreen(/EXIT=\d+/);
    expect(s).toContain('Stopped.');
    expect(s).toContain('EXIT=130');
  });

  it('in the rerun menu; its own Quit still exits 0', async () => {
    let p = start('hk-ctrlc-menu', '', true);
    await p.waitScreen('What would you like to do?');
    await p.keys('C-c');
    expect(await p.waitScreen(/EXIT=\d+/)).toContain('EXIT=130');
    p.kill();
    p = start('hk-ctrlc-menu-q', '', true);
    await p.waitScreen('What would you like to do?');
    await p.keys('q');
    expect(await p.waitScreen(/EXIT=\d+/)).toContain('EXIT=0');
  });
});
