// One apply at a time per cluster: an exclusive lock file holding the owner's pid and host.
// A lock whose process is gone (killed, crashed) is stale and is cleared, saying so.
import { openSync, writeSync, closeSync, readFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  command: string;
}

export class LockHeld extends Error {
  constructor(
    readonly owner: LockOwner,
    readonly path: string,
  ) {
    super(
      `another hobbykube (${owner.command}, pid ${owner.pid} on ${owner.host}, since ${owner.since}) is working on this cluster; ` +
        `wait for it to finish. If you are sure it is gone, remove ${path}.`,
    );
    this.name = 'LockHeld';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type LockState =
  | { state: 'free' }
  /** Held by a live process on this machine. */
  | { state: 'held'; owner: LockOwner }
  /** Left by a process of this machine that is gone: the next apply clears it. */
  | { state: 'stale'; owner: LockOwner }
  /** Empty or cut short: its writer died between creating and writing it. */
  | { state: 'torn' }
  /** Taken on another machine: whether its process still runs cannot be told from here. */
  | { state: 'elsewhere'; owner: LockOwner };

/** What the lock file says, without touching it (`hobbykube doctor`). */
export function inspectLock(path: string): LockState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'free' };
    throw error;
  }
  let owner: LockOwner;
  try {
    owner = JSON.parse(text) as LockOwner;
    if (typeof owner?.pid !== 'number' || typeof owner.host !== 'string') return { state: 'torn' };
  } catch {
    return { state: 'torn' };
  }
  if (owner.host !== hostname()) return { state: 'elsewhere', owner };
  return alive(owner.pid) ? { state: 'held', owner } : { state: 'stale', owner };
}

export interface Lock {
  release(): void;
  /** Set when a stale lock was cleared to take this one. */
  clearedStale?: LockOwner;
}

export function acquireLock(path: string, command: string): Lock {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command };
  let clearedStale: LockOwner | undefined;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      return {
        ...(clearedStale ? { clearedStale } : {}),
        release() {
          if (released) return;
          released = true;
          try {
            const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
            if (owner.pid === me.pid && owner.host === me.host) unlinkSync(path);
          } catch {
            // Already gone.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: LockOwner | undefined;
    try {
      owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    } catch {
      owner = undefined; // empty or torn: its writer died between create and write
    }
    if (owner && (owner.host !== me.host || alive(owner.pid))) throw new LockHeld(owner, path);
    clearedStale = owner ?? { pid: 0, host: me.host, since: 'unknown', command: 'unknown' };
    try {
      unlinkSync(path);
    } catch {
      // Someone else cleared it first; try again.
    }
  }
  throw new Error(`could not take the lock ${path}`);
}
