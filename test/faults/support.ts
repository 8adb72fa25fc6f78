// Shared by the fault suite: a seeded generator of hostile input, and an asynchronous CLI run that
// time-stamps its output lines (printed for information, and for killing at a moment).
import type { ChildProcess } from 'node:child_process';
import { spawnCli } from '../support/cli.js';

/** Values per field: 50 in `npm test`, FUZZ_PER_FIELD (default 1000 under `npm run fuzz`). */
export const PER_FIELD = Number(process.env.FUZZ_PER_FIELD ?? 50);
export const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

/** mulberry32: small, seedable, good enough to pick fragments. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The hostile classes the issue names, each as a few literal fragments. */
export const FRAGMENTS = [
  '', ' ', '   ', 'a', 'cp1', 'w1', '1.37', '22', '128Mi', 'x'.repeat(300), 'é', '日本語', '🚀', '\u202e', '\u200b', 'Ａ',
  '\u0000', '\u0001', '\u0007', '\u001b[31m', '\t', '\r', '\n', '\r\n', '\u007f', '\u0085', '\u2028',
  '"', "'", '\\', '\\"', "'\\''", '`', '`id`', '$(id)', '$(touch /tmp/hk-pwned)', '${HOME}', '$HOME', '$1', ';', '; rm -rf /', '&&', '||', '|', '>', '<', '>/etc/passwd', '#', '%s', '%n',
  '&', '&anchor', '*', '*alias', '!!', '!!binary', '!!python/object:os.system', '!', '{', '}', '{a: b}', '[', ']', '[1, 2]', '- ', '-', '--', '--help', '-rf', ':', ': ', 'key: value', '? ', '|', '>-', '...', '---', '@', '%YAML 1.1', 'null', '~', 'true', 'yes', 'no', 'on', '0x1F', '1e3', '.inf', '.nan', '0', '-1', '65536', '1.30', '007',
  '../../etc/shadow', '/', '~/', 'http://x', 'a@b.c', 'foo.example.com', '127.0.0.53', '::1', '203.0.113.10', '*.example.com',
];

/** Generates `count` values: every fragment alone first, then random concatenations (and a few huge ones). */
export function hostileValues(count: number, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  const pick = () => FRAGMENTS[Math.floor(r() * FRAGMENTS.length)]!;
  for (let i = 0; out.length < count; i++) {
    if (i < FRAGMENTS.length && i < count / 2) out.push(FRAGMENTS[i]!);
    else if (i % 97 === 0) out.push(pick().repeat(10_000 + Math.floor(r() * 90_000)));
    else {
      const n = 1 + Math.floor(r() * 4);
      let v = '';
      for (let k = 0; k < n; k++) v += pick();
      out.push(v);
    }
  }
  return out;
}

/** Non-string values a hand-written YAML file can hold where a string or number is expected. */
export const WRONG_TYPES: unknown[] = [null, 0, -1, 1.5, 65536, true, false, [], ['a'], {}, { a: 'b' }, '', NaN, 1e21];

/** Does this text look like a crash rather than a message? */
export function looksLikeCrash(text: string): boolean {
  return /\n\s+at .+\(.+:\d+:\d+\)|\n\s+at file:|unexpected error|TypeError|ReferenceError|RangeError|SyntaxError: |Cannot read prop/.test(text);
}

export interface Line {
  t: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface AsyncRun {
  child: ChildProcess;
  lines: Line[];
  started: number;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>;
}

/** The built CLI as a child process (ended with the test); every output line is time-stamped as it arrives. */
export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): AsyncRun {
  const child = spawnCli(args, { ...options, stdin: 'ignore' });
  const lines: Line[] = [];
  const started = performance.now();
  let out = '';
  let err = '';
  const split = (stream: 'stdout' | 'stderr') => {
    let rest = '';
    return (s: string) => {
      if (stream === 'stdout') out += s;
      else err += s;
      rest += s;
      const parts = rest.split('\n');
      rest = parts.pop()!;
      for (const text of parts) lines.push({ t: performance.now(), stream, text });
    };
  };
  child.stdout!.setEncoding('utf8').on('data', split('stdout'));
  child.stderr!.setEncoding('utf8').on('data', split('stderr'));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err, ms: performance.now() - started })),
  );
  return { child, lines, started, done };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` every 10 ms until true or the deadline (bounded). */
export async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(10);
  }
  return check();
}

/** One kill point of an interruption test: whether the kill landed, the rerun's exit code, what went wrong. */
export interface PointResult {
  point: string;
  killed: boolean;
  rerunCode: number | null;
  problems: string[];
}

/**
 * Runs every kill point, each on a bed of its own, two at a time (a 2-CPU machine), and describes
 * each in one report line for the tests' failure messages.
 */
export async function runKillPoints<P>(points: readonly P[], killAndResume: (point: P) => Promise<PointResult>): Promise<{ results: PointResult[]; report: string }> {
  const results: PointResult[] = [];
  for (let i = 0; i < points.length; i += 2) results.push(...(await Promise.all(points.slice(i, i + 2).map(killAndResume))));
  const report = results.map((r) => `${r.point}: killed=${r.killed} rerun=${r.rerunCode}${r.problems.length ? ` PROBLEMS ${r.problems.join('; ')}` : ''}`).join('\n');
  return { results, report };
}
