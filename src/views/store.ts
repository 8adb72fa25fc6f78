// The one event store behind the progress view and `hobbykube status`: a pure reducer over the
// runner's RunEvents, memory samples and workload rollout states, wrapped in a small store with
// batched, throttled notifications.
//
// Bounded memory whatever the run prints: per node only the last TAIL_LINES output lines are
// kept (the full output goes to the log file), memory history is capped at HISTORY_SAMPLES, and
// failure details keep at most FAILURE_LINES lines.
//
// Cheap under fast output (10k lines/s): the store does not reduce every `step-output` event on
// its own. Output lines wait in a per-step ring of TAIL_LINES lines and are folded into the state
// as one `output-batch` action when anything else happens, when someone reads the state, or at
// the next notification. Subscribers are told at most once per `throttleMs` (trailing edge, so
// the last change is always delivered).
import type { RunEvent, StepRef } from '../events.js';
import type { MemorySample, MemorySink } from '../monitor/memory.js';
import type { NodeRole } from '../spec/types.js';
import { hintFor } from './hints.js';

export const TAIL_LINES = 8;
/** 5 minutes of 2 s samples. */
export const HISTORY_SAMPLES = 150;
export const FAILURE_LINES = 12;
/** A single output line is cut to this many characters in the state (the log file has it all). */
export const MAX_LINE_CHARS = 400;

export type StepStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'blocked';

export interface FailureInfo {
  exitCode?: number;
  message: string;
  lastLines: string[];
  /** One line naming a known cause (hints.ts), when recognised. */
  hint?: string;
}

export interface StepState {
  id: string;
  node: string;
  title: string;
  status: StepStatus;
  startedAt?: number;
  finishedAt?: number;
  durationMs?: number;
  /** Skipped: the probe's reason. Blocked: why it never ran. */
  reason?: string;
  /** Set while a retry is under way (2 = second attempt). */
  attempt?: number;
  retryMessage?: string;
  failure?: FailureInfo;
}

export interface TailLine {
  step: string;
  line: string;
  stream: 'stdout' | 'stderr';
}

export interface NodeMemory {
  latest?: MemorySample;
  /** usedMiB of the last HISTORY_SAMPLES samples, oldest first (the sparkline). */
  history: number[];
  /** The last sampling error, cleared by the next good sample. */
  error?: string;
  errorAt?: number;
}

export interface NodeState {
  name: string;
  role?: NodeRole;
  /** Step ids on this node, in plan order. */
  steps: string[];
  /** Last TAIL_LINES output lines of this node's running steps. */
  tail: TailLine[];
  /** Output lines seen on this node (all of them, not just the tail). */
  outputLines: number;
  memory: NodeMemory;
  /** From the control plane (status): Ready or not, with the reason when not. */
  ready?: boolean;
  readyReason?: string;
}

/**
 * A workload's rollout state. The rollout follower (written separately) dispatches
 * `{type: 'workloads', workloads}` with the full list, or `{type: 'workload', workload}` for one.
 */
export interface WorkloadStatus {
  name: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob' | 'Job' | (string & {});
  namespace?: string;
  /** Ready pods (CronJob: active jobs). */
  ready: number;
  /** Desired replicas (CronJob: 0, or the jobs expected to run). */
  desired: number;
  /** Pods on the current revision. */
  updated: number;
  /** Why it is stuck (ImagePullBackOff, Unschedulable: Insufficient memory ...), when it is. */
  reason?: string;
  /** CronJob: last schedule time, if any. */
  lastScheduleTime?: number;
  /** A database's dump CronJob: how recent its last successful dump is. */
  dump?: { database: string; overdue: boolean; text: string; lastSuccess?: number };
}

export interface RunTotals {
  total: number;
  pending: number;
  running: number;
  done: number;
  skipped: number;
  failed: number;
  blocked: number;
}

export interface RunResult {
  ok: boolean;
  durationMs: number;
  done: number;
  skipped: number;
  failed: number;
  blocked: number;
}

export interface ViewState {
  /** Bumped by every change; views compare it to skip work. */
  version: number;
  startedAt?: number;
  finishedAt?: number;
  result?: RunResult;
  steps: Record<string, StepState>;
  /** Every step id in plan order. */
  order: string[];
  nodes: Record<string, NodeState>;
  /** Node names in first-seen order (declared nodes first). */
  nodeOrder: string[];
  totals: RunTotals;
  /** Ids of failed steps, in the order they failed. */
  failures: string[];
  /** Ids of finished (done/skipped/failed/blocked) steps in the order they finished: the `<Static>` feed. */
  finished: string[];
  workloads: WorkloadStatus[];
  /** The time of the last event or sample (the view's clock falls back to it in tests). */
  lastEventAt?: number;
}

/** What the store accepts besides RunEvents. */
export type StoreAction =
  | RunEvent
  | { type: 'nodes'; nodes: Array<{ name: string; role?: NodeRole }> }
  | { type: 'output-batch'; time: number; step: StepRef; lines: Array<{ line: string; stream: 'stdout' | 'stderr' }>; count: number }
  | { type: 'memory-sample'; node: string; sample: MemorySample }
  | { type: 'memory-error'; node: string; time: number; message: string }
  | { type: 'node-ready'; node: string; ready: boolean; reason?: string }
  | { type: 'workloads'; workloads: WorkloadStatus[] }
  | { type: 'workload'; workload: WorkloadStatus };

const EMPTY_TOTALS: RunTotals = { total: 0, pending: 0, running: 0, done: 0, skipped: 0, failed: 0, blocked: 0 };

export function initialState(): ViewState {
  return { version: 0, steps: {}, order: [], nodes: {}, nodeOrder: [], totals: { ...EMPTY_TOTALS }, failures: [], finished: [], workloads: [] };
}

const cut = (line: string) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line);

function emptyNode(name: string, role?: NodeRole): NodeState {
  return { name, ...(role ? { role } : {}), steps: [], tail: [], outputLines: 0, memory: { history: [] } };
}

/** Ensures the node exists; returns new nodes/nodeOrder only when it had to add one. */
function withNode(state: ViewState, name: string): Pick<ViewState, 'nodes' | 'nodeOrder'> {
  if (state.nodes[name]) return { nodes: state.nodes, nodeOrder: state.nodeOrder };
  return { nodes: { ...state.nodes, [name]: emptyNode(name) }, nodeOrder: [...state.nodeOrder, name] };
}

function setNode(state: ViewState, name: string, update: (node: NodeState) => NodeState): ViewState {
  const base = withNode(state, name);
  const node = base.nodes[name]!;
  return { ...state, nodeOrder: base.nodeOrder, nodes: { ...base.nodes, [name]: update(node) } };
}

function countTotals(steps: Record<string, StepState>, order: string[]): RunTotals {
  const t: RunTotals = { ...EMPTY_TOTALS, total: order.length };
  for (const id of order) t[steps[id]!.status] += 1;
  return t;
}

/** Moves one step to a new status, keeping the totals right without recounting. */
function updateStep(state: ViewState, ref: StepRef, patch: Partial<StepState>): ViewState {
  let next = state;
  let step = state.steps[ref.id];
  if (!step) {
    // An event for a step the run-started list did not name (a resumed or partial feed): add it.
    step = { id: ref.id, node: ref.node, title: ref.title, status: 'pending' };
    next = setNode(next, ref.node, (n) => ({ ...n, steps: [...n.steps, ref.id] }));
    next = { ...next, order: [...next.order, ref.id], totals: { ...next.totals, total: next.totals.total + 1, pending: next.totals.pending + 1 } };
  }
  const updated: StepState = { ...step, ...patch };
  const totals = { ...next.totals };
  if (updated.status !== step.status) {
    totals[step.status] -= 1;
    totals[updated.status] += 1;
  }
  const isEnd = (s: StepStatus) => s === 'done' || s === 'skipped' || s === 'failed' || s === 'blocked';
  const finished = isEnd(updated.status) && !isEnd(step.status) ? [...next.finished, ref.id] : next.finished;
  return { ...next, steps: { ...next.steps, [ref.id]: updated }, totals, finished };
}

/** Drops a step's lines from its node's tail (the tail shows running steps only). */
function dropTail(state: ViewState, ref: StepRef): ViewState {
  const node = state.nodes[ref.node];
  if (!node || !node.tail.some((t) => t.step === ref.id)) return state;
  return setNode(state, ref.node, (n) => ({ ...n, tail: n.tail.filter((t) => t.step !== ref.id) }));
}

function appendTail(tail: TailLine[], step: string, lines: Array<{ line: string; stream: 'stdout' | 'stderr' }>): TailLine[] {
  const add = lines.slice(-TAIL_LINES).map((l) => ({ step, line: cut(l.line), stream: l.stream }));
  const merged = tail.length + add.length <= TAIL_LINES ? [...tail, ...add] : [...tail, ...add].slice(-TAIL_LINES);
  return merged;
}

/** The pure reducer. Never mutates its input; unknown actions return the same state. */
export function reduce(state: ViewState, action: StoreAction): ViewState {
  const next = reduceInner(state, action);
  return next === state ? state : { ...next, version: state.version + 1 };
}

function reduceInner(state: ViewState, action: StoreAction): ViewState {
  switch (action.type) {
    case 'run-started': {
      // A new run: steps start over, memory history, node readiness and workloads stay.
      const steps: Record<string, StepState> = {};
      const order: string[] = [];
      let nodes: Record<string, NodeState> = {};
      const nodeOrder = [...state.nodeOrder];
      for (const name of state.nodeOrder) nodes[name] = { ...state.nodes[name]!, steps: [], tail: [], outputLines: 0 };
      for (const ref of action.steps) {
        if (steps[ref.id]) continue;
        steps[ref.id] = { id: ref.id, node: ref.node, title: ref.title, status: 'pending' };
        order.push(ref.id);
        if (!nodes[ref.node]) {
          nodes = { ...nodes, [ref.node]: emptyNode(ref.node) };
          nodeOrder.push(ref.node);
        }
        nodes[ref.node] = { ...nodes[ref.node]!, steps: [...nodes[ref.node]!.steps, ref.id] };
      }
      return {
        ...state,
        startedAt: action.time,
        finishedAt: undefined,
        result: undefined,
        steps,
        order,
        nodes,
        nodeOrder,
        totals: countTotals(steps, order),
        failures: [],
        finished: [],
        lastEventAt: action.time,
      };
    }
    case 'step-started':
      return { ...updateStep(state, action.step, { status: 'running', startedAt: action.time }), lastEventAt: action.time };
    case 'step-output':
      return reduceInner(state, { type: 'output-batch', time: action.time, step: action.step, lines: [{ line: action.line, stream: action.stream }], count: 1 });
    case 'output-batch': {
      const withStep = state.steps[action.step.id] ? state : updateStep(state, action.step, { status: 'running', startedAt: action.time });
      return {
        ...setNode(withStep, action.step.node, (n) => ({
          ...n,
          tail: appendTail(n.tail, action.step.id, action.lines),
          outputLines: n.outputLines + action.count,
        })),
        lastEventAt: action.time,
      };
    }
    case 'step-skipped':
      return {
        ...updateStep(state, action.step, { status: 'skipped', reason: action.reason, finishedAt: action.time, attempt: undefined, retryMessage: undefined }),
        lastEventAt: action.time,
      };
    case 'step-finished':
      return {
        ...dropTail(
          updateStep(state, action.step, { status: 'done', durationMs: action.durationMs, finishedAt: action.time, attempt: undefined, retryMessage: undefined }),
          action.step,
        ),
        lastEventAt: action.time,
      };
    case 'step-retrying':
      return {
        ...dropTail(updateStep(state, action.step, { status: 'running', attempt: action.attempt, retryMessage: action.message }), action.step),
        lastEventAt: action.time,
      };
    case 'step-failed': {
      // The runner's lastLines, or what the tail still holds for this step when it sent none.
      const fromTail = state.nodes[action.step.node]?.tail.filter((t) => t.step === action.step.id).map((t) => t.line) ?? [];
      const lastLines = (action.lastLines.length > 0 ? action.lastLines : fromTail).slice(-FAILURE_LINES).map(cut);
      const hint = hintFor(lastLines, action.message);
      const failure: FailureInfo = {
        ...(action.exitCode !== undefined ? { exitCode: action.exitCode } : {}),
        message: cut(action.message),
        lastLines,
        ...(hint ? { hint } : {}),
      };
      const next = dropTail(
        updateStep(state, action.step, { status: 'failed', durationMs: action.durationMs, finishedAt: action.time, failure, attempt: undefined, retryMessage: undefined }),
        action.step,
      );
      return { ...next, failures: next.failures.includes(action.step.id) ? next.failures : [...next.failures, action.step.id], lastEventAt: action.time };
    }
    case 'step-blocked':
      return { ...updateStep(state, action.step, { status: 'blocked', reason: action.because, finishedAt: action.time }), lastEventAt: action.time };
    case 'run-finished':
      return {
        ...state,
        finishedAt: action.time,
        result: { ok: action.ok, durationMs: action.durationMs, done: action.done, skipped: action.skipped, failed: action.failed, blocked: action.blocked },
        lastEventAt: action.time,
      };
    case 'nodes': {
      let next = state;
      for (const n of action.nodes) next = setNode(next, n.name, (node) => (n.role && node.role !== n.role ? { ...node, role: n.role } : node));
      return next;
    }
    case 'memory-sample':
      return {
        ...setNode(state, action.node, (n) => {
          const history = n.memory.history.length >= HISTORY_SAMPLES ? n.memory.history.slice(1 - HISTORY_SAMPLES) : n.memory.history.slice();
          history.push(action.sample.usedMiB);
          return { ...n, memory: { latest: action.sample, history } };
        }),
        lastEventAt: action.sample.time,
      };
    case 'memory-error':
      return setNode(state, action.node, (n) => ({ ...n, memory: { ...n.memory, error: cut(action.message), errorAt: action.time } }));
    case 'node-ready':
      return setNode(state, action.node, (n) => ({ ...n, ready: action.ready, ...(action.reason ? { readyReason: action.reason } : { readyReason: undefined }) }));
    case 'workloads':
      return { ...state, workloads: action.workloads.map((w) => ({ ...w })) };
    case 'workload': {
      const key = (w: WorkloadStatus) => `${w.kind}/${w.namespace ?? ''}/${w.name}`;
      const i = state.workloads.findIndex((w) => key(w) === key(action.workload));
      const workloads = state.workloads.slice();
      if (i >= 0) workloads[i] = { ...action.workload };
      else workloads.push({ ...action.workload });
      return { ...state, workloads };
    }
    default:
      return state;
  }
}

// ---------------------------------------------------------------- the store

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

// ---------------------------------------------------------------- selectors the views share

/** The node's steps in plan order. */
export function nodeSteps(state: ViewState, node: string): StepState[] {
  return (state.nodes[node]?.steps ?? []).map((id) => state.steps[id]!).filter(Boolean);
}

/** Steps finished or running on a node, in a compact form: the running ones, else the last finished. */
export function currentSteps(state: ViewState, node: string): StepState[] {
  const steps = nodeSteps(state, node);
  const running = steps.filter((s) => s.status === 'running');
  if (running.length > 0) return running;
  const failed = steps.filter((s) => s.status === 'failed');
  if (failed.length > 0) return failed;
  return [];
}
