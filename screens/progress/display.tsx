// The live display: the progress store (src/progress/store.ts) and the Ink view on this terminal,
// behind the ProgressDisplay interface the phases and `status` talk to. Memory is sampled every
// 2 s over each node's existing connection.
import { SAMPLE_INTERVAL_MS } from '../../src/monitor/memory.js';
import type { DisplayRequest, ProgressDisplay } from '../../src/progress/display.js';
import { createStore } from '../../src/progress/store.js';
import { mountProgressView } from './mount.js';
import type { ProgressIntent } from './ProgressView.js';

export interface LiveDisplayOptions extends DisplayRequest {
  /** q / Esc / Ctrl-C pressed (status). Without it, the view reads no keys and leaves stdin alone. */
  onIntent?: (intent: ProgressIntent) => void;
}

export function liveDisplay(options: LiveDisplayOptions): ProgressDisplay {
  const store = createStore({ nodes: options.nodes });
  const view = mountProgressView(store, {
    title: options.title,
    ...(options.logPath !== undefined ? { logPath: options.logPath } : {}),
    ...(options.onIntent !== undefined ? { onIntent: options.onIntent } : {}),
  });
  return {
    listener: store.listener,
    memory: store.memorySink,
    sampleEveryMs: SAMPLE_INTERVAL_MS,
    dispatch: (action) => store.dispatch(action),
    close: () => view.unmount(), // flushes the store first, so the frame left on screen is the last one
  };
}
