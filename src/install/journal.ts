// The journal: one JSON line per step outcome, appended as it happens, under the state
// directory. Probes decide what runs on a rerun; the journal is the record of what ran, when,
// and how it ended (for `status`, for resuming reports and for proving nothing ran twice).
// It listens to the runner's events like any view: `runPlan(steps, ctx, {listener: journal.listener})`.
import { appendFileSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { readTextIfExists } from '../state/files.js';
import type { Listener } from '../events.js';

export type JournalOutcome = 'started' | 'done' | 'skipped' | 'failed' | 'blocked';

export interface JournalEntry {
  time: string;
  run: string;
  step: string;
  node: string;
  outcome: JournalOutcome;
  durationMs?: number;
  exitCode?: number;
  message?: string;
}

export class Journal {
  constructor(
    readonly path: string,
    readonly run: string = new Date().toISOString(),
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
  }

  record(entry: Omit<JournalEntry, 'time' | 'run'>): void {
    const line: JournalEntry = { time: new Date().toISOString(), run: this.run, ...entry };
    appendFileSync(this.path, `${JSON.stringify(line)}\n`);
  }

  /** The runner's listener: one entry per step outcome (output and retries are not journalled). */
  readonly listener: Listener = (event) => {
    switch (event.type) {
      case 'step-started':
        return this.record({ step: event.step.id, node: event.step.node, outcome: 'started' });
      case 'step-skipped':
        return this.record({ step: event.step.id, node: event.step.node, outcome: 'skipped', message: event.reason });
      case 'step-finished':
        return this.record({ step: event.step.id, node: event.step.node, outcome: 'done', durationMs: event.durationMs });
      case 'step-failed':
        return this.record({
          step: event.step.id,
          node: event.step.node,
          outcome: 'failed',
          durationMs: event.durationMs,
          message: event.message,
          ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}),
        });
      case 'step-blocked':
        return this.record({ step: event.step.id, node: event.step.node, outcome: 'blocked', message: event.because });
      default:
        return undefined;
    }
  };
}

/** Every entry; a line cut short by a crash mid-write is ignored rather than fatal. */
export function readJournal(path: string): JournalEntry[] {
  const text = readTextIfExists(path);
  if (text === undefined) return [];
  const entries: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      // A torn last line from a killed process.
    }
  }
  return entries;
}
