// What the live view draws: every check's latest result, kept as checks start and end, with
// throttled notifications (at most one per `throttleMs`, the last change always delivered).
import { pendingResult } from './run.js';
import type { CheckDefinition, CheckResult } from './types.js';

export interface DoctorState {
  cluster: string;
  nodes: Array<{ name: string; role: string }>;
  startedAt: number;
  /** In definition order. */
  results: CheckResult[];
  done: boolean;
  finishedAt?: number;
}

export interface DoctorStore {
  getState(): DoctorState;
  subscribe(listener: () => void): () => void;
  update(result: CheckResult): void;
  finish(): void;
}

export function createDoctorStore(input: { cluster: string; nodes: Array<{ name: string; role: string }>; checks: readonly CheckDefinition[]; now?: () => number; throttleMs?: number }): DoctorStore {
  const now = input.now ?? Date.now;
  const throttleMs = input.throttleMs ?? 100;
  const index = new Map(input.checks.map((c, i) => [c.id, i]));
  let state: DoctorState = { cluster: input.cluster, nodes: input.nodes, startedAt: now(), results: input.checks.map(pendingResult), done: false };
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let last = 0;
  const notify = () => {
    timer = undefined;
    last = now();
    for (const l of [...listeners]) l();
  };
  const schedule = () => {
    if (timer) return;
    const wait = Math.max(0, throttleMs - (now() - last));
    timer = setTimeout(notify, wait);
  };
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update(result) {
      const i = index.get(result.id);
      if (i === undefined) return;
      const results = [...state.results];
      results[i] = result;
      state = { ...state, results };
      schedule();
    },
    finish() {
      state = { ...state, done: true, finishedAt: now() };
      if (timer) clearTimeout(timer);
      notify();
    },
  };
}
