import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockHeld } from '../../src/install/lock.js';

describe('apply lock', () => {
  it('refuses a second holder while the first is alive, and frees on release', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hk-lock-')), 'apply.lock');
    const first = acquireLock(path, 'apply');
    expect(() => acquireLock(path, 'apply')).toThrow(LockHeld);
    expect(() => acquireLock(path, 'apply')).toThrow(/another hobbykube \(apply, pid \d+ on .+, since .+\) is working on this cluster/);
    first.release();
    expect(existsSync(path)).toBe(false);
    acquireLock(path, 'apply').release();
  });

  it('clears a stale lock left by a killed process, and says so', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hk-lock-')), 'apply.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(dead.stdout);
    writeFileSync(path, JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00Z', command: 'apply' }));
    const lock = acquireLock(path, 'apply');
    expect(lock.clearedStale).toMatchObject({ pid });
    lock.release();
    writeFileSync(path, ''); // torn: created, never written
    const again = acquireLock(path, 'apply');
    expect(again.clearedStale).toBeDefined();
    again.release();
  });
});
