// Mounts the wizard full-screen (alternate screen buffer) and resolves with the result the CLI
// acts on: apply, saved, or quit (draft kept).
import { WizardStore, type ScreenId, type WizardOptions, type WizardResult } from '../../src/wizard/controller.js';
import { App } from './App.js';
import { runFullScreen } from './fullscreen.js';

export interface RunWizardOptions extends WizardOptions {
  color: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Open on this screen instead of the welcome (the menu's "change workloads"). */
  startScreen?: ScreenId;
}

export async function runWizard(options: RunWizardOptions): Promise<WizardResult> {
  const store = new WizardStore(options);
  if (options.startScreen) store.go(options.startScreen);
  return runFullScreen(<App store={store} color={options.color} />, {
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
    done: store.done,
    onSignal: () => store.interrupt(),
    settleMs: 50,
    beforeUnmount: () => store.flushDraft(),
  });
}
