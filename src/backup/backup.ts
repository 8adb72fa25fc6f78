// `hobbykube backup` as steps for the runner (the same machinery, live view and plain lines as
// apply), plus the local parts. Everything a rebuilt cluster needs to get its state back:
//
//   <dump node>/dump-<db>   a fresh dump now (a Job from the database's dump CronJob: the very
//                           script the schedule runs, onto the dump node), else the newest
//                           scheduled dump; copied here and checked (whole gzip, a MySQL dump)
//   <cp>/etcd-snapshot      etcdctl snapshot save through the etcd static pod, `snapshot status`,
//                           copied here, checked (etcd's own sha256 trailer), removed from the node
//   <ingress>/acme          Traefik's acme.json (the Let's Encrypt account and certificates)
//   (local)                 the spec file and secrets.yaml, byte for byte
//
// Files are copied over SSH with `cat` on one exec channel (Host.download), as root, hashed on the
// way, into a work directory that only becomes the backup when the manifest is written and the
// directory renamed (src/cli/commands/backup.ts).
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { controlPlaneOf } from '../install/plan.js';
import { StepFailure, type LineSink, type Step, type StepContext } from '../install/step.js';
import type { ClusterSpec, DatabaseWorkload } from '../spec/types.js';
import type { Host } from '../ssh/types.js';
import { ingressAddonsNeeded } from '../workloads/addons.js';
import { DUMP_FILE, dumpCronJobName, dumpDir, dumpNode } from '../workloads/dump.js';
import { checkDump, checkEtcdSnapshot, sizeText, type BackupPart, type ManifestFile } from './manifest.js';
import {
  ACME_FILE,
  FRESH_DUMP_TIMEOUT_S,
  SNAPSHOT_PATH,
  STATUS_MARK,
  acmeSizeScript,
  dumpFileFromLog,
  etcdSnapshotScript,
  freshDumpScript,
  listDumpsScript,
  parseDumpList,
  removeSnapshotScript,
} from './scripts.js';

/** What the steps collect for the manifest. */
export interface BackupRecord {
  /** The work directory the files go into. */
  work: string;
  files: ManifestFile[];
  missing: Array<{ part: BackupPart; what: string; reason: string }>;
  notes: string[];
}

export interface BackupOptions {
  /** Take a fresh dump of every database now (default); false: copy the newest scheduled dumps. */
  fresh: boolean;
  /** Names the fresh dump Jobs: `<db>-dump-<suffix>` (at most 63 characters). */
  jobSuffix: string;
}

/** A big transfer may take long on a slow uplink: an hour before it counts as stuck. */
const TRANSFER_TIMEOUT_MS = 60 * 60_000;

const ROOT_ONLY_DIR = 0o700;

/**
 * Copies a remote file (as root) into `local` (0600, must not exist), hashing it on the way;
 * progress lines at most once a second. Resolves when the bytes are on disk (fsync'd).
 */
export async function downloadTo(host: Host, remote: string, local: string, output: LineSink, expected?: number): Promise<{ bytes: number; sha256: string }> {
  mkdirSync(dirname(local), { recursive: true, mode: ROOT_ONLY_DIR });
  const hash = createHash('sha256');
  const through = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const written = pipeline(through, createWriteStream(local, { mode: 0o600, flags: 'wx' }));
  let last = 0;
  const progress = (n: number) => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    output(`copied ${sizeText(n)}${expected ? ` of ${sizeText(expected)} (${Math.floor((n / expected) * 100)}%)` : ''}`, 'stdout');
  };
  let bytes: number;
  try {
    bytes = await host.download(remote, through, { sudo: true, timeoutMs: TRANSFER_TIMEOUT_MS, onBytes: progress });
  } catch (error) {
    through.destroy(error as Error);
    await written.catch(() => undefined);
    throw error;
  }
  through.end();
  await written;
  const fd = openSync(local, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  output(`copied ${sizeText(bytes)} from ${host.node}:${remote}`, 'stdout');
  return { bytes, sha256: hash.digest('hex') };
}

/** "20261128T030000Z.sql.gz" -> "2026-11-28T03:00:00Z". */
export function dumpTime(name: string): string | undefined {
  const m = DUMP_FILE.exec(name);
  if (!m) return undefined;
  const s = m[1]!;
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`;
}

function dumpStep(spec: ClusterSpec, w: DatabaseWorkload, record: BackupRecord, options: BackupOptions): Step {
  const cp = controlPlaneOf(spec).name;
  const { node, offNode } = dumpNode(spec, w);
  const job = `${dumpCronJobName(w.name)}-${options.jobSuffix}`;
  return {
    id: `${node}/dump-${w.name}`,
    node,
    title: options.fresh ? `Dump ${w.name} now (a Job on ${node}) and copy the dump here` : `Copy ${w.name}'s newest scheduled dump from ${node}`,
    after: [],
    timeoutMs: (FRESH_DUMP_TIMEOUT_S + 120) * 1000 + TRANSFER_TIMEOUT_MS,
    retry: false,
    artifacts: [
      { name: 'fresh-dump.sh', content: freshDumpScript(w.name, job) },
      { name: 'list-dumps.sh', content: listDumpsScript(w.name) },
    ],
    probe: async () => ({ done: false, reason: '' }),
    async run(ctx: StepContext, output: LineSink) {
      let made: string | undefined;
      if (options.fresh) {
        const control = await ctx.host(cp);
        const lines: string[] = [];
        const result = await control.run(freshDumpScript(w.name, job), {
          sudo: true,
          timeoutMs: (FRESH_DUMP_TIMEOUT_S + 60) * 1000,
          onLine: (line, stream) => {
            const clean = ctx.redactor.redact(line);
            lines.push(clean);
            output(clean, stream);
          },
        });
        made = result.code === 0 ? dumpFileFromLog(result.stdout) : undefined;
        if (result.code !== 0 || !made) {
          const why = lines.slice(-1)[0] ?? `exit code ${result.code}`;
          record.notes.push(`${w.name}: the fresh dump failed (${why}); the newest scheduled dump was saved instead.`);
          output(`the fresh dump failed (${why}): taking the newest scheduled dump instead`, 'stderr');
        }
      }
      const host = await ctx.host(node);
      const listed = await host.run(listDumpsScript(w.name), { sudo: true, timeoutMs: 60_000 });
      if (listed.code !== 0) throw new StepFailure(`could not list the dumps in ${dumpDir(w.name)} (exit code ${listed.code})`, listed.code, ctx.redactor.redact(listed.stderr).trim().split('\n').slice(-5));
      const dumps = parseDumpList(listed.stdout);
      const chosen = made ? dumps.find((d) => d.name === made) : dumps.at(-1);
      if (!chosen) {
        throw new StepFailure(
          `no dump of ${w.name} in ${node}:${dumpDir(w.name)}${options.fresh ? '' : ' (run backup without --latest-dumps to take one now)'}`,
        );
      }
      const path = `databases/${w.name}/${chosen.name}`;
      const local = join(record.work, path);
      const copied = await downloadTo(host, `${dumpDir(w.name)}/${chosen.name}`, local, output, chosen.bytes);
      const check = await checkDump(local);
      if (check.problem) throw new StepFailure(`the dump ${node}:${dumpDir(w.name)}/${chosen.name} cannot be used: ${check.problem}`);
      const takenAt = dumpTime(chosen.name);
      record.files.push({
        path,
        part: 'database-dump',
        bytes: copied.bytes,
        sha256: copied.sha256,
        node,
        source: `${dumpDir(w.name)}/${chosen.name}`,
        database: w.name,
        ...(takenAt ? { takenAt } : {}),
        databases: check.databases,
      });
      if (!offNode) record.notes.push(`${w.name}: its dumps stay on ${node}, the database's own node (the cluster has no other node that runs workloads); this backup is the only copy elsewhere.`);
      output(`${w.name}: dump of ${takenAt ?? chosen.name} with ${check.databases.length > 0 ? check.databases.join(', ') : 'no databases besides MySQL\'s own'}`, 'stdout');
    },
  };
}

/** The JSON object after STATUS_MARK in the snapshot script's output. */
export function parseSnapshotStatus(stdout: string): Record<string, unknown> | undefined {
  const after = stdout.split(`${STATUS_MARK}\n`)[1];
  const line = after?.split('\n').find((l) => l.trim().startsWith('{'));
  if (!line) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function etcdStep(spec: ClusterSpec, record: BackupRecord): Step {
  const cp = controlPlaneOf(spec).name;
  const save = etcdSnapshotScript();
  return {
    id: `${cp}/etcd-snapshot`,
    node: cp,
    title: 'Save an etcd snapshot (the cluster\'s objects) through the etcd pod and copy it here',
    after: [],
    timeoutMs: 10 * 60_000 + TRANSFER_TIMEOUT_MS,
    retry: false,
    artifacts: [
      { name: 'snapshot.sh', content: save },
      { name: 'remove-snapshot.sh', content: removeSnapshotScript() },
    ],
    probe: async () => ({ done: false, reason: '' }),
    async run(ctx: StepContext, output: LineSink) {
      const host = await ctx.host(cp);
      const tail: string[] = [];
      const result = await host.run(save, {
        sudo: true,
        timeoutMs: 10 * 60_000,
        onLine: (line, stream) => {
          const clean = ctx.redactor.redact(line);
          tail.push(clean);
          if (tail.length > 10) tail.shift();
          output(clean, stream);
        },
      });
      try {
        if (result.code !== 0) throw new StepFailure(`etcdctl snapshot save failed with exit code ${result.code}`, result.code, tail);
        const status = parseSnapshotStatus(result.stdout);
        if (!status) throw new StepFailure('etcd did not report the snapshot\'s status', undefined, tail);
        const path = 'etcd/snapshot.db';
        const local = join(record.work, path);
        const expected = typeof status.totalSize === 'number' ? status.totalSize + 32 : undefined;
        const copied = await downloadTo(host, SNAPSHOT_PATH, local, output, expected);
        const problem = await checkEtcdSnapshot(local);
        if (problem) throw new StepFailure(`the etcd snapshot cannot be used: ${problem}`);
        record.files.push({ path, part: 'etcd-snapshot', bytes: copied.bytes, sha256: copied.sha256, node: cp, source: SNAPSHOT_PATH, takenAt: new Date().toISOString(), status });
        output(`etcd snapshot: revision ${String(status.revision)}, ${String(status.totalKey)} keys, sha256 trailer verified`, 'stdout');
      } finally {
        await host.run(removeSnapshotScript(), { sudo: true, timeoutMs: 60_000 }).catch(() => undefined);
      }
    },
  };
}

function acmeStep(spec: ClusterSpec, record: BackupRecord): Step {
  const node = spec.spec.ingress!.node;
  return {
    id: `${node}/acme`,
    node,
    title: `Copy Traefik's acme.json (Let's Encrypt account and certificates) from ${node}`,
    after: [],
    timeoutMs: 10 * 60_000,
    retry: false,
    artifacts: [{ name: 'acme-size.sh', content: acmeSizeScript() }],
    probe: async () => ({ done: false, reason: '' }),
    async run(ctx: StepContext, output: LineSink) {
      const host = await ctx.host(node);
      const size = await host.run(acmeSizeScript(), { sudo: true, timeoutMs: 60_000 });
      if (size.code !== 0) throw new StepFailure(`could not look for ${ACME_FILE} (exit code ${size.code})`, size.code, size.stderr.trim().split('\n').slice(-3));
      if (size.stdout.trim() === 'none') {
        record.notes.push(`${node}: no ${ACME_FILE} yet (Traefik has not been issued a certificate); nothing to save.`);
        output(`no ${ACME_FILE} yet: nothing to save`, 'stdout');
        return;
      }
      const path = 'traefik/acme.json';
      const copied = await downloadTo(host, ACME_FILE, join(record.work, path), output, Number(size.stdout.trim()));
      record.files.push({ path, part: 'acme', bytes: copied.bytes, sha256: copied.sha256, node, source: ACME_FILE, takenAt: new Date().toISOString() });
    },
  };
}

/** The backup's steps: independent of each other, so every node works at once. */
export function backupSteps(spec: ClusterSpec, record: BackupRecord, options: BackupOptions): Step[] {
  const databases = spec.spec.workloads.filter((w): w is DatabaseWorkload => w.kind === 'database');
  return [
    ...databases.map((w) => dumpStep(spec, w, record, options)),
    etcdStep(spec, record),
    ...(ingressAddonsNeeded(spec) ? [acmeStep(spec, record)] : []),
  ];
}

/** The part and subject of a failed step, for the manifest's `missing`. */
export function partOfStep(id: string): { part: BackupPart; what: string } {
  const [node, name = ''] = id.split('/');
  if (name.startsWith('dump-')) return { part: 'database-dump', what: `the dump of ${name.slice('dump-'.length)} (from ${node})` };
  if (name === 'etcd-snapshot') return { part: 'etcd-snapshot', what: `the etcd snapshot (from ${node})` };
  return { part: 'acme', what: `Traefik's acme.json (from ${node})` };
}
