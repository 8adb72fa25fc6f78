// The pure reducer over the progress state (state.ts): RunEvents, memory samples, readiness and
// workload states in, a new state out. Never mutates its input.
import type { StepRef } from '../events.js';
import type { NodeRole } from '../spec/types.js';
import { hintFor } from './hints.js';
import {
  EMPTY_TOTALS,
  FAILURE_LINES,
  HISTORY_SAMPLES,
  MAX_LINE_CHARS,
  MAX_NOTICES,
  TAIL_LINES,
  type FailureInfo,
  type NodeState,
  type RunTotals,
  type StepState,
  type StepStatus,
  type StoreAction,
  type TailLine,
  type ViewState,
  type WorkloadStatus,
} from './state.js';

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
      return setNode(state, action.node, (n) => ({
        ...n,
        ready: action.ready,
        ...(action.reason ? { readyReason: action.reason } : { readyReason: undefined }),
        ...(action.version ? { version: action.version } : {}),
      }));
    case 'notice': {
      const notice = { key: action.key, text: cut(action.text), warn: action.warn === true };
      const kept = state.notices.filter((n) => n.key !== action.key);
      // An empty text takes the notice away (the condition it named is over).
      if (action.text === '') return kept.length === state.notices.length ? state : { ...state, notices: kept };
      return { ...state, notices: [...kept, notice].slice(-MAX_NOTICES) };
    }
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
