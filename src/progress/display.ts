// Where a run's progress goes: the live view (screens/progress, liveDisplay) or plain lines
// (plainDisplay below). Both take the runner's events and the nodes' memory samples; the command
// layer picks one, the phases and `status` only talk to this interface. With the memory watch
// (src/monitor/watch.ts) this is the one monitor wiring: sampler -> display -> view or lines.
import type { Listener } from '../events.js';
import type { MemorySink } from '../monitor/memory.js';
import type { NodeRole } from '../spec/types.js';
import { plainLines, plainMemoryLine } from './plain-lines.js';
import type { StoreAction } from './state.js';

export interface ProgressDisplay {
  /** The runner's events. */
  readonly listener: Listener;
  /** The nodes' memory samples and sampling errors. */
  readonly memory: MemorySink;
  /** How often memory is sampled for this display; undefined: not at all. */
  readonly sampleEveryMs?: number;
  /** Readiness and workload states (`status`); plain lines have no use for them. */
  dispatch(action: StoreAction): void;
  /** Shows the final state and lets go of the terminal. */
  close(): Promise<void>;
}

/** What a display is told about the run it shows. */
export interface DisplayRequest {
  title: string;
  nodes: Array<{ name: string; role: NodeRole }>;
  /** The run's log file, named on the view's summary. */
  logPath?: string;
  /** The run's log (plain lines also write their memory lines there). */
  log?: (line: string) => void;
}

/** Plain lines every 30 s per node: the live view's memory bars, in text. */
export const PLAIN_MEMORY_EVERY_MS = 30_000;

export interface PlainDisplayOptions {
  /** Also print every output line of running steps (pipes and CI: the whole story in the output). */
  showOutput: boolean;
  /** Print each node's memory every PLAIN_MEMORY_EVERY_MS (also into the log); off: no sampling. */
  memoryLines: boolean;
  log?: (line: string) => void;
}

/** Timestamped plain lines, no control codes (stdout not a terminal; `reset`). */
export function plainDisplay(write: (line: string) => void, options: PlainDisplayOptions): ProgressDisplay {
  return {
    listener: (event) => {
      for (const line of plainLines(event, options.showOutput)) write(line);
    },
    memory: {
      sample: (node, sample) => {
        const line = plainMemoryLine(node, sample);
        write(line);
        options.log?.(line);
      },
      error: () => undefined, // a missed sample is not worth a line; the next one comes in 30 s
    },
    ...(options.memoryLines ? { sampleEveryMs: PLAIN_MEMORY_EVERY_MS } : {}),
    dispatch: () => undefined,
    close: async () => undefined,
  };
}
