// The progress state behind the live view and `hobbykube status`: what the runner's events,
// memory samples and workload rollout states add up to, as plain data (the reducer is in
// reducer.ts, the store that batches and throttles in store.ts).
//
// Bounded memory whatever the run prints: per node only the last TAIL_LINES output lines are
// kept (the full output goes to the log file), memory history is capped at HISTORY_SAMPLES, and
// failure details keep at most FAILURE_LINES lines.
import type { RunEvent, StepRef } from '../events.js';
import type { MemorySample } from '../monitor/memory.js';
import type { NodeRole } from '../spec/types.js';

export const TAIL_LINES = 8;
/** 5 minutes of 2 s samples. */
export const HISTORY_SAMPLES = 150;
export const FAILURE_LINES = 12;
/** A single output line is cut to this many characters in the state (the log file has it all). */
export const MAX_LINE_CHARS = 400;
/** Notices kept (one per key; a new key beyond this drops the oldest). */
export const MAX_NOTICES = 4;

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
  /** From the control plane (status): the kubelet's version ("v1.37.1"). */
  version?: string;
}

/** A line under the title (status: the control plane's certificates); `warn` draws it as a warning. */
export interface Notice {
  key: string;
  text: string;
  warn: boolean;
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
  /** Lines under the title, one per key (at most MAX_NOTICES). */
  notices: Notice[];
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
  | { type: 'node-ready'; node: string; ready: boolean; reason?: string; version?: string }
  /** A line under the title, replacing the one with the same key; an empty text removes it. */
  | { type: 'notice'; key: string; text: string; warn?: boolean }
  | { type: 'workloads'; workloads: WorkloadStatus[] }
  | { type: 'workload'; workload: WorkloadStatus };

export const EMPTY_TOTALS: RunTotals = { total: 0, pending: 0, running: 0, done: 0, skipped: 0, failed: 0, blocked: 0 };

export function initialState(): ViewState {
  return { version: 0, steps: {}, order: [], nodes: {}, nodeOrder: [], totals: { ...EMPTY_TOTALS }, failures: [], finished: [], workloads: [], notices: [] };
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
