// Helper processes for the lock tests (test/install/lock.test.ts).
//   node --import tsx lock-contender.ts race LOCK START RELEASE
//     Waits for START, tries to take the lock, prints what happened as one JSON line and, when it
//     holds the lock, keeps it until RELEASE appears (so every other contender meets a held lock,
//     however slowly the machine starts them).
//   node --import tsx lock-contender.ts cycle LOCK STOP
//     Takes and releases the lock over and over until STOP appears; prints how many times.
import { existsSync } from 'node:fs';
import { acquireLock, LockHeld } from '../../src/install/lock.js';

const [mode, lockPath, a, b] = process.argv.slice(2) as [string, string, string, string];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (mode === 'cycle') {
  let cycles = 0;
  for (; !existsSync(a); cycles += 1) acquireLock(lockPath, 'apply').release();
  process.stdout.write(`${cycles}\n`);
} else {
  while (!existsSync(a)) await sleep(5);
  try {
    const lock = acquireLock(lockPath, 'apply');
    process.stdout.write(`${JSON.stringify({ held: true, clearedStale: lock.clearedStale ?? null })}\n`);
    while (!existsSync(b)) await sleep(20);
    lock.release();
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ held: false, refused: error instanceof LockHeld, message: String((error as Error).message) })}\n`);
  }
}
