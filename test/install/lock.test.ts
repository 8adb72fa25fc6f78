import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, LockHeld } from '../../src/install/lock.js';
import { track } from '../support/children.js';

const CONTENDER = join(import.meta.dirname, 'lock-contender.ts');

interface Outcome { held: boolean; clearedStale?: unknown; refused?: boolean; message?: string }

/** Starts `n` processes that try to take the lock at the same moment; the holder keeps it until all have answered. */
async function race(n: number, lockPath: string): Promise<Outcome[]> {
  const dir = mkdtempSync(join(tmpdir(), 'hk-lock-race-'));
  const start = join(dir, 'start');
  const release = join(dir, 'release');
  const outcomes: Outcome[] = [];
  const exits: Array<Promise<void>> = [];
  let answered: () => void = () => {};
  const allAnswered = new Promise<void>((r) => { answered = r; });
  for (let i = 0; i < n; i += 1) {
    const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, 'race', lockPath, start, release], { stdio: ['ignore', 'pipe', 'inherit'] });
    const forget = track(() => child.kill('SIGKILL'));
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (out.endsWith('\n')) {
        outcomes.push(JSON.parse(out) as Outcome);
        if (outcomes.length === n) answered();
      }
    });
    exits.push(new Promise((r) => child.on('exit', () => { forget(); r(); })));
  }
  // Every contender loads the module first, then they all go at once.
  writeFileSync(start, '');
  await allAnswered;
  writeFileSync(release, '');
  await Promise.all(exits);
  return outcomes;
}

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

  it('the lock is never seen empty or half written: a reader beside a process taking and releasing it reads only whole locks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-lock-'));
    const path = join(dir, 'apply.lock');
    const stop = join(dir, 'stop');
    const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, 'cycle', path, stop], { stdio: ['ignore', 'pipe', 'inherit'] });
    const forget = track(() => child.kill('SIGKILL'));
    let cycles = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { cycles += s; });
    let gone = false;
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => { gone = true; forget(); r(code); }));
    // Read until 2000 reads found a lock (the reader's own count: no clock involved).
    const torn: string[] = [];
    let found = 0;
    while (found < 2000 && !gone) {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        await new Promise((r) => setImmediate(r)); // between cycles, or not started yet
        continue;
      }
      found += 1;
      try {
        if (typeof JSON.parse(text).pid !== 'number') torn.push(text);
      } catch {
        torn.push(text);
      }
    }
    writeFileSync(stop, '');
    expect(await exited).toBe(0);
    expect(found).toBe(2000);
    expect(Number(cycles)).toBeGreaterThan(0);
    expect(torn.slice(0, 3), `${torn.length} of ${found} reads found a torn lock`).toEqual([]);
  });

  it('contenders started at the same moment: exactly one holds it, every other is refused, none clears it as torn or stale', async () => {
    for (let round = 0; round < 3; round += 1) {
      const dir = mkdtempSync(join(tmpdir(), 'hk-lock-'));
      const path = join(dir, 'apply.lock');
      const outcomes = await race(6, path);
      expect(outcomes.filter((o) => o.held), JSON.stringify(outcomes)).toHaveLength(1);
      expect(outcomes.filter((o) => o.refused)).toHaveLength(5);
      expect(outcomes.every((o) => !o.clearedStale), JSON.stringify(outcomes)).toBe(true);
      // Released, and no contender's own file is left beside it.
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('clearing a stale lock never deletes a lock another process took meanwhile', async () => {
    for (let round = 0; round < 3; round += 1) {
      const dir = mkdtempSync(join(tmpdir(), 'hk-lock-'));
      const path = join(dir, 'apply.lock');
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      writeFileSync(path, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), since: '2026-01-01T00:00:00Z', command: 'apply' }));
      const outcomes = await race(6, path);
      expect(outcomes.filter((o) => o.held), JSON.stringify(outcomes)).toHaveLength(1);
      expect(outcomes.filter((o) => o.refused)).toHaveLength(5);
      expect(readdirSync(dir)).toEqual([]);
    }
  });
});
