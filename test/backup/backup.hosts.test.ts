// Backups and restore end to end on the source document's cluster (970/470/470 MiB sshd test
// hosts; kubeadm, kubectl, crictl, etcdctl, mysql and mysqldump are recording doubles: the dump
// CronJob's script really runs, in a fake pod on its node, against a fake MySQL whose data is on
// the database node's disk). The database is on w2, so its dumps land on w1.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed, type TestHost } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runCli, runCliAsync } from '../support/cli.js';
import { startCli, until } from '../faults/support.js';
import { writeBedSpec, type BedSpec } from '../install/support.js';
import { LOAD_SCRIPT } from '../../src/workloads/dump.js';
import { quote } from '../../src/shell/quote.js';

const KC = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';
const SLACK = 'xoxb-BACKUP-test-distinctive-5150';
const SEED = `CREATE DATABASE shop;
USE shop;
CREATE TABLE \`orders\` (
  \`id\` int NOT NULL AUTO_INCREMENT,
  \`item\` varchar(64) NOT NULL,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
INSERT INTO orders VALUES (1,'tea'),(2,'it''s \\'quoted\\'; with ; and -- inside'),(3,NULL),(4,'日本語 🚀');
CREATE DATABASE blog;
USE blog;
CREATE TABLE \`posts\` (\`id\` int NOT NULL, \`body\` text, PRIMARY KEY (\`id\`)) ENGINE=InnoDB;
INSERT INTO posts VALUES (1,'hello\\nworld');
`;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('backups and restore on the source cluster (970/470/470 MiB sshd test hosts, recording doubles)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let cp: TestHost;
  let w1: TestHost;
  let w2: TestHost;
  let env: NodeJS.ProcessEnv;
  let backupDir = '';
  let backupRun: { code: number | null; stdout: string; stderr: string; ms: number };
  let applyOut = '';

  /** Runs SQL in the database pod through the same load script restore uses. */
  const sql = (text: string) => cp.rootExec(`${KC} exec -i mysql-0 -c mysql -- bash -c ${quote(LOAD_SCRIPT)}`, text);
  /** The newest dump on w1, gunzipped. */
  const newestDump = async () => {
    const list = (await w1.rootExec('ls /var/lib/hobbykube/backups/mysql/')).stdout.trim().split('\n').filter(Boolean).sort();
    const bytes = await w1.rootExec(`base64 -w0 /var/lib/hobbykube/backups/mysql/${list.at(-1)}`);
    return { name: list.at(-1)!, all: list, text: gunzipSync(Buffer.from(bytes.stdout, 'base64')).toString('utf8') };
  };

  beforeAll(async () => {
    bed = await startHosts([
      { name: 'cp1', os: 'debian-12', memTotalMb: 970, memAvailableMb: 880, cpus: 2 },
      { name: 'w1', os: 'debian-12', memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
      { name: 'w2', os: 'debian-12', memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
    ]);
    [cp, w1, w2] = bed.hosts as [TestHost, TestHost, TestHost];
    spec = writeBedSpec(bed, { acceptUndersized: true, cluster: 'source' });
    const example = parse(readFileSync(join(import.meta.dirname, '../../examples/source-cluster.yaml'), 'utf8'));
    const doc = parse(readFileSync(spec.specPath, 'utf8'));
    doc.spec.ingress = example.spec.ingress;
    doc.spec.workloads = example.spec.workloads;
    writeFileSync(spec.specPath, stringify(doc));
    env = { ...spec.env, HOBBYKUBE_SECRET_CHATBOT_SLACK_TOKEN: SLACK };
    const apply = await runCliAsync(['apply', '-f', spec.specPath, '--yes'], { env, cwd: spec.dir, timeoutMs: 600_000 });
    if (apply.code !== 0) throw new Error(`apply failed:\n${apply.stderr}\n${apply.stdout.slice(-3000)}`);
    applyOut = apply.stdout;
    const seeded = await sql(SEED);
    if (seeded.code !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
    // Traefik's certificate store as its ACME resolver leaves it (the double issues no certificate).
    await w1.rootExec("printf '%s' '{\"letsencrypt\":{\"Account\":{\"Email\":\"me@example.com\"},\"Certificates\":[]}}' >/var/lib/hobbykube/traefik/acme.json && chown 65532:65532 /var/lib/hobbykube/traefik/acme.json && chmod 0600 /var/lib/hobbykube/traefik/acme.json");
  }, 700_000);
  afterAll(async () => bed?.stop());

  it('apply says where and when the database is dumped, and the capacity check counts the dump pod on w1', () => {
    expect(applyOut).toContain('Database dumps:\n  mysql: 0 3 * * * (UTC) onto w1, /var/lib/hobbykube/backups/mysql, the newest 7 kept\n');
    expect(applyOut).toMatch(/^w1: .*mysql-dump 32\/64/m);
  });

  it('a Job from the dump CronJob writes a compressed dump onto w1, the other worker, and none onto w2, the database\'s node (doubles)', async () => {
    const created = await cp.rootExec(`${KC} create job mysql-dump-check --from=cronjob/mysql-dump && ${KC} get job mysql-dump-check -o jsonpath='{.status.succeeded}' && ${KC} logs job/mysql-dump-check`);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^job\.batch\/mysql-dump-check created\n1dumped 2 database\(s\) \(blog shop\) into \d{8}T\d{6}Z\.sql\.gz, \d+ bytes; keeping the newest 7\n$/);
    const dump = await newestDump();
    expect(dump.all).toHaveLength(1);
    expect(dump.text.startsWith('-- MySQL dump 10.13  Distrib 8.4.6, for Linux (x86_64)\n')).toBe(true);
    expect(dump.text).toContain("INSERT INTO `orders` VALUES (1,'tea'),(2,'it''s \\'quoted\\'; with ; and -- inside'),(3,NULL),(4,'日本語 🚀');");
    expect(dump.text.endsWith('-- Dump completed\n')).toBe(true);
    const modes = await w1.rootExec("stat -c '%a %U' /var/lib/hobbykube/backups/mysql /var/lib/hobbykube/backups/mysql/*.sql.gz");
    expect(modes.stdout).toBe('700 root\n600 root\n');
    expect((await w2.rootExec('ls -A /var/lib/hobbykube/backups/')).stdout).toBe('');
    // The password reached mysqldump through the pipe, never its command line.
    const calls = cp.recordings().filter((r) => r.argv[0] === 'mysqldump');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.argv.join(' ')).toMatch(/^mysqldump --defaults-extra-file=\/dev\/fd\/\d+ --host=mysql --single-transaction /);
    const password = /MYSQL_ROOT_PASSWORD: (\S+)/.exec(readFileSync(join(spec.home, 'source', 'secrets.yaml'), 'utf8'))![1]!;
    expect(JSON.stringify(cp.recordings())).not.toContain(password);
    // status reads the CronJob's last success.
    const status = runCli(['status', '--once', '-f', spec.specPath], { env, cwd: spec.dir });
    expect(status.stdout).toMatch(/^mysql-dump +CronJob +0 act +- +ok, last dump \d+s ago \(/m);
  });

  it('backup: a directory 0700 of files 0600 whose manifest verifies, taken from every node that holds state', async () => {
    backupRun = await startCli(['backup', '-f', spec.specPath, '--yes'], { env, cwd: spec.dir }).done;
    expect(backupRun.code, backupRun.stderr + backupRun.stdout).toBe(0);
    backupDir = /^Backup done: (\S+) \(/m.exec(backupRun.stdout)![1]!;
    expect(backupDir.startsWith(join(spec.home, 'source', 'backups', '20'))).toBe(true);
    expect(mode(backupDir)).toBe('700');
    expect(mode(join(backupDir, '..'))).toBe('700');
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'hobbykube-backup/v1', cluster: 'source', complete: true, missing: [] });
    expect(manifest.files.map((f: { path: string; part: string; node?: string }) => [f.path.replace(/\d{8}T\d{6}Z/, 'T'), f.part, f.node])).toEqual([
      ['databases/mysql/T.sql.gz', 'database-dump', 'w1'],
      ['etcd/snapshot.db', 'etcd-snapshot', 'cp1'],
      ['hobbykube.yaml', 'spec', undefined],
      ['secrets.yaml', 'secrets', undefined],
      ['traefik/acme.json', 'acme', 'w1'],
    ]);
    // Every file as the manifest says, checked here independently; nothing else in the directory.
    for (const f of manifest.files) {
      const bytes = readFileSync(join(backupDir, f.path));
      expect([f.path, bytes.length, sha256(bytes)]).toEqual([f.path, f.bytes, f.sha256]);
      expect(mode(join(backupDir, f.path)), f.path).toBe('600');
    }
    expect(files(backupDir).map((f) => f.slice(backupDir.length + 1)).sort()).toEqual(['manifest.json', ...manifest.files.map((f: { path: string }) => f.path)].sort());
    expect(readFileSync(join(backupDir, 'hobbykube.yaml'), 'utf8')).toBe(readFileSync(spec.specPath, 'utf8'));
    expect(readFileSync(join(backupDir, 'secrets.yaml'), 'utf8')).toContain(SLACK);
    expect(manifest.files.find((f: { part: string }) => f.part === 'database-dump').databases).toEqual(['blog', 'shop']);
    expect(manifest.files.find((f: { part: string }) => f.part === 'etcd-snapshot').status).toMatchObject({ version: '3.6.0', totalKey: expect.any(Number) });
    // The fresh dump is a second dump on w1; the etcd snapshot is gone from the control plane.
    expect((await newestDump()).all).toHaveLength(2);
    expect((await cp.rootExec('ls /var/lib/etcd')).stdout).toBe('member\n');
    const check = runCli(['restore', '--from', backupDir, '--check'], { env, cwd: spec.dir });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('Verified: 5 files match the manifest (sizes and sha256).');
    const total = manifest.files.reduce((n: number, f: { bytes: number }) => n + f.bytes, 0);
    console.log(`[note] backup of the source cluster on the test bed: ${manifest.files.length} files, ${total} bytes, ${Math.round(backupRun.ms)} ms wall clock`);
  });

  it("after w2 is reset and its disk wiped (a reinstalled VPS), apply then restore bring back the exact rows: the next dump is byte-identical (doubles)", async () => {
    const before = await newestDump();
    const reset = runCli(['reset', '--node', 'w2', '-f', spec.specPath, '--yes'], { env, cwd: spec.dir, timeoutMs: 300_000 });
    expect(reset.code, reset.stderr).toBe(0);
    await w2.rootExec('rm -rf /var/lib/hobbykube/volumes/mysql');
    const apply = await runCliAsync(['apply', '-f', spec.specPath, '--yes'], { env, cwd: spec.dir, timeoutMs: 600_000 });
    expect(apply.code, apply.stderr).toBe(0);
    // The database came back empty.
    const empty = await sql('SHOW DATABASES;');
    expect(empty.stdout).toBe('Database\ninformation_schema\nmysql\nperformance_schema\nsys\nloaded\n');

    const restore = await runCliAsync(['restore', '--from', backupDir, '-f', spec.specPath, '--yes'], { env, cwd: spec.dir });
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    expect(restore.stdout).toContain('  - database mysql on w2: load its dump of ');
    expect(restore.stdout).toContain('Overwritten: blog, shop: those databases are dropped and recreated from the dump');
    expect(restore.stdout).toContain('Restored: mysql (dump of ');

    const job = await cp.rootExec(`${KC} create job mysql-dump-after --from=cronjob/mysql-dump`);
    expect(job.code, job.stderr).toBe(0);
    const after = await newestDump();
    expect(after.name).not.toBe(before.name);
    const saved = gunzipSync(readFileSync(join(backupDir, JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8')).files[0].path))).toString('utf8');
    expect(after.text).toBe(saved);
    expect(after.text).toBe(before.text);
  });

  it('restore refuses a truncated or damaged dump with the reason, and loads nothing', async () => {
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8'));
    const dumpPath = manifest.files[0].path as string;
    const copy = (name: string) => {
      const dir = join(mkdtempSync(join(tmpdir(), 'hk-restore-')), name);
      cpSync(backupDir, dir, { recursive: true });
      return dir;
    };
    const loads = () => cp.recordings().filter((r) => r.argv[0] === 'kubectl' && r.argv.includes('exec') && r.argv.includes('-i')).length;
    const loadsBefore = loads();

    const truncated = copy('truncated');
    truncateSync(join(truncated, dumpPath), manifest.files[0].bytes - 10);
    const t = runCli(['restore', '--from', truncated, '-f', spec.specPath, '--yes'], { env, cwd: spec.dir });
    expect(t.code).toBe(1);
    expect(t.stderr).toContain(`error: ${dumpPath}: it has ${manifest.files[0].bytes - 10} bytes, the manifest says ${manifest.files[0].bytes}: the file is truncated; not loading it`);
    expect(t.stderr).toContain('Nothing was loaded.');

    // Damaged inside, with a manifest that was made to match: gzip's own check refuses it.
    const damaged = copy('damaged');
    const bytes = readFileSync(join(damaged, dumpPath));
    bytes[Math.floor(bytes.length / 2)]! ^= 0x55;
    writeFileSync(join(damaged, dumpPath), bytes);
    manifest.files[0].sha256 = sha256(bytes);
    writeFileSync(join(damaged, 'manifest.json'), JSON.stringify(manifest));
    const d = runCli(['restore', '--from', damaged, '-f', spec.specPath, '--yes'], { env, cwd: spec.dir });
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/error: databases\/mysql\/\d{8}T\d{6}Z\.sql\.gz: (the gzip data is damaged \(.+\)|the gzip stream ends early: the file is truncated); not loading it/);
    expect(loads()).toBe(loadsBefore);
  });

  it('an interrupted backup leaves nothing that looks finished; the next backup clears what it left', async () => {
    const backups = join(spec.home, 'source', 'backups');
    const finished = () => readdirSync(backups).filter((e) => !e.startsWith('.'));
    const before = finished();
    cp.setDelay(4000, 'kubectl'); // the fresh dump's Job takes its time
    try {
      // Killed outright: a hidden work directory without a manifest is all that remains.
      const killed = startCli(['backup', '-f', spec.specPath, '--yes'], { env, cwd: spec.dir });
      expect(await until(() => killed.lines.some((l) => l.text.includes('run   Dump mysql now')), 120_000)).toBe(true);
      killed.child.kill('SIGKILL');
      await killed.done;
      expect(finished()).toEqual(before);
      const partial = readdirSync(backups).filter((e) => e.endsWith('.partial'));
      expect(partial).toHaveLength(1);
      expect(existsSync(join(backups, partial[0]!, 'manifest.json'))).toBe(false);
      const refused = runCli(['restore', '--from', join(backups, partial[0]!), '-f', spec.specPath, '--yes'], { env, cwd: spec.dir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('no manifest.json: not a finished hobbykube backup (an interrupted one has none); nothing was loaded');

      // Ctrl-C: running parts finish, nothing is kept, exit 130.
      const stopped = startCli(['backup', '-f', spec.specPath, '--yes'], { env, cwd: spec.dir });
      expect(await until(() => stopped.lines.some((l) => l.text.includes('run   Dump mysql now')), 120_000)).toBe(true);
      stopped.child.kill('SIGINT');
      const end = await stopped.done;
      expect(end.code, end.stderr).toBe(130);
      expect(end.stderr).toContain('Interrupted: nothing was kept.');
      expect(finished()).toEqual(before);
      expect(readdirSync(backups).filter((e) => e.endsWith('.partial'))).toEqual([]);
    } finally {
      cp.clearControls();
    }
    const again = runCli(['backup', '-f', spec.specPath, '--yes', '--latest-dumps'], { env, cwd: spec.dir, timeoutMs: 300_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(backups).filter((e) => e.startsWith('.'))).toEqual([]);
    expect(finished()).toHaveLength(before.length + 1);
  });

  it('status calls the dumps overdue once the last success is older than twice the schedule', async () => {
    const old = new Date(Date.now() - 3 * 24 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const patched = await cp.rootExec(`${KC} patch cronjob mysql-dump --subresource=status --type=merge -p ${quote(JSON.stringify({ status: { lastSuccessfulTime: old } }))}`);
    expect(patched.code, patched.stderr).toBe(0);
    const status = runCli(['status', '--once', '-f', spec.specPath], { env, cwd: spec.dir });
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^mysql-dump +CronJob +0 act +- +DUMPS OVERDUE, last dump 3d 0h ago/m);
    expect(status.stdout).toContain(`  - dumps of mysql: last dump 3d 0h ago (${old}): older than twice its schedule (0 3 * * * UTC); the dumps are failing or not running`);
  });

  it('losing the control plane: the whole cluster rebuilt from the spec, then restore: the exact rows again (doubles)', async () => {
    const saved = gunzipSync(readFileSync(join(backupDir, JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8')).files[0].path))).toString('utf8');
    const reset = runCli(['reset', '-f', spec.specPath, '--yes'], { env, cwd: spec.dir, timeoutMs: 300_000 });
    expect(reset.code, reset.stderr).toBe(0);
    for (const h of [w1, w2]) await h.rootExec('rm -rf /var/lib/hobbykube/volumes/* /var/lib/hobbykube/backups/*');
    const apply = await runCliAsync(['apply', '-f', spec.specPath, '--yes'], { env, cwd: spec.dir, timeoutMs: 600_000 });
    expect(apply.code, apply.stderr).toBe(0);
    const restore = await runCliAsync(['restore', '--from', backupDir, '-f', spec.specPath, '--yes'], { env, cwd: spec.dir });
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    const job = await cp.rootExec(`${KC} create job mysql-dump-rebuilt --from=cronjob/mysql-dump`);
    expect(job.code, job.stderr).toBe(0);
    const after = await newestDump();
    expect(after.all).toHaveLength(1);
    expect(after.text).toBe(saved);
  });
});
