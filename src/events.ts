// What the runner tells the world. Views (the Ink progress view, plain lines, the log file)
// subscribe to these; nothing else flows from the engine to the screen.

export interface StepRef {
  id: string;
  node: string;
  title: string;
}

export type RunEvent =
  | { type: 'run-started'; time: number; steps: StepRef[] }
  | { type: 'step-started'; time: number; step: StepRef }
  | { type: 'step-output'; time: number; step: StepRef; line: string; stream: 'stdout' | 'stderr' }
  | { type: 'step-skipped'; time: number; step: StepRef; reason: string }
  | { type: 'step-finished'; time: number; step: StepRef; durationMs: number }
  | { type: 'step-retrying'; time: number; step: StepRef; attempt: number; message: string }
  | {
      type: 'step-failed';
      time: number;
      step: StepRef;
      durationMs: number;
      exitCode?: number;
      message: string;
      lastLines: string[];
    }
  | { type: 'step-blocked'; time: number; step: StepRef; because: string }
  | { type: 'run-finished'; time: number; ok: boolean; durationMs: number; done: number; skipped: number; failed: number; blocked: number };

export type Listener = (event: RunEvent) => void;

/** One listener that tells each of the given ones in turn (the journal, the log file, the view). */
export function fanOut(...listeners: ReadonlyArray<Listener | undefined>): Listener {
  const all = listeners.filter((l): l is Listener => l !== undefined);
  return (event) => {
    for (const listener of all) listener(event);
  };
}
