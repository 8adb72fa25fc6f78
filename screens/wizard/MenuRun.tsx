// Mounts the menu full-screen (alternate screen buffer) and resolves with the choice; the CLI
// then runs the matching command on the normal screen, where its plan and questions stay visible.
import { render } from 'ink';
import type { ClusterSpec } from '../../src/spec/types.js';
import { WizardStore, type WizardOptions } from '../../src/wizard/controller.js';
import { discardDraft } from '../../src/wizard/draft.js';
import type { MenuResult } from '../../src/wizard/menu.js';
import { Menu } from './Menu.js';

export interface RunMenuOptions extends WizardOptions {
  spec: ClusterSpec;
  color: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

export async function runMenu(options: RunMenuOptions): Promise<MenuResult> {
  // Drafts are written at once (no timer left running) and removed again when the menu closes.
  const store = new WizardStore({ ...options, draftDelayMs: 0 });
  const hadDraft = !!store.getState().draftOffer;
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  stdin.resume();
  stdout.write('\u001B[?1049h\u001B[H');
  const onExit = () => stdout.write('\u001B[?1049l');
  process.once('exit', onExit);
  let resolve!: (r: MenuResult) => void;
  const done = new Promise<MenuResult>((r) => (resolve = r));
  const onSignal = () => resolve({ action: 'quit' });
  process.once('SIGHUP', onSignal);
  process.once('SIGTERM', onSignal);
  const ink = render(<Menu spec={options.spec} specPath={options.specPath} store={store} color={options.color} onDone={(r) => resolve(r)} />, {
    stdout,
    stdin,
    exitOnCtrlC: false,
    patchConsole: true,
    maxFps: 30,
  });
  try {
    const result = await done;
    await new Promise((r) => setTimeout(r, 30));
    return result;
  } finally {
    // The menu's node check keeps answers in memory only: no draft of it is left behind.
    if (!hadDraft) discardDraft(store.getState().answers, options.env);
    ink.unmount();
    ink.cleanup();
    process.off('SIGHUP', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
    onExit();
    stdin.pause();
  }
}
