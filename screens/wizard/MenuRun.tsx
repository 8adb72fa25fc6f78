// Mounts the menu full-screen (alternate screen buffer) and resolves with the choice; the CLI
// then runs the matching command on the normal screen, where its plan and questions stay visible.
import type { ClusterSpec } from '../../src/spec/types.js';
import { WizardStore, type WizardOptions } from '../../src/wizard/controller.js';
import { clusterPaths } from '../../src/state/paths.js';
import { discardDraft } from '../../src/wizard/draft.js';
import type { MenuResult } from '../../src/wizard/menu.js';
import { Menu } from './Menu.js';
import { runFullScreen } from './fullscreen.js';

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
  let resolve!: (r: MenuResult) => void;
  const done = new Promise<MenuResult>((r) => (resolve = r));
  const kubeconfigPath = clusterPaths(options.spec.metadata.name, options.env).userKubeconfig;
  return runFullScreen(<Menu spec={options.spec} specPath={options.specPath} store={store} kubeconfigPath={kubeconfigPath} color={options.color} onDone={(r) => resolve(r)} />, {
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
    done,
    onSignal: () => resolve({ action: 'quit', interrupted: true }),
    settleMs: 30,
    // The menu's node check keeps answers in memory only: no draft of it is left behind.
    beforeUnmount: () => {
      if (!hadDraft) discardDraft(store.getState().answers, options.env);
    },
  });
}
