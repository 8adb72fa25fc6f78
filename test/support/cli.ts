// Runs the built CLI (dist/, made by `npm test`'s build step) as a child process, the way a user does.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const CLI = join(import.meta.dirname, '../../bin/hobbykube.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `timeoutMs` (default 120 s): an apply on test hosts takes ~12 s alone but far longer while the
 * whole suite loads this 2-CPU machine; a stuck CLI still fails, only later.
 */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string; timeoutMs?: number } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: options.cwd,
    input: options.input ?? '',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    timeout: options.timeoutMs ?? 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
