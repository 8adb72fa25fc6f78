// Taking the cluster's lock for a command that changes nodes: a held lock is a clear error (the
// session is closed first); a stale one is cleared with a note.
import { acquireLock, LockHeld, type Lock } from '../install/lock.js';
import { CommandError } from './errors.js';
import type { Session } from './session.js';
import type { Context } from './context.js';

export async function lockCluster(context: Context, session: Session, command: string): Promise<Lock> {
  try {
    const lock = acquireLock(session.paths.lock, command);
    if (lock.clearedStale) {
      context.stderr.write(`note: cleared a stale lock left by pid ${lock.clearedStale.pid} (${lock.clearedStale.command}), which is no longer running.\n`);
    }
    return lock;
  } catch (error) {
    await session.close();
    if (error instanceof LockHeld) throw new CommandError(error.message);
    throw error;
  }
}
