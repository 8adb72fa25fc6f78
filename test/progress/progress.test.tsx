// Frames of the progress view for a 3-node install at several moments, ANSI stripped.
import { stripVTControlCharacters } from 'node:util';
import { PassThrough } from 'node:stream';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgressView } from '../../screens/progress/ProgressView.js';
import { mountProgressView } from '../../screens/progress/mount.js';
import { createStore, type Store } from '../../src/progress/store.js';
import type { RunEvent } from '../../src/events.js';
import { failedEvents, failedFinishedEvents, fixtureSample, runningEvents, successEvents, T0 } from './scenario.js';

afterEach(() => cleanup());

const NODES = [
  { name: 'cp1', role: 'control-plane' as const },
  { name: 'w1', role: 'worker' as const },
  { name: 'w2', role: 'worker' as const },
];

function storeWith(events: RunEvent[], now: number): Store {
  const store = createStore({ throttleMs: 20, nodes: NODES });
  for (const e of events) store.dispatch(e);
  store.dispatch({ type: 'memory-sample', node: 'cp1', sample: fixtureSample('control-plane-1gb', now - 1000) });
  // w1 under pressure: the captured 512 MB worker with only 60 MiB left available.
  const busy = fixtureSample('worker-512mb', now - 1000);
  store.dispatch({ type: 'memory-sample', node: 'w1', sample: { ...busy, availableMiB: 60, usedMiB: busy.totalMiB - 60 } });
  store.dispatch({ type: 'memory-sample', node: 'w2', sample: fixtureSample('cp-not-kubernetes-yet', now - 1000) });
  return store;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 0));
  }
}

const plain = (frame: string | undefined) => stripVTControlCharacters(frame ?? '');

/** The live area: what follows the <Static> lines (the frame starts with them in debug mode). */
function liveArea(frame: string): string[] {
  const lines = frame.split('\n');
  const start = lines.findIndex((l) => l.startsWith('hobbykube apply'));
  return lines.slice(start);
}

function view(store: Store, now: number, extra: Partial<Parameters<typeof ProgressView>[0]> = {}) {
  return render(
    <ProgressView store={store} title="hobbykube apply" logPath="/root/.hobbykube/demo/logs/apply.log" columns={80} rows={24} clock={() => now} {...extra} />,
  );
}

describe('progress view, 3 nodes at 80x24', () => {
  it('while running: spinner steps, log tails, memory bars and top processes', async () => {
    const now = T0 + 36_000;
    const r = view(storeWith(runningEvents(), now), now);
    await waitFor(() => plain(r.lastFrame()).includes('kube-apiserver'), 'memory line');
    const frame = plain(r.lastFrame());
    // Finished steps, in <Static> above the live area, with durations and skip reasons.
    expect(frame).toContain('✓ cp1  Prepare the node  3.2s');
    expect(frame).toContain('– w2   Install containerd (containerd 1.7.28 is already running)');
    const live = liveArea(frame);
    expect(live[0]).toMatch(/^hobbykube apply {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 36\.0s · steps 7\/13 · 3 running$/);
    expect(live[1]).toBe('log: /root/.hobbykube/demo/logs/apply.log');
    expect(live).toContain('cp1 control-plane  3/5');
    expect(live.some((l) => /^ {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Initialise the control plane {2}6\.0s$/.test(l))).toBe(true);
    expect(live.some((l) => /^ {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Install kubeadm, kubelet, kubectl {2}14\.0s$/.test(l))).toBe(true);
    // cp1: 970 MiB with 295 available; the reservation mark sits at allocatable (656 of 970, the
    // small-node profile: src/node-profile.ts).
    const cpMem = live.find((l) => l.includes('675M/970M'))!;
    expect(cpMem).toMatch(/^ {2}mem [█░┃]{24} 675M\/970M res 314M ▆$/);
    expect(cpMem.indexOf('┃') - '  mem '.length).toBe(16);
    expect(live).toContain('  kube-apiserver 242M · containerd-shim×9 72M · etcd 60M');
    // w1: 60 MiB available on a 480 MiB worker with swap is below 2 x evictionHard (20) + margin
    // (32) = 72: "low".
    // Its swapfile in use is shown beside the reservation; cp1 has none, so none is shown there.
    expect(live.find((l) => l.includes('420M/480M'))).toMatch(/ 420M\/480M res \d+M swap 22M\/512M .* low$/);
    expect(cpMem).not.toContain('swap');
    // Tails: the last lines of the running steps, at most 4 per node in this layout.
    expect(live).toContain('    [wait-control-plane] Waiting for the kubelet to boot up the control plane');
    expect(live.filter((l) => l.startsWith('    [init] line'))).toEqual(['    [init] line 27', '    [init] line 28', '    [init] line 29']);
    expect(live).toContain('    Unpacking kubelet (1.37.1-1.1) ...');
    // Fits: 80 columns, 24 rows.
    expect(live.length).toBeLessThanOrEqual(24);
    for (const l of frame.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('after a failure: exit code, last lines and the hint in the failed node\'s panel', async () => {
    const now = T0 + 76_000;
    const r = view(storeWith(failedEvents(), now), now);
    await waitFor(() => plain(r.lastFrame()).includes('hint:'), 'hint');
    const live = liveArea(plain(r.lastFrame()));
    expect(live).toContain('w1  worker  4/4 failed');
    expect(live).toContain('  ✗ Join the cluster  exit 1  5.0s');
    expect(live).toContain('    kubeadm join failed (exit code 1)');
    expect(live).toContain('    │ [discovery] Trying to connect to API Server "10.0.0.1:6443"');
    expect(live.join('\n')).toContain('    hint: the join token was rejected (expired or invalid): run again, a fresh\n    token is minted at join time');
    expect(live).toContain('cp1 control-plane  5/5 done');
    expect(live.length).toBeLessThanOrEqual(24);
  });

  it('finished with a failure: the summary stays, with the failure and the log path', async () => {
    const now = T0 + 90_000;
    const r = view(storeWith(failedFinishedEvents(), now), now);
    await waitFor(() => plain(r.lastFrame()).includes('Stopped after'), 'summary');
    const live = liveArea(plain(r.lastFrame()));
    expect(live[0]).toBe('hobbykube apply  1m20s · steps 12/13 · 1 failed');
    expect(live).toContain('✗ Stopped after 1m20s: 9 run, 2 already done, 1 failed');
    expect(live).toContain('  ✗ w1 · Join the cluster');
    expect(live).toContain('    │ [preflight] Running pre-flight checks');
    expect(live.some((l) => l.startsWith('    hint: the join token was rejected'))).toBe(true);
    expect(live).toContain('  full output: /root/.hobbykube/demo/logs/apply.log');
    expect(live.some((l) => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(l))).toBe(false); // no spinner once finished
    expect(live.length).toBeLessThanOrEqual(24);
  });

  it('finished ok, with the workloads table', async () => {
    const now = T0 + 95_000;
    const store = storeWith(successEvents(), now);
    store.dispatch({
      type: 'workloads',
      workloads: [
        { name: 'web', kind: 'Deployment', ready: 2, desired: 2, updated: 2 },
        { name: 'mysql', kind: 'StatefulSet', ready: 0, desired: 1, updated: 1, reason: 'Unschedulable: Insufficient memory' },
        { name: 'worker', kind: 'Deployment', ready: 1, desired: 2, updated: 1 },
        { name: 'backup', kind: 'CronJob', ready: 0, desired: 0, updated: 0 },
      ],
    });
    const r = view(store, now);
    await waitFor(() => plain(r.lastFrame()).includes('Finished after'), 'summary');
    const live = liveArea(plain(r.lastFrame()));
    expect(live).toContain('✓ Finished after 1m29s: 11 run, 2 already done');
    expect(live).toContain('  NAME              KIND        READY UPDATED REASON');
    expect(live).toContain('✓ web               Deployment  2/2   2');
    expect(live).toContain('! mysql             StatefulSet 0/1   1       Unschedulable: Insufficient memory');
    expect(live).toContain('… worker            Deployment  1/2   1       rolling out');
    expect(live).toContain('✓ backup            CronJob     0 act -');
    expect(live.length).toBeLessThanOrEqual(24);
  });

  it('updates as events arrive (throttled), and shows the sample error when memory cannot be read', async () => {
    const now = T0 + 36_000;
    const store = createStore({ throttleMs: 20, nodes: NODES });
    const r = view(store, now);
    await waitFor(() => plain(r.lastFrame()).includes('waiting for the first sample'), 'empty view');
    for (const e of runningEvents()) store.dispatch(e);
    store.memorySink.error('w2', 'memory sample failed (exit code 127): ps: not found');
    await waitFor(() => plain(r.lastFrame()).includes('sample failed: memory sample failed'), 'sample error');
    expect(plain(r.lastFrame())).toContain('steps 7/13');
  });

  it('NO_COLOR: no colour codes at all, states still in words and symbols', async () => {
    const now = T0 + 90_000;
    const colored = view(storeWith(failedFinishedEvents(), now), now, { color: true });
    await waitFor(() => plain(colored.lastFrame()).includes('Stopped after'), 'summary');
    const mono = view(storeWith(failedFinishedEvents(), now), now, { color: false });
    await waitFor(() => plain(mono.lastFrame()).includes('Stopped after'), 'summary');
    // eslint-disable-next-line no-control-regex
    const colour = /\u001B\[(?:3[0-7]|9[0-7]|38;)/;
    if (colour.test(colored.lastFrame() ?? '')) expect(colour.test(mono.lastFrame() ?? '')).toBe(false);
    expect(colour.test(mono.lastFrame() ?? '')).toBe(false);
    expect(plain(mono.lastFrame())).toContain(' low');
    expect(plain(mono.lastFrame())).toContain('✗ Stopped after');
  });

  it('full layout on a tall terminal lists every step, pending ones included, without <Static>', async () => {
    const now = T0 + 36_000;
    const r = view(storeWith(runningEvents(), now), now, { rows: 60, columns: 100 });
    await waitFor(() => plain(r.lastFrame()).includes('kube-apiserver'), 'frame');
    const frame = plain(r.lastFrame());
    expect(frame.split('\n')[0]).toMatch(/^hobbykube apply/); // nothing printed above
    expect(frame).toContain('  ✓ Prepare the node  3.2s');
    expect(frame).toContain('  · Install the flannel network');
    expect(frame).toContain('  – Install containerd (containerd 1.7.28 is already running)');
  });
});

describe('mountProgressView', () => {
  it('renders to the given stream, and unmount leaves the final summary as the last frame', async () => {
    const out = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
    Object.assign(out, { columns: 80, rows: 24, isTTY: true });
    let written = '';
    out.on('data', (d: Buffer) => {
      written += d.toString('utf8');
    });
    const store = createStore({ nodes: NODES });
    const mounted = mountProgressView(store, { stdout: out, title: 'hobbykube apply', color: false, maxFps: 10 });
    for (const e of successEvents()) store.dispatch(e);
    await mounted.unmount();
    const text = stripVTControlCharacters(written);
    expect(text).toContain('✓ Finished after 1m29s: 11 run, 2 already done');
    expect(text).toContain('✓ w2   Join the cluster  9.0s');
    await mounted.unmount(); // twice is harmless
  });

  it('a run that ends between two spinner ticks still leaves its summary as the last frame', async () => {
    const out = new PassThrough() as unknown as NodeJS.WriteStream & PassThrough;
    Object.assign(out, { columns: 80, rows: 24, isTTY: true });
    let written = '';
    out.on('data', (d: Buffer) => {
      written += d.toString('utf8');
    });
    const store = createStore({ nodes: NODES });
    // A tick far away: only the store's notifications can draw the end.
    const mounted = mountProgressView(store, { stdout: out, title: 'hobbykube backup', color: false, maxFps: 10, tickMs: 60_000 });
    const events = successEvents();
    const last = events.findIndex((e) => e.type === 'run-finished');
    for (const e of events.slice(0, last - 1)) store.dispatch(e);
    await waitFor(() => stripVTControlCharacters(written).includes('running'), 'a frame of the running run');
    for (const e of events.slice(last - 1)) store.dispatch(e);
    await mounted.unmount();
    const text = stripVTControlCharacters(written);
    expect(text.slice(text.lastIndexOf('hobbykube backup'))).toContain('✓ Finished after 1m29s: 11 run, 2 already done');
  });
});
