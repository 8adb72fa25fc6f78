// Mounts the wizard full-screen (alternate screen buffer) and resolves with the flow's result the
// CLI acts on: apply, saved, or quit (draft kept). The command layer builds the flow.
import type { WizardFlow, WizardResult } from '../../src/wizard/flow.js';
import { App } from './App.js';
import { runFullScreen } from './fullscreen.js';

export interface RunWizardOptions {
  flow: WizardFlow;
  color: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

export async function runWizard({ flow, color, stdout, stdin }: RunWizardOptions): Promise<WizardResult> {
  return runFullScreen(<App flow={flow} color={color} />, {
    ...(stdout ? { stdout } : {}),
    ...(stdin ? { stdin } : {}),
    done: flow.done,
    onSignal: () => flow.interrupt(),
    settleMs: 50,
    beforeUnmount: () => flow.flushDraft(),
  });
}
