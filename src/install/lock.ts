// One apply at a time per cluster: an exclusive lock file holding the owner's pid and host.
// A lock whose process is gone (killed, crashed) is stale and is cleared, saying so.
//
// The lock appears whole or not at all: its content is written to a file of this process's own,
// which is then hard-linked to the lock's name (link fails when the name exists). Created empty and
// written after, a competitor starting at the same moment could read it empty, take it for a torn
// lock, clear it and run too (seen: two applies generating two different encryption keys).
// Clearing a stale lock moves it aside first (rename is atomic) and checks that what was moved is
// the stale lock that was read, so a lock another process has just taken is put back, not deleted.
import { linkSync, openSync, writeSync, closeSync, renameSync, unlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { readTextIfExists } from '../state/files.js';

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
  const text = readTextIfExists(path);
  if (text === undefined) return { state: 'free' };
  const owner = parseOwner(text);
  if (!owner) return { state: 'torn' };
  if (owner.host !== hostname()) return { state: 'elsewhere', owner };
  return alive(owner.pid) ? { state: 'held', owner } : { state: 'stale', owner };
}

export interface Lock {
  release(): void;
  /** Set when a stale lock was cleared to take this one. */
  clearedStale?: LockOwner;
}

/** Creates the lock file with `content`, whole; false when it exists. */
function createWhole(path: string, content: string): boolean {
  const own = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(own, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(own, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: create and write in place (the short window is back).
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') return createInPlace(path, content);
    throw error;
  } finally {
    unlinkSync(own);
  }
}

function createInPlace(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeSync(fd, content);
  closeSync(fd);
  return true;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as LockOwner;
    return typeof owner?.pid === 'number' && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined; // empty or cut short
  }
}

export function acquireLock(path: string, command: string): Lock {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command };
  const mine = JSON.stringify(me);
  let clearedStale: LockOwner | undefined;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (createWhole(path, mine)) {
      let released = false;
      return {
        ...(clearedStale ? { clearedStale } : {}),
        release() {
          if (released) return;
          released = true;
          try {
            if (readTextIfExists(path) === mine) unlinkSync(path);
          } catch {
            // Already gone.
          }
        },
      };
    }
    const seen = readTextIfExists(path);
    if (seen === undefined) continue; // released meanwhile: try again
    const owner = parseOwner(seen);
    if (owner && (owner.host !== me.host || alive(owner.pid))) throw new LockHeld(owner, path);
    // Stale, or torn (an older hobbykube's writer died between create and write): clear it.
    const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
    try {
      renameSync(path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else cleared it
      throw error;
    }
    const moved = readTextIfExists(aside) ?? '';
    if (moved !== seen) {
      // Another process took the lock between the read and the rename: put its lock back.
      try {
        linkSync(aside, path);
      } catch (error) {
        // EEXIST: a third process has taken it since; either way, it is not ours.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        unlinkSync(aside);
      }
      const holder = parseOwner(moved);
      if (holder) throw new LockHeld(holder, path);
      continue;
    }
    unlinkSync(aside);
    clearedStale = owner ?? { pid: 0, host: me.host, since: 'unknown', command: 'unknown' };
  }
  throw new Error(`could not take the lock ${path}`);
}
