// A backup's files against its manifest: what passes, and every way a file is refused, with the
// reason a person reads.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BackupError, MANIFEST_FORMAT, checkDump, checkEtcdSnapshot, readManifest, verifyBackup, type Manifest, type ManifestFile } from '../../src/backup/manifest.js';

const DUMP = `-- MySQL dump 10.13  Distrib 8.4.6, for Linux (x86_64)
--
-- Current Database: \`shop\`
--

CREATE DATABASE /*!32312 IF NOT EXISTS*/ \`shop\`;
-- Current Database: \`blog ü\`
INSERT INTO \`t\` VALUES ${'(1,\'row\'),'.repeat(20_000)}(2,'last');

-- Dump completed
`;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A backup directory with the given files; the manifest describes them as they are now. */
function backup(files: Record<string, { part: ManifestFile['part']; bytes: Buffer }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hk-backup-test-'));
  const entries: ManifestFile[] = [];
  for (const [path, f] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), f.bytes);
    entries.push({ path, part: f.part, bytes: f.bytes.length, sha256: sha(f.bytes), source: `/x/${path}`, ...(f.part === 'database-dump' ? { database: 'mysql' } : {}) });
  }
  const manifest: Manifest = { format: MANIFEST_FORMAT, cluster: 'home', createdAt: '2026-11-28T03:00:00.000Z', hobbykube: '0.1.0', complete: true, files: entries, missing: [], notes: [] };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

function snapshot(size = 8192): Buffer {
  const db = Buffer.alloc(size, 7);
  return Buffer.concat([db, createHash('sha256').update(db).digest()]);
}

describe('checking a backup against its manifest', () => {
  it('a whole backup verifies, and the dump says which databases it holds', async () => {
    const dir = backup({ 'databases/mysql/20261128T030000Z.sql.gz': { part: 'database-dump', bytes: gzipSync(DUMP) }, 'etcd/snapshot.db': { part: 'etcd-snapshot', bytes: snapshot() }, 'hobbykube.yaml': { part: 'spec', bytes: Buffer.from('kind: Cluster\n') } });
    const { manifest, checks } = await verifyBackup(dir);
    expect(manifest.cluster).toBe('home');
    expect(checks.map((c) => [c.file.path, c.problem])).toEqual([
      ['databases/mysql/20261128T030000Z.sql.gz', undefined],
      ['etcd/snapshot.db', undefined],
      ['hobbykube.yaml', undefined],
    ]);
    expect(checks[0]!.databases).toEqual(['shop', 'blog ü']);
  });

  it('a truncated dump is refused: by its size against the manifest, and as a gzip stream on its own', async () => {
    const dir = backup({ 'databases/mysql/d.sql.gz': { part: 'database-dump', bytes: gzipSync(DUMP) } });
    const path = join(dir, 'databases/mysql/d.sql.gz');
    const full = readFileSync(path).length;
    truncateSync(path, full - 40);
    const { checks } = await verifyBackup(dir);
    expect(checks[0]!.problem).toBe(`it has ${full - 40} bytes, the manifest says ${full}: the file is truncated`);
    expect((await checkDump(path)).problem).toBe('the gzip stream ends early: the file is truncated');
  });

  it('a changed byte is refused by its sha256; damaged gzip data by gzip itself', async () => {
    const dir = backup({ 'databases/mysql/d.sql.gz': { part: 'database-dump', bytes: gzipSync(DUMP) } });
    const path = join(dir, 'databases/mysql/d.sql.gz');
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(path, bytes);
    expect((await verifyBackup(dir)).checks[0]!.problem).toBe('its sha256 does not match the manifest: the file was changed or damaged');
    // The same damage with a manifest that matches it: gzip's own check still refuses it.
    const again = backup({ 'databases/mysql/d.sql.gz': { part: 'database-dump', bytes } });
    expect((await verifyBackup(again)).checks[0]!.problem).toMatch(/^the gzip data is damaged \(.+\)$|^the gzip stream ends early/);
  });

  it('a gzip file that holds no MySQL dump, or a dump that stops early, is refused', async () => {
    const notDump = backup({ 'databases/mysql/d.sql.gz': { part: 'database-dump', bytes: gzipSync('hello\n') } });
    expect((await verifyBackup(notDump)).checks[0]!.problem).toBe('it holds no MySQL dump (it starts "hello\\n")');
    const cut = backup({ 'databases/mysql/d.sql.gz': { part: 'database-dump', bytes: gzipSync(DUMP.replace('-- Dump completed\n', '')) } });
    expect((await verifyBackup(cut)).checks[0]!.problem).toBe('the dump inside ends before "-- Dump completed": mysqldump stopped early');
    const empty = backup({ 'databases/mysql/d.sql.gz': { part: 'database-dump', bytes: gzipSync("-- hobbykube: no databases on mysql besides MySQL's own\n") } });
    expect((await verifyBackup(empty)).checks[0]).toMatchObject({ databases: [] });
    expect((await verifyBackup(empty)).checks[0]!.problem).toBeUndefined();
  });

  it("an etcd snapshot must end with etcd's sha256 of what comes before", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-snap-'));
    writeFileSync(join(dir, 'good.db'), snapshot());
    expect(await checkEtcdSnapshot(join(dir, 'good.db'))).toBeUndefined();
    const bad = snapshot();
    bad[100]! ^= 1;
    writeFileSync(join(dir, 'bad.db'), bad);
    expect(await checkEtcdSnapshot(join(dir, 'bad.db'))).toBe("its sha256 does not match the one etcd appended: the snapshot is damaged");
    writeFileSync(join(dir, 'short.db'), snapshot().subarray(0, 5000));
    expect(await checkEtcdSnapshot(join(dir, 'short.db'))).toBe('its size (5000 bytes) is not that of an etcd snapshot (a multiple of 512 plus the 32-byte sha256 etcd appends)');
    // Bigger than one read chunk (64 KiB): the trailer is found across chunks.
    writeFileSync(join(dir, 'big.db'), snapshot(4096 * 100));
    expect(await checkEtcdSnapshot(join(dir, 'big.db'))).toBeUndefined();
  });

  it('a missing file, a missing manifest, a damaged manifest and a path outside the backup are refused', async () => {
    const dir = backup({ 'hobbykube.yaml': { part: 'spec', bytes: Buffer.from('x') } });
    writeFileSync(join(dir, 'hobbykube.yaml'), '');
    expect((await verifyBackup(dir)).checks[0]!.problem).toBe('it has 0 bytes, the manifest says 1: the file is truncated');
    const partial = mkdtempSync(join(tmpdir(), 'hk-partial-'));
    expect(() => readManifest(partial)).toThrow(new BackupError(`${partial}: no manifest.json: not a finished hobbykube backup (an interrupted one has none)`));
    writeFileSync(join(partial, 'manifest.json'), '{"format": "hobbykube-backup/v1", "clus');
    expect(() => readManifest(partial)).toThrow(/manifest\.json: not valid JSON .*: the manifest is damaged$/);
    writeFileSync(join(partial, 'manifest.json'), JSON.stringify({ format: MANIFEST_FORMAT, cluster: 'x', files: [{ path: '../../etc/passwd', bytes: 1, sha256: 'a', part: 'spec' }] }));
    expect(() => readManifest(partial)).toThrow('file "../../etc/passwd" lies outside the backup directory');
  });
});
