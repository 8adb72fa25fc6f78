// Driving the built CLI in a real tmux pane, as a person would: start it, type, read the screen.
// A pane is registered with test/support/children.ts: the test's end kills its session.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote } from '../../src/shell/quote.js';
import { track } from './children.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Pane {
  screen(): string;
  /** The pane with its scrollback (last 500 lines), wrapped lines joined. */
  history(): string;
  /** Polls the screen until it shows `check`; the error carries the screen. */
  waitScreen(check: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Keys one at a time (tmux key names); "t:text" is typed literally. */
  keys(...list: string[]): Promise<void>;
  kill(): void;
}

/**
 * Starts `command` (shell text) in an 80x24 pane. The CLI runs as in a person's terminal: Ink
 * draws nothing live when CI is set (is-in-ci), and CI runs set it, so it is unset here.
 */
let panes = 0;

export function startPane(name: string, command: string, size = { columns: 80, rows: 24 }): Pane {
  const session = `${name}-${process.pid}-${(panes += 1)}`;
  // Its own tmux server (socket, removed with it) per pane: panes of parallel test files never share a server,
  // so one test ending its last session cannot take down a server another is starting on
  // ("server exited unexpectedly", seen under load).
  const socket = join(tmpdir(), `hk-tmux-${session}`);
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  // The pane ends itself (its whole process group: the CLI too) once this worker is gone, even
  // if the worker died without running any hook: tmux runs it outside the worker's process tree.
  const guard = `(while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -KILL 0) & ${command}`;
  tmux('new-session', '-d', '-s', session, '-x', String(size.columns), '-y', String(size.rows), `env -u CI -u CONTINUOUS_INTEGRATION TERM=xterm-256color sh -c ${quote(guard)}`);
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  const kill = () => {
    spawnSync('tmux', ['-S', socket, 'kill-server']);
    rmSync(socket, { force: true });
  };
  const forget = track(kill);
  return {
    screen,
    history: () => tmux('capture-pane', '-p', '-J', '-S', '-500', '-t', session),
    async waitScreen(check, timeoutMs = 120_000) { // a bound for a screen that never comes, not a speed
      const end = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        if (typeof check === 'string' ? s.includes(check) : check.test(s)) return s;
        if (Date.now() > end) throw new Error(`timed out waiting for ${String(check)}; screen:\n${s}`);
        await sleep(50);
      }
    },
    async keys(...list) {
      for (const k of list) {
        if (k.startsWith('t:')) tmux('send-keys', '-t', session, '-l', k.slice(2));
        else tmux('send-keys', '-t', session, k);
        await sleep(60);
      }
      await sleep(150);
    },
    kill: () => {
      forget();
      kill();
    },
  };
}
