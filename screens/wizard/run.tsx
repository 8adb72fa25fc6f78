// Mounts the wizard full-screen (alternate screen buffer) and resolves with the result the CLI
// acts on: apply, saved, or quit (draft kept).
import { render } from 'ink';
import { WizardStore, type ScreenId, type WizardOptions, type WizardResult } from '../../src/wizard/controller.js';
import { App } from './App.js';

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
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  stdin.resume();
  stdout.write('\u001B[?1049h\u001B[H'); // alternate screen: the shell's scrollback stays as it was
  const onExit = () => stdout.write('\u001B[?1049l');
  process.once('exit', onExit);
  const onSignal = () => store.interrupt();
  process.once('SIGHUP', onSignal);
  process.once('SIGTERM', onSignal);
  const ink = render(<App store={store} color={options.color} />, { stdout, stdin, exitOnCtrlC: false, patchConsole: true, maxFps: 30 });
  try {
    const result = await store.done;
    await new Promise((r) => setTimeout(r, 50)); // let the last frame show
    return result;
  } finally {
    store.flushDraft();
    ink.unmount();
    ink.cleanup();
    process.off('SIGHUP', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
    onExit();
    // Ink leaves stdin flowing; pause it so the process can end (whoever asks next resumes it).
    stdin.pause();
  }
}
