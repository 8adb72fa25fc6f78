import { describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../src/events.js';
import { createStore } from '../../src/progress/store.js';
import { currentSteps, HISTORY_SAMPLES, initialState, nodeSteps, TAIL_LINES, type StoreAction, type ViewState } from '../../src/progress/state.js';
import { reduce } from '../../src/progress/reducer.js';
import { ALL_STEPS, failedFinishedEvents, fixtureSample, runningEvents, STEPS, successEvents, T0 } from './scenario.js';

const fold = (actions: StoreAction[], from: ViewState = initialState()) => actions.reduce(reduce, from);
const started = (): ViewState => fold([{ type: 'run-started', time: T0, steps: ALL_STEPS }]);

describe('reduce: one event type at a time', () => {
  it('run-started lists every step as pending, grouped by node in plan order', () => {
    const s = started();
    expect(s.startedAt).toBe(T0);
    expect(s.order).toEqual(ALL_STEPS.map((x) => x.id));
    expect(s.nodeOrder).toEqual(['cp1', 'w1', 'w2']);
    expect(s.nodes.cp1!.steps).toEqual(['cp1/prepare', 'cp1/containerd', 'cp1/packages', 'cp1/init', 'cp1/flannel']);
    expect(s.totals).toEqual({ total: 13, pending: 13, running: 0, done: 0, skipped: 0, failed: 0, blocked: 0 });
  });

  it('step-started marks the step running with its start time', () => {
    const s = reduce(started(), { type: 'step-started', time: T0 + 5, step: STEPS.cpInit });
    expect(s.steps['cp1/init']).toMatchObject({ status: 'running', startedAt: T0 + 5 });
    expect(s.totals).toMatchObject({ pending: 12, running: 1 });
  });

  it('step-output keeps only the last TAIL_LINES lines of the node', () => {
    let s = reduce(started(), { type: 'step-started', time: T0, step: STEPS.cpInit });
    for (let i = 0; i < 20; i++) s = reduce(s, { type: 'step-output', time: T0 + i, step: STEPS.cpInit, line: `line ${i}`, stream: i % 2 ? 'stderr' : 'stdout' });
    expect(s.nodes.cp1!.tail.map((t) => t.line)).toEqual(Array.from({ length: TAIL_LINES }, (_, i) => `line ${12 + i}`));
    expect(s.nodes.cp1!.tail[0]).toEqual({ step: 'cp1/init', line: 'line 12', stream: 'stdout' });
    expect(s.nodes.cp1!.outputLines).toBe(20);
    expect(s.nodes.w1!.tail).toEqual([]);
  });

  it('step-skipped records the reason and counts as finished', () => {
    const s = reduce(started(), { type: 'step-skipped', time: T0 + 1, step: STEPS.cpContainerd, reason: 'already running' });
    expect(s.steps['cp1/containerd']).toMatchObject({ status: 'skipped', reason: 'already running' });
    expect(s.finished).toEqual(['cp1/containerd']);
    expect(s.totals.skipped).toBe(1);
  });

  it('step-finished records the duration and drops the step from the tail', () => {
    let s = fold(
      [
        { type: 'step-started', time: T0, step: STEPS.cpInit },
        { type: 'step-output', time: T0, step: STEPS.cpInit, line: 'x', stream: 'stdout' },
        { type: 'step-finished', time: T0 + 40_000, step: STEPS.cpInit, durationMs: 40_000 },
      ],
      started(),
    );
    expect(s.steps['cp1/init']).toMatchObject({ status: 'done', durationMs: 40_000, finishedAt: T0 + 40_000 });
    expect(s.nodes.cp1!.tail).toEqual([]);
    expect(s.totals).toMatchObject({ done: 1, running: 0, pending: 12 });
    s = reduce(s, { type: 'step-finished', time: T0, step: STEPS.cpInit, durationMs: 1 });
    expect(s.finished).toEqual(['cp1/init']); // a repeated end does not list it twice
  });

  it('step-retrying keeps the step running with the attempt and clears the old attempt\'s tail', () => {
    const s = fold(
      [
        { type: 'step-started', time: T0, step: STEPS.w1Packages },
        { type: 'step-output', time: T0, step: STEPS.w1Packages, line: 'E: Could not get lock /var/lib/dpkg/lock-frontend', stream: 'stderr' },
        { type: 'step-retrying', time: T0 + 1, step: STEPS.w1Packages, attempt: 2, message: 'exit code 100' },
      ],
      started(),
    );
    expect(s.steps['w1/packages']).toMatchObject({ status: 'running', attempt: 2, retryMessage: 'exit code 100' });
    expect(s.nodes.w1!.tail).toEqual([]);
    const done = reduce(s, { type: 'step-finished', time: T0 + 9, step: STEPS.w1Packages, durationMs: 9 });
    expect(done.steps['w1/packages']!.attempt).toBeUndefined();
  });

  it('step-failed keeps exit code, message, last lines and a hint', () => {
    const s = fold(
      [
        { type: 'step-started', time: T0, step: STEPS.w1Join },
        { type: 'step-failed', time: T0 + 5, step: STEPS.w1Join, durationMs: 5, exitCode: 1, message: 'kubeadm join failed', lastLines: ['error: token "abcdef.0123456789abcdef" is invalid'] },
      ],
      started(),
    );
    expect(s.steps['w1/join']!.failure).toEqual({
      exitCode: 1,
      message: 'kubeadm join failed',
      lastLines: ['error: token "abcdef.0123456789abcdef" is invalid'],
      hint: expect.stringContaining('join token'),
    });
    expect(s.failures).toEqual(['w1/join']);
    expect(s.totals.failed).toBe(1);
  });

  it('step-failed without lastLines takes the step\'s lines from the tail', () => {
    const s = fold(
      [
        { type: 'step-started', time: T0, step: STEPS.w2Packages },
        { type: 'step-output', time: T0, step: STEPS.w2Packages, line: 'E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 812 (unattended-upgr)', stream: 'stderr' },
        { type: 'step-failed', time: T0 + 1, step: STEPS.w2Packages, durationMs: 1, exitCode: 100, message: 'apt-get install failed', lastLines: [] },
      ],
      started(),
    );
    expect(s.steps['w2/packages']!.failure?.lastLines).toEqual(['E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 812 (unattended-upgr)']);
    expect(s.steps['w2/packages']!.failure?.hint).toMatch(/package lock/);
    expect(s.nodes.w2!.tail).toEqual([]);
  });

  it('step-blocked records why the step never ran', () => {
    const s = reduce(started(), { type: 'step-blocked', time: T0, step: STEPS.w1Join, because: 'waits for cp1/init, which did not finish' });
    expect(s.steps['w1/join']).toMatchObject({ status: 'blocked', reason: 'waits for cp1/init, which did not finish' });
    expect(s.totals.blocked).toBe(1);
  });

  it('run-finished stores the result', () => {
    const s = reduce(started(), { type: 'run-finished', time: T0 + 9, ok: true, durationMs: 9, done: 13, skipped: 0, failed: 0, blocked: 0 });
    expect(s.result).toEqual({ ok: true, durationMs: 9, done: 13, skipped: 0, failed: 0, blocked: 0 });
    expect(s.finishedAt).toBe(T0 + 9);
  });

  it('an event for a step run-started did not list adds it', () => {
    const s = reduce(initialState(), { type: 'step-started', time: T0, step: { id: 'x', node: 'n9', title: 'X' } });
    expect(s.order).toEqual(['x']);
    expect(s.nodeOrder).toEqual(['n9']);
    expect(s.totals).toMatchObject({ total: 1, running: 1, pending: 0 });
  });

  it('never mutates the state it is given, and bumps version only on change', () => {
    const before = started();
    const frozen = JSON.stringify(before);
    const after = reduce(before, { type: 'step-started', time: T0, step: STEPS.cpInit });
    expect(JSON.stringify(before)).toBe(frozen);
    expect(after.version).toBe(before.version + 1);
    expect(reduce(after, { type: 'nope' } as unknown as StoreAction)).toBe(after);
  });
});

describe('reduce: memory, readiness, workloads', () => {
  it('memory samples keep the latest and a bounded history of used MiB', () => {
    let s = reduce(initialState(), { type: 'nodes', nodes: [{ name: 'cp1', role: 'control-plane' }] });
    const sample = fixtureSample('control-plane-1gb');
    for (let i = 0; i < HISTORY_SAMPLES + 30; i++) s = reduce(s, { type: 'memory-sample', node: 'cp1', sample: { ...sample, time: T0 + i, usedMiB: i } });
    expect(s.nodes.cp1!.memory.history).toHaveLength(HISTORY_SAMPLES);
    expect(s.nodes.cp1!.memory.history.at(-1)).toBe(HISTORY_SAMPLES + 29);
    expect(s.nodes.cp1!.memory.latest?.time).toBe(T0 + HISTORY_SAMPLES + 29);
    expect(s.nodes.cp1!.role).toBe('control-plane');
  });

  it('a sampling error is kept until the next good sample', () => {
    let s = reduce(initialState(), { type: 'memory-error', node: 'w1', time: T0, message: 'connection lost' });
    expect(s.nodes.w1!.memory.error).toBe('connection lost');
    s = reduce(s, { type: 'memory-sample', node: 'w1', sample: fixtureSample('worker-512mb') });
    expect(s.nodes.w1!.memory.error).toBeUndefined();
  });

  it('node readiness and workload rollouts (upsert by kind/namespace/name)', () => {
    let s = reduce(initialState(), { type: 'node-ready', node: 'w1', ready: false, reason: 'KubeletNotReady' });
    expect(s.nodes.w1).toMatchObject({ ready: false, readyReason: 'KubeletNotReady' });
    s = reduce(s, { type: 'workloads', workloads: [{ name: 'web', kind: 'Deployment', ready: 0, desired: 2, updated: 0 }] });
    s = reduce(s, { type: 'workload', workload: { name: 'web', kind: 'Deployment', ready: 2, desired: 2, updated: 2 } });
    s = reduce(s, { type: 'workload', workload: { name: 'mysql', kind: 'StatefulSet', ready: 0, desired: 1, updated: 0, reason: 'Unschedulable: Insufficient memory' } });
    expect(s.workloads.map((w) => `${w.name} ${w.ready}/${w.desired}`)).toEqual(['web 2/2', 'mysql 0/1']);
  });

  it('a new run-started keeps memory and readiness but starts the steps over', () => {
    let s = fold([...failedFinishedEvents(), { type: 'memory-sample', node: 'cp1', sample: fixtureSample('control-plane-1gb') }]);
    s = reduce(s, { type: 'run-started', time: T0 + 1e6, steps: [STEPS.w1Join] });
    expect(s.order).toEqual(['w1/join']);
    expect(s.failures).toEqual([]);
    expect(s.result).toBeUndefined();
    expect(s.nodes.cp1!.memory.latest).toBeDefined();
    expect(s.nodes.cp1!.steps).toEqual([]);
  });
});

describe('reduce: whole runs, ordering across nodes', () => {
  it('interleaved events of three nodes land on the right nodes', () => {
    const s = fold(runningEvents());
    expect(currentSteps(s, 'cp1').map((x) => x.id)).toEqual(['cp1/init']);
    expect(currentSteps(s, 'w1').map((x) => x.id)).toEqual(['w1/packages']);
    expect(currentSteps(s, 'w2').map((x) => x.id)).toEqual(['w2/packages']);
    expect(s.nodes.cp1!.tail.at(-1)?.line).toMatch(/wait-control-plane/);
    expect(s.nodes.w1!.tail.map((t) => t.line)).toEqual(['Unpacking kubelet (1.37.1-1.1) ...']);
    expect(s.nodes.w2!.tail.map((t) => t.stream)).toEqual(['stderr']);
    expect(s.totals).toEqual({ total: 13, pending: 3, running: 3, done: 5, skipped: 2, failed: 0, blocked: 0 });
    expect(s.finished).toEqual(['cp1/prepare', 'w1/prepare', 'w2/prepare', 'cp1/containerd', 'w1/containerd', 'w2/containerd', 'cp1/packages']);
  });

  it('a successful run ends with every step done or skipped', () => {
    const s = fold(successEvents());
    expect(s.totals).toMatchObject({ done: 11, skipped: 2, running: 0, pending: 0 });
    expect(s.result?.ok).toBe(true);
    for (const n of ['cp1', 'w1', 'w2']) expect(nodeSteps(s, n).every((x) => x.status === 'done' || x.status === 'skipped')).toBe(true);
  });

  it('the same events in a different cross-node order give the same per-node state', () => {
    const events = runningEvents();
    const [first, ...rest] = events;
    // Keep each node's own order, interleave nodes differently (all cp1 last).
    const byNode = (e: RunEvent) => ('step' in e ? e.step.node : '');
    const shuffled = [first!, ...rest.filter((e) => byNode(e) !== 'cp1'), ...rest.filter((e) => byNode(e) === 'cp1')];
    const a = fold(events);
    const b = fold(shuffled);
    for (const id of a.order) expect(b.steps[id]).toEqual(a.steps[id]);
    for (const n of a.nodeOrder) expect(b.nodes[n]!.tail).toEqual(a.nodes[n]!.tail);
    expect(b.totals).toEqual(a.totals);
  });
});

describe('createStore', () => {
  it('gives the same state as the reducer, with output batched', () => {
    const store = createStore({ throttleMs: 0 });
    for (const e of failedFinishedEvents()) store.dispatch(e);
    const direct = fold(failedFinishedEvents());
    const got = store.getState();
    expect(got.steps).toEqual(direct.steps);
    expect(got.nodes).toEqual(direct.nodes);
    expect(got.totals).toEqual(direct.totals);
  });

  it('folds 100k output lines into one bounded tail and few reductions', () => {
    const store = createStore({ throttleMs: 100 });
    store.dispatch({ type: 'run-started', time: T0, steps: ALL_STEPS });
    store.dispatch({ type: 'step-started', time: T0, step: STEPS.cpInit });
    for (let i = 0; i < 100_000; i++) store.dispatch({ type: 'step-output', time: T0 + i, step: STEPS.cpInit, line: `line ${i}`, stream: 'stdout' });
    const s = store.getState();
    expect(s.nodes.cp1!.tail.map((t) => t.line)).toEqual(Array.from({ length: TAIL_LINES }, (_, i) => `line ${99_992 + i}`));
    expect(s.nodes.cp1!.outputLines).toBe(100_000);
    expect(store.stats().reductions).toBeLessThan(10);
  });

  it('notifies subscribers at most once per throttle window, with the last change', async () => {
    vi.useFakeTimers();
    try {
      const store = createStore({ throttleMs: 100 });
      const seen: number[] = [];
      store.subscribe(() => seen.push(store.getState().nodes.cp1?.outputLines ?? -1));
      store.dispatch({ type: 'run-started', time: T0, steps: ALL_STEPS });
      for (let i = 0; i < 1000; i++) store.dispatch({ type: 'step-output', time: T0, step: STEPS.cpInit, line: String(i), stream: 'stdout' });
      expect(seen).toEqual([]);
      await vi.advanceTimersByTimeAsync(100);
      expect(seen).toEqual([1000]);
      for (let i = 0; i < 10; i++) {
        store.dispatch({ type: 'step-output', time: T0, step: STEPS.cpInit, line: 'x', stream: 'stdout' });
        await vi.advanceTimersByTimeAsync(30);
      }
      await vi.advanceTimersByTimeAsync(200);
      // 10 changes over 300 ms: at most one notification per 100 ms, the last one complete.
      expect(seen.length).toBeLessThanOrEqual(5);
      expect(seen.at(-1)).toBe(1010);
      store.flush();
      expect(seen.length).toBeLessThanOrEqual(5); // nothing new: no extra notification
    } finally {
      vi.useRealTimers();
    }
  });

  it('memorySink and listener feed the same store; unsubscribe stops notifications', () => {
    const store = createStore({ throttleMs: 0, nodes: [{ name: 'w1', role: 'worker' }] });
    const calls = vi.fn();
    const off = store.subscribe(calls);
    store.memorySink.sample('w1', fixtureSample('worker-512mb'));
    store.listener({ type: 'run-started', time: T0, steps: [STEPS.w1Join] });
    expect(calls).toHaveBeenCalledTimes(2);
    off();
    store.memorySink.error('w1', 'timeout');
    expect(calls).toHaveBeenCalledTimes(2);
    expect(store.getState().nodes.w1!.memory).toMatchObject({ error: 'timeout', latest: { totalMiB: 480 } });
  });
});
