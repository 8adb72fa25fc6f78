// A backup directory's manifest and its checks. The manifest (manifest.json) is written last,
// after every file is complete and synced; it lists each file with its size and sha256, what it
// is and where it came from. `verifyBackup` reads every file again and compares; dumps must also
// be whole gzip streams holding a MySQL dump, and the etcd snapshot must carry the sha256 the
// etcd server appends to every snapshot.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'hobbykube-backup/v1';

export type BackupPart = 'spec' | 'secrets' | 'database-dump' | 'etcd-snapshot' | 'acme';

export interface ManifestFile {
  /** Relative to the backup directory, with "/". */
  path: string;
  part: BackupPart;
  bytes: number;
  sha256: string;
  /** The node it was copied from (none for the owner's own files). */
  node?: string;
  /** Where it was on that node, or on this machine. */
  source: string;
  /** database-dump: the database workload. */
  database?: string;
  /** database-dump: the dump's time (UTC, from its name); when it was taken for the others. */
  takenAt?: string;
  /** database-dump: the databases inside it (its "Current Database" lines). */
  databases?: string[];
  /** etcd-snapshot: `snapshot status` as etcd reported it. */
  status?: Record<string, unknown>;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  cluster: string;
  createdAt: string;
  hobbykube: string;
  /** Every part was saved. */
  complete: boolean;
  files: ManifestFile[];
  /** Parts that could not be saved, and why. */
  missing: Array<{ part: BackupPart; what: string; reason: string }>;
  /** Things the owner should know (an old dump used, a dump that stays on the database's node ...). */
  notes: string[];
}

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    createReadStream(path),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done();
      },
    }),
  );
  return { sha256: hash.digest('hex'), bytes };
}

const DUMP_HEADS = ['-- MySQL dump ', '-- hobbykube: no databases'];

/**
 * Why a compressed dump cannot be loaded (a truncated or damaged gzip stream, or no MySQL dump
 * inside), or undefined. Also returns the databases it holds.
 */
export async function checkDump(path: string): Promise<{ problem?: string; databases: string[] }> {
  let head = '';
  let tail = '';
  const databases: string[] = [];
  let carry = '';
  try {
    await pipeline(
      createReadStream(path),
      createGunzip(),
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          const text = chunk.toString('latin1');
          if (head.length < 64) head += text.slice(0, 64 - head.length);
          const lines = (carry + text).split('\n');
          carry = lines.pop() ?? '';
          for (const line of lines) {
            const m = /^-- Current Database: `((?:[^`]|``)+)`$/.exec(line);
            if (m) databases.push(Buffer.from(m[1]!.replace(/``/g, '`'), 'latin1').toString('utf8'));
          }
          tail = (tail + text).slice(-200);
          done();
        },
      }),
    );
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e.message)) return { problem: 'the gzip stream ends early: the file is truncated', databases };
    if (e.code === 'Z_DATA_ERROR') return { problem: `the gzip data is damaged (${e.message})`, databases };
    if (e.code === 'ENOENT') return { problem: 'the file is missing', databases };
    return { problem: `cannot read it: ${e.message}`, databases };
  }
  if (!DUMP_HEADS.some((h) => head.startsWith(h))) return { problem: `it holds no MySQL dump (it starts ${JSON.stringify(head.slice(0, 30))})`, databases };
  if (head.startsWith('-- MySQL dump ') && !/-- Dump completed[^\n]*\n?$/.test(tail)) return { problem: 'the dump inside ends before "-- Dump completed": mysqldump stopped early', databases };
  return { databases };
}

/** Why an etcd snapshot file is not intact: it must end with the sha256 of the bytes before it. */
export async function checkEtcdSnapshot(path: string): Promise<string | undefined> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return 'the file is missing';
  }
  if (size < 32 + 512 || size % 512 !== 32) return `its size (${size} bytes) is not that of an etcd snapshot (a multiple of 512 plus the 32-byte sha256 etcd appends)`;
  const hash = createHash('sha256');
  const trailer: Buffer[] = [];
  let seen = 0;
  await pipeline(
    createReadStream(path),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        const bodyEnd = size - 32;
        const start = seen;
        seen += chunk.length;
        if (start < bodyEnd) hash.update(chunk.subarray(0, Math.max(0, Math.min(chunk.length, bodyEnd - start))));
        if (seen > bodyEnd) trailer.push(chunk.subarray(Math.max(0, bodyEnd - start)));
        done();
      },
    }),
  );
  return hash.digest().equals(Buffer.concat(trailer)) ? undefined : 'its sha256 does not match the one etcd appended: the snapshot is damaged';
}

/** Reads and checks the shape of a manifest; throws BackupError naming what is wrong. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BackupError(
      code === 'ENOENT'
        ? `${dir}: no ${MANIFEST_FILE}: not a finished hobbykube backup (an interrupted one has none)`
        : `${path}: cannot read it (${code ?? (error as Error).message})`,
    );
  }
  let m: Partial<Manifest>;
  try {
    m = JSON.parse(text) as Partial<Manifest>;
  } catch (error) {
    throw new BackupError(`${path}: not valid JSON (${(error as Error).message}): the manifest is damaged`);
  }
  if (m.format !== MANIFEST_FORMAT || !Array.isArray(m.files) || typeof m.cluster !== 'string') {
    throw new BackupError(`${path}: got ${JSON.stringify(m.format ?? null)} as format, expected ${MANIFEST_FORMAT} with cluster and files`);
  }
  for (const f of m.files) {
    if (typeof f.path !== 'string' || typeof f.sha256 !== 'string' || typeof f.bytes !== 'number') throw new BackupError(`${path}: a file entry lacks path, bytes or sha256`);
    const inside = resolve(dir, f.path);
    if (!inside.startsWith(resolve(dir) + sep)) throw new BackupError(`${path}: file ${JSON.stringify(f.path)} lies outside the backup directory`);
  }
  return { missing: [], notes: [], complete: false, createdAt: '', hobbykube: '', ...m } as Manifest;
}

export interface FileCheck {
  file: ManifestFile;
  /** Why the file cannot be trusted; undefined when it is as the manifest says. */
  problem?: string;
  /** database-dump: the databases inside. */
  databases?: string[];
}

/** Checks one file against its manifest entry (size, sha256, and what its kind must look like). */
export async function checkFile(dir: string, file: ManifestFile): Promise<FileCheck> {
  const path = join(dir, file.path);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { file, problem: 'the file is missing' };
  }
  if (size !== file.bytes) {
    return { file, problem: size < file.bytes ? `it has ${size} bytes, the manifest says ${file.bytes}: the file is truncated` : `it has ${size} bytes, the manifest says ${file.bytes}` };
  }
  const { sha256 } = await sha256File(path);
  if (sha256 !== file.sha256) return { file, problem: 'its sha256 does not match the manifest: the file was changed or damaged' };
  if (file.part === 'database-dump') {
    const dump = await checkDump(path);
    return { file, ...(dump.problem ? { problem: dump.problem } : {}), databases: dump.databases };
  }
  if (file.part === 'etcd-snapshot') {
    const problem = await checkEtcdSnapshot(path);
    return { file, ...(problem ? { problem } : {}) };
  }
  return { file };
}

/** Every file of a backup checked. */
export async function verifyBackup(dir: string): Promise<{ manifest: Manifest; checks: FileCheck[] }> {
  const manifest = readManifest(dir);
  const checks: FileCheck[] = [];
  for (const file of manifest.files) checks.push(await checkFile(dir, file));
  return { manifest, checks };
}

/** "1.2 MiB", "840 B". */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
