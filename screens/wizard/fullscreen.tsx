// Runs an Ink tree full-screen until `done` settles: the alternate screen buffer (the shell's
// scrollback stays as it was), SIGHUP/SIGTERM handed to the caller, and a clean hand-back of
// the terminal afterwards. Shared by the wizard and the rerun menu.
import type { ReactElement } from 'react';
import { render } from 'ink';

export interface FullScreenOptions<T> {
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Resolves with the screen's result. */
  done: Promise<T>;
  /** A hang-up or termination: make `done` settle (keep answers, quit). */
  onSignal: () => void;
  /** How long the last frame stays before the screen is left. */
  settleMs: number;
  /** Runs before the tree unmounts (e.g. write the draft). */
  beforeUnmount?: () => void;
}

export async function runFullScreen<T>(element: ReactElement, options: FullScreenOptions<T>): Promise<T> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  stdin.resume();
  stdout.write('\u001B[?1049h\u001B[H');
  const onExit = () => stdout.write('\u001B[?1049l');
  process.once('exit', onExit);
  process.once('SIGHUP', options.onSignal);
  process.once('SIGTERM', options.onSignal);
  const ink = render(element, { stdout, stdin, exitOnCtrlC: false, patchConsole: true, maxFps: 30 });
  try {
    const result = await options.done;
    await new Promise((r) => setTimeout(r, options.settleMs)); // let the last frame show
    return result;
  } finally {
    options.beforeUnmount?.();
    ink.unmount();
    ink.cleanup();
    process.off('SIGHUP', options.onSignal);
    process.off('SIGTERM', options.onSignal);
    process.off('exit', onExit);
    onExit();
    // Ink leaves stdin flowing; pause it so the process can end (whoever asks next resumes it).
    stdin.pause();
  }
}
