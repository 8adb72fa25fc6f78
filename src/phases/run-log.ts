// The run's log file, logs/<command>-<time>.log (0600): the surveys, the addresses, every event
// with every output line, whatever the terminal shows.
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Listener } from '../events.js';
import { plainLines } from '../progress/plain-lines.js';
import type { FlowState } from './flow.js';
import { need, type Phase } from './phase.js';

export interface RunLog {
  readonly path: string;
  /** Appends one line. */
  line(text: string): void;
  /** The runner's listener: every event as plain lines, output included. */
  readonly listener: Listener;
  close(): Promise<void>;
}

export function openRunLog(path: string): RunLog {
  const stream: WriteStream = createWriteStream(path, { mode: 0o600 });
  const line = (text: string) => void stream.write(`${text}\n`);
  return {
    path,
    line,
    listener: (event) => {
      for (const text of plainLines(event, true)) line(text);
    },
    close: () => new Promise<void>((resolve) => stream.end(resolve)),
  };
}

export const startRunLog: Phase<FlowState> = {
  title: 'start the log file',
  run(state) {
    const { paths } = need(state.session, 'a session', this.title);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    state.log = openRunLog(join(paths.logs, `${state.command}-${stamp}.log`));
  },
  async cleanup(state) {
    await state.log?.close();
  },
};
