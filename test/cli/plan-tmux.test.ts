// `hobbykube plan` in an 80-column terminal: every line it prints fits, long step titles break at
// spaces and hang under the text; none is left for the terminal to cut mid-word. Driven in a real
// tmux pane; its scrollback is read with wrapped lines joined, so a line the terminal had to wrap
// shows as one line wider than the pane.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { requires, tmuxMissing } from '../support/requires.js';
import { startPane, type Pane } from '../support/tmux.js';

const SPEC = join(import.meta.dirname, '../fixtures/specs/valid-full.yaml');

describe('plan in an 80-column terminal (tmux)', requires(tmuxMissing()), () => {
  let pane: Pane | undefined;
  afterAll(() => pane?.kill());

  it('breaks every long line at spaces itself, continuation lines hanging under the text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-plan-tmux-'));
    pane = startPane('hk-plan', `HOME=${dir} HOBBYKUBE_HOME=${dir}/state sh -c 'cd ${dir} && node ${CLI} plan -f ${SPEC} --offline; echo EXIT=$?; sleep 600'`);
    await pane.waitScreen(/EXIT=\d+/);
    const lines = pane.history().split('\n');
    expect(lines.join('\n')).toContain('EXIT=0');
    const wide = lines.filter((l) => l.length > 80);
    expect(wide, wide.join('\n')).toEqual([]);
    // A step title too long for one line: its first part after "  run   " or "  - ", the rest
    // indented under it.
    const at = lines.findIndex((l) => /^ {2}(run {3}|- )Install containerd 2\.2 or newer/.test(l));
    expect(at, lines.join('\n')).toBeGreaterThan(-1);
    expect(lines[at + 1]).toMatch(/^ {4,}\S/);
  });
});
