// A test that times out while awaiting a child process must not leave it running: the setup
// file's afterEach ends it (and a beforeAll's child after the file). A fixture run of vitest.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/vitest-runs');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('processes started by tests', () => {
  it('are killed when the test times out, and a beforeAll\'s when the file ends', () => {
    const pids = mkdtempSync(join(tmpdir(), 'hk-children-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', FIXTURE, '--config', join(FIXTURE, 'children.config.ts')], {
      encoding: 'utf8',
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', HK_PIDS_DIR: pids },
      timeout: 240_000,
    });
    expect(r.status, 'the fixture has one failing (timed-out) test').toBe(1);
    expect(r.stdout + r.stderr).toContain('Test timed out in 300ms');
    expect(r.stderr).toContain('[test/support] stopped 1 process the test left running');
    expect(existsSync(join(pids, 'next-test-saw'))).toBe(true);
    for (const name of ['test', 'suite']) {
      const pid = Number(readFileSync(join(pids, name), 'utf8'));
      expect(pid).toBeGreaterThan(0);
      expect(alive(pid), `${name} child ${pid}`).toBe(false);
    }
  });
});
