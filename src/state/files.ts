// Writing state files safely: atomically (write a temporary file, then rename) so a crash never
// leaves half a file, and with the mode set before any byte is written. Reading one that may not
// exist yet.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, unlinkSync, mkdirSync, statSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';

/** A file or directory the owner named cannot be used: the message names the path and why. */
export class FileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'FileError';
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'already exists',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'is a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  EBUSY: 'busy',
};

/** The file's text, or undefined when there is no such file (any other error is thrown). */
export function readTextIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A file system error in words a person can act on: "permission denied (EACCES)". */
export function fileReason(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  return `${REASONS[code] ?? error.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '')}${code ? ` (${code})` : ''}`;
}

/**
 * Makes sure `dir` is a directory, creating it and its missing parents one level at a time.
 * (A recursive mkdir on a file system that refuses new directories, such as /proc, spins
 * forever in Node 20; one level at a time it fails at once.) Throws FileError naming the path.
 */
export function ensureDirectory(dir: string, mode = 0o755): void {
  const target = resolve(dir);
  const missing: string[] = [];
  let at = target;
  for (;;) {
    try {
      if (!statSync(at).isDirectory()) {
        throw new FileError(at, at === target ? 'exists and is not a directory' : 'is a file, not a directory');
      }
      break;
    } catch (error) {
      if (error instanceof FileError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw new FileError(at, fileReason(error as NodeJS.ErrnoException));
      missing.unshift(at);
      if (dirname(at) === at) break;
      at = dirname(at);
    }
  }
  for (const path of missing) {
    try {
      mkdirSync(path, { mode });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'EEXIST') continue; // made meanwhile by someone else
      // ENOENT although the parent exists: the file system takes no new directories (/proc, /sys).
      const reason = e.code === 'ENOENT' ? 'cannot be created: the file system there takes no new directories (ENOENT)' : `cannot be created: ${fileReason(e)}`;
      throw new FileError(path, reason);
    }
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
}

/** For kubeconfigs, passwords, tokens: owner read/write only, from the first byte. */
export function writeSecretFile(path: string, data: string | Uint8Array): void {
  writeFileAtomic(path, data, 0o600);
}
