// The one event store behind the live view and `hobbykube status`: the reducer (reducer.ts) over
// the progress state (state.ts), wrapped with batched, throttled notifications.
//
// Cheap under fast output (10k lines/s): the store does not reduce every `step-output` event on
// its own. Output lines wait in a per-step ring of TAIL_LINES lines and are folded into the state
// as one `output-batch` action when anything else happens, when someone reads the state, or at
// the next notification. Subscribers are told at most once per `throttleMs` (trailing edge, so
// the last change is always delivered).
import type { RunEvent, StepRef } from '../events.js';
import type { MemorySink } from '../monitor/memory.js';
import type { NodeRole } from '../spec/types.js';
import { initialState, MAX_LINE_CHARS, TAIL_LINES, type StoreAction, type ViewState } from './state.js';
import { reduce } from './reducer.js';

export interface StoreOptions {
  /** Subscribers are told at most this often (ms). Default 100 (10 frames/s). 0: on every change, synchronously. */
  throttleMs?: number;
  nodes?: Array<{ name: string; role?: NodeRole }>;
}

export interface Store {
  getState(): ViewState;
  /** A RunEvent, memory sample, workload update ... `step-output` events are batched. */
  dispatch(action: StoreAction): void;
  /** Listener for the runner: `runPlan(steps, ctx, {listener: store.listener})`. */
  readonly listener: (event: RunEvent) => void;
  /** Sink for the memory sampler: `startMemorySampler(host, store.memorySink)`. */
  readonly memorySink: MemorySink;
  /** Called with no arguments after changes, batched; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Folds pending output and tells subscribers now (before unmounting a view, in tests). */
  flush(): void;
  /** Counters for the benchmark. */
  stats(): { dispatched: number; reductions: number; notifications: number };
}

interface Pending {
  ref: StepRef;
  time: number;
  /** Ring of the last TAIL_LINES lines. */
  lines: Array<{ line: string; stream: 'stdout' | 'stderr' }>;
  count: number;
}

export function createStore(options: StoreOptions = {}): Store {
  const throttleMs = options.throttleMs ?? 100;
  let state = initialState();
  if (options.nodes?.length) state = reduce(state, { type: 'nodes', nodes: options.nodes });
  const listeners = new Set<() => void>();
  const pending = new Map<string, Pending>();
  let notifiedVersion = state.version;
  let timer: NodeJS.Timeout | undefined;
  let lastNotify = 0;
  let dispatched = 0;
  let reductions = 0;
  let notifications = 0;

  const apply = (action: StoreAction) => {
    reductions += 1;
    state = reduce(state, action);
  };

  const foldOutput = () => {
    if (pending.size === 0) return;
    const batches = [...pending.values()];
    pending.clear();
    for (const p of batches) apply({ type: 'output-batch', time: p.time, step: p.ref, lines: p.lines, count: p.count });
  };

  const notify = () => {
    timer = undefined;
    foldOutput();
    lastNotify = Date.now();
    if (state.version === notifiedVersion) return;
    notifiedVersion = state.version;
    notifications += 1;
    for (const l of [...listeners]) l();
  };

  const schedule = () => {
    if (listeners.size === 0) return;
    if (throttleMs <= 0) return notify();
    if (timer) return;
    const wait = Math.max(0, lastNotify + throttleMs - Date.now());
    timer = setTimeout(notify, wait);
    // The view's own timers and the run keep the process alive; a pending notification must not.
    timer.unref?.();
  };

  const dispatch = (action: StoreAction) => {
    dispatched += 1;
    if (action.type === 'step-output') {
      let p = pending.get(action.step.id);
      if (!p) {
        p = { ref: action.step, time: action.time, lines: [], count: 0 };
        pending.set(action.step.id, p);
      }
      p.time = action.time;
      p.count += 1;
      p.lines.push({ line: action.line.length > MAX_LINE_CHARS ? action.line.slice(0, MAX_LINE_CHARS) : action.line, stream: action.stream });
      if (p.lines.length > TAIL_LINES * 4) p.lines = p.lines.slice(-TAIL_LINES);
      schedule();
      return;
    }
    // Anything else: the output before it comes first, so the order of events is kept.
    foldOutput();
    apply(action);
    schedule();
  };

  return {
    getState() {
      foldOutput();
      return state;
    },
    dispatch,
    listener: (event: RunEvent) => dispatch(event),
    memorySink: {
      sample: (node, sample) => dispatch({ type: 'memory-sample', node, sample }),
      error: (node, message) => dispatch({ type: 'memory-error', node, time: Date.now(), message }),
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearTimeout(timer);
          timer = undefined;
        }
      };
    },
    flush() {
      if (timer) clearTimeout(timer);
      notify();
    },
    stats: () => ({ dispatched, reductions, notifications }),
  };
}
