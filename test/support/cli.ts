// Runs the built CLI (dist/, made by `npm test`'s build step) as a child process, the way a user
// does. Every child is registered with test/support/children.ts: when the test that started it
// ends (passed, failed or timed out) a child still running is killed with its process group, so
// it can never hold the cluster lock into the next test.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { killGroup, track } from './children.js';

export const CLI = join(import.meta.dirname, '../../bin/hobbykube.js');

const PDEATHSIG = spawnSync('setpriv', ['--pdeathsig', 'SIGKILL', '--', 'true']).status === 0;

/**
 * Time limits for one CLI run. They only stop a run that hangs; they are no measure of speed,
 * and are this generous because the suite runs on loaded 2-CPU machines (a 3-node apply on test
 * hosts took 20-40 s alone and over 90 s beside other test runs).
 */
export const CLI_TIMEOUT_MS = { quick: 120_000, apply: 420_000 } as const;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
}

const childEnv = (env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: process.env.HOME, ...env });

/** A short command (help, validation, plan --offline): waits for it, blocking the worker. */
export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: options.cwd,
    input: options.input ?? '',
    env: childEnv(options.env),
    timeout: options.timeoutMs ?? CLI_TIMEOUT_MS.quick,
    killSignal: 'SIGKILL',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Starts a command without waiting: its own process group, registered so that the end of the
 * test (or of the file, when started in beforeAll) kills the group if it is still running.
 */
export function spawnTracked(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: 'pipe' | 'ignore'; output?: 'pipe' | 'ignore' } = {},
): ChildProcess {
  const output = options.output ?? 'pipe'; // 'pipe': the caller must read it, or a chatty child blocks
  // setpriv --pdeathsig: the kernel kills the child if this worker dies without running any hook
  // (SIGKILL, a crash). The child keeps setpriv's pid (it execs).
  const [file, argv] = PDEATHSIG ? ['setpriv', ['--pdeathsig', 'SIGKILL', '--', command, ...args]] : [command, args];
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [options.stdin ?? 'pipe', output, output],
    detached: true,
  });
  const forget = track(() => killGroup(child.pid));
  child.on('exit', forget);
  child.on('error', forget);
  return child;
}

/** The CLI started without waiting (see spawnTracked). */
export function spawnCli(args: string[], options: Omit<CliOptions, 'input'> & { stdin?: 'pipe' | 'ignore'; output?: 'pipe' | 'ignore' } = {}): ChildProcess {
  return spawnTracked(process.execPath, [CLI, ...args], { ...options, env: childEnv(options.env) });
}

/** The CLI run to the end asynchronously (apply, add-worker ...); killed after `timeoutMs`. */
export function runCliAsync(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawnCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const limit = options.timeoutMs ?? CLI_TIMEOUT_MS.apply;
    const timer = setTimeout(() => {
      stderr += `\n[test/support] killed after ${limit} ms\n`;
      killGroup(child.pid);
    }, limit);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin!.on('error', () => {}); // a child that exits before reading its input
    child.stdin!.end(options.input ?? '');
  });
}
