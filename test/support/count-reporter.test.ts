// The closing summary counts every test and prints each skip's reason (a fixture run of vitest).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/vitest-runs');

describe('count reporter', () => {
  it('prints the counts, then the skipped tests grouped by reason, naming a test skipped without one', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', FIXTURE, '--config', join(FIXTURE, 'vitest.config.ts')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
      cwd: ROOT,
      timeout: 240_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const summary = r.stdout.slice(r.stdout.indexOf('1 passed, 0 failed, 4 skipped'));
    expect(summary.split('\n').slice(0, 8)).toEqual([
      '1 passed, 0 failed, 4 skipped',
      'Skipped tests (4), by reason:',
      '  2 skipped: frobnicator is not installed',
      '    in test/fixtures/vitest-runs/skips.check.ts',
      '  1 skipped: the moon is full',
      '    in test/fixtures/vitest-runs/skips.check.ts',
      '  1 skipped: no reason given (.skip/.only in the code, or not selected by a -t filter)',
      '    test/fixtures/vitest-runs/skips.check.ts > skipped without a word',
    ]);
  });

  it('no test file skips without a reason: no .skip/.skipIf/.runIf/.todo/.only; requires() or ctx.skip(reason) instead', () => {
    const files = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.test\.tsx?$/.test(f))
      .map((f) => join(ROOT, 'test', f));
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line, at: `${relative(ROOT, f)}:${i + 1}` }))
        .filter(({ line }) => /\b(?:it|test|describe)\.(?:skip|skipIf|runIf|todo|only)\b|\.skip\(\s*\)/.test(line) && !line.includes('offenders'))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
