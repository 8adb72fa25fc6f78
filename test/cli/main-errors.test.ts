// How the command line prints an error: whole lines for scripts and logs; in a terminal, broken at
// spaces to its width, so a path or a pid is never cut by the terminal's own wrapping.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const SPEC = join(import.meta.dirname, '../fixtures/specs/valid-full.yaml');

/** `apply` refused by a lock this test process holds (cluster "home" of valid-full.yaml). */
async function refused(stderrTTY: boolean, home = mkdtempSync(join(tmpdir(), 'hk-main-errors-'))): Promise<{ code: number; err: string; lockPath: string; home: string }> {
  mkdirSync(join(home, 'home'), { recursive: true, mode: 0o700 });
  const lockPath = join(home, 'home', 'apply.lock');
  writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-11-28T14:56:25.387Z', command: 'apply' }));
  let err = '';
  const code = await main({
    argv: ['apply', '-f', SPEC, '--yes'],
    stdout: { write: () => undefined, isTTY: false },
    stderr: { write: (s) => void (err += s), isTTY: stderrTTY, ...(stderrTTY ? { columns: 60 } : {}) },
    stdinIsTTY: false,
    env: { HOBBYKUBE_HOME: home, NO_COLOR: '1' },
  });
  return { code, err, lockPath, home };
}

describe('error messages', () => {
  it('are one line when standard error is not a terminal', async () => {
    const { code, err, lockPath } = await refused(false);
    expect(code).toBe(1);
    expect(err).toBe(`error: another hobbykube (apply, pid ${process.pid} on ${hostname()}, since 2026-11-28T14:56:25.387Z) is working on this cluster; wait for it to finish. If you are sure it is gone, remove ${lockPath}.\n`);
  });

  it('break at spaces to the terminal\'s width, losing no word', async () => {
    const first = await refused(false);
    const { code, err, lockPath } = await refused(true, first.home);
    expect(code).toBe(1);
    const lines = err.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(60);
    expect(lines.some((l) => l.includes(`${lockPath}.`))).toBe(true);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(first.err.trimEnd());
  });
});
