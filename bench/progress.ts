// Benchmark (not a test): the cost of the progress view under fast output and of idle memory
// watching. Run: npx tsx bench/progress.ts   (writes bench/results/progress.json)
//
// 1. 1,000,000 output lines at full speed through the store alone, then through the store and
//    a mounted Ink view (fake 80x24 terminal). Lines arrive in chunks of 1,000 spread over three
//    running steps on three nodes, with a yield to the event loop between chunks, as SSH data
//    events would; the view's frames are capped (store throttle 100 ms, Ink maxFps 10).
// 2. 10,000 lines/s paced for 5 s through store + view: CPU seconds per second of wall time.
// 3. Idle watching: 30 fake nodes (in-process hosts answering a captured sample instantly)
//    sampled every 2 s for 10 s, into the store with the view mounted; CPU extrapolated per minute.
//
// React runs its development build unless NODE_ENV=production (the esbuild bundle should define
// it); the figures differ by ~20-30 % for the view, so the mode is printed and recorded.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { mountProgressView } from '../screens/progress/mount.js';
import type { StepRef } from '../src/events.js';
import { watchMemory } from '../src/monitor/watch.js';
import type { Host, RunResult } from '../src/ssh/types.js';
import { createStore, type Store } from '../src/progress/store.js';

const LINES = 1_000_000;
const CHUNK = 1000;

class FakeTerminal extends Writable {
  columns: number;
  rows: number;
  isTTY = true;
  writes = 0;
  bytes = 0;
  constructor(columns = 80, rows = 24) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.writes += 1;
    this.bytes += chunk.length;
    done();
  }
}

const yieldLoop = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function rssWatcher() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

const NODES = ['cp1', 'w1', 'w2'];
const steps: StepRef[] = NODES.map((node) => ({ id: `${node}/apt`, node, title: 'Install packages (apt-get upgrade)' }));

function startRun(store: Store) {
  store.dispatch({ type: 'run-started', time: Date.now(), steps });
  for (const step of steps) store.dispatch({ type: 'step-started', time: Date.now(), step });
}

function line(i: number): string {
  return `Get:${i} http://archive.ubuntu.com/ubuntu noble-updates/main amd64 libfoo${i % 97} amd64 1.2.${i % 13}-0ubuntu1 [${(i * 7) % 900} kB]`;
}

interface Row {
  case: string;
  lines?: number;
  wallS: number;
  linesPerS?: number;
  cpuS: number;
  cpuPerWallS?: number;
  cpuPerMinuteS?: number;
  peakRssMiB: number;
  frames?: number;
  bytesWritten?: number;
  notifications?: number;
}

async function feed(withView: boolean): Promise<Row> {
  global.gc?.();
  const store = createStore({ nodes: NODES.map((name) => ({ name })) });
  const term = new FakeTerminal();
  const view = withView ? mountProgressView(store, { stdout: term as unknown as NodeJS.WriteStream, color: true, maxFps: 10, title: 'bench' }) : undefined;
  startRun(store);
  const rss = rssWatcher();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < LINES; i += CHUNK) {
    const step = steps[(i / CHUNK) % steps.length]!;
    const time = Date.now();
    for (let j = i; j < i + CHUNK; j++) store.dispatch({ type: 'step-output', time, step, line: line(j), stream: 'stdout' });
    await yieldLoop();
  }
  for (const step of steps) store.dispatch({ type: 'step-finished', time: Date.now(), step, durationMs: performance.now() - t0 });
  store.dispatch({ type: 'run-finished', time: Date.now(), ok: true, durationMs: performance.now() - t0, done: 3, skipped: 0, failed: 0, blocked: 0 });
  await view?.unmount();
  const wallS = (performance.now() - t0) / 1000;
  const cpuS = cpuSeconds(cpu0);
  const peak = rss.stop();
  const s = store.getState();
  if (s.nodes.cp1!.outputLines + s.nodes.w1!.outputLines + s.nodes.w2!.outputLines !== LINES) throw new Error('lines lost');
  return {
    case: withView ? '1M lines, store + Ink view' : '1M lines, store only',
    lines: LINES,
    wallS,
    linesPerS: Math.round(LINES / wallS),
    cpuS,
    peakRssMiB: Math.round(peak / 1048576),
    ...(withView ? { frames: term.writes, bytesWritten: term.bytes } : {}),
    notifications: store.stats().notifications,
  };
}

async function paced(rate: number, seconds: number): Promise<Row> {
  const store = createStore({ nodes: NODES.map((name) => ({ name })) });
  const term = new FakeTerminal();
  const view = mountProgressView(store, { stdout: term as unknown as NodeJS.WriteStream, color: true, maxFps: 10, title: 'bench' });
  startRun(store);
  const rss = rssWatcher();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let sent = 0;
  const tickMs = 10;
  while (performance.now() - t0 < seconds * 1000) {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    const step = steps[sent % steps.length]!;
    for (; sent < due; sent++) store.dispatch({ type: 'step-output', time: Date.now(), step, line: line(sent), stream: 'stdout' });
    await sleep(tickMs);
  }
  const wallS = (performance.now() - t0) / 1000;
  const cpuS = cpuSeconds(cpu0);
  await view.unmount();
  return {
    case: `${rate / 1000}k lines/s paced for ${seconds} s, store + view`,
    lines: sent,
    wallS,
    linesPerS: Math.round(sent / wallS),
    cpuS,
    cpuPerWallS: cpuS / wallS,
    peakRssMiB: Math.round(rss.stop() / 1048576),
    frames: term.writes,
    notifications: store.stats().notifications,
  };
}

class InstantHost implements Host {
  private n = 0;
  constructor(
    readonly node: string,
    private readonly text: string,
  ) {}
  async run(): Promise<RunResult> {
    this.n += 1;
    // Vary MemAvailable a little so every sample changes the state (and the sparkline).
    const avail = 300_000 + ((this.n * 7919) % 40_000);
    return { code: 0, stdout: this.text.replace(/MemAvailable:\s+\d+/, `MemAvailable:   ${avail}`), stderr: '' };
  }
  async copyFile(): Promise<void> {}
  async download(): Promise<number> {
    throw new Error('this test host transfers no files');
  }
  async close(): Promise<void> {}
}

async function idle(nodes: number, seconds: number, withView: boolean): Promise<Row> {
  const text = readFileSync(new URL('../test/monitor/fixtures/control-plane-1gb.txt', import.meta.url), 'utf8');
  const names = Array.from({ length: nodes }, (_, i) => `node${String(i + 1).padStart(2, '0')}`);
  const store = createStore({ nodes: names.map((name) => ({ name, role: 'worker' as const })) });
  const term = new FakeTerminal(100, 200);
  const view = withView ? mountProgressView(store, { stdout: term as unknown as NodeJS.WriteStream, color: true, maxFps: 10, title: 'status' }) : undefined;
  await sleep(200); // first render
  const hosts = names.map((n) => new InstantHost(n, text));
  const rss = rssWatcher();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const monitor = watchMemory(names, { host: async (n) => hosts.find((h) => h.node === n)! }, store.memorySink, { intervalMs: 2000 });
  await sleep(seconds * 1000);
  await monitor.stop();
  const wallS = (performance.now() - t0) / 1000;
  const cpuS = cpuSeconds(cpu0);
  await view?.unmount();
  return {
    case: `idle: ${nodes} nodes' memory every 2 s for ${seconds} s${withView ? ', view mounted' : ', store only'}`,
    wallS,
    cpuS,
    cpuPerMinuteS: (cpuS / wallS) * 60,
    peakRssMiB: Math.round(rss.stop() / 1048576),
    ...(withView ? { frames: term.writes } : {}),
    notifications: store.stats().notifications,
  };
}

console.log(`NODE_ENV=${process.env.NODE_ENV ?? '(unset: React development build)'}\n`);
const baselineRssMiB = Math.round(process.memoryUsage().rss / 1048576);
console.log(`RSS before the first case (tsx, ink, react loaded): ${baselineRssMiB} MiB\n`);
const rows: Row[] = [];
rows.push(await feed(false));
rows.push(await feed(true));
rows.push(await paced(10_000, 5));
rows.push(await idle(30, 10, false));
rows.push(await idle(30, 10, true));

const fmt = (n: number | undefined, digits = 2) => (n === undefined ? '' : n >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits));
const table = [
  ['case', 'lines/s', 'wall s', 'CPU s', 'CPU s per s', 'CPU s per min', 'peak RSS MiB', 'frames'],
  ...rows.map((r) => [r.case, fmt(r.linesPerS), fmt(r.wallS), fmt(r.cpuS, 3), fmt(r.cpuPerWallS, 3), fmt(r.cpuPerMinuteS, 3), String(r.peakRssMiB), r.frames === undefined ? '' : String(r.frames)]),
];
const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
for (const row of table) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));

const out = new URL('./results/progress.json', import.meta.url);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(out, `${JSON.stringify({ node: process.version, nodeEnv: process.env.NODE_ENV ?? 'development (unset)', baselineRssMiB, date: new Date().toISOString(), maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), rows }, null, 2)}\n`);
console.log(`\nprocess peak RSS (maxRSS): ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB; written ${out.pathname}`);
