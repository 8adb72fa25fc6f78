// Row 8: `hobbykube backup` and `restore` of the source document's cluster on 970/470/470 MiB test
// hosts: wall-clock time (median of BENCH_BACKUP_RUNS, default 3) and the backup's size, with an
// empty database and with one of BENCH_BACKUP_ROWS rows (default 20000, ~40 bytes each). The
// built CLI runs as a child process, as an owner runs it; the doubles take no time per call here,
// so the figures are hobbykube's own work plus the dump script really running in a fake pod (no
// real MySQL, no network: on a VPS, mysqldump and the uplink add to them).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { startHosts } from '../test/hosts/harness.js';
import { LOAD_SCRIPT } from '../src/workloads/dump.js';
import { quote } from '../src/shell/quote.js';

const CLI = fileURLToPath(new URL('../bin/hobbykube.js', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../examples/source-cluster.yaml', import.meta.url));

export interface BackupCase {
  rows: number;
  backupMs: number[];
  restoreMs: number[];
  bytes: number;
  files: number;
  dumpBytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export { median };

export async function backupBench(rowCounts: number[] = [0, Number(process.env.BENCH_BACKUP_ROWS ?? 20000)], runs = Number(process.env.BENCH_BACKUP_RUNS ?? 3)): Promise<BackupCase[]> {
  const bed = await startHosts([
    { name: 'cp1', os: 'debian-12', memTotalMb: 970, memAvailableMb: 880, cpus: 2 },
    { name: 'w1', os: 'debian-12', memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
    { name: 'w2', os: 'debian-12', memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
  ]);
  try {
    const dir = mkdtempSync(join(tmpdir(), 'hk-bench-backup-'));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, HOBBYKUBE_HOME: join(dir, 'state'), SSH_AUTH_SOCK: '', HOBBYKUBE_SECRET_CHATBOT_SLACK_TOKEN: 'xoxb-bench' };
    const example = parse(readFileSync(EXAMPLE, 'utf8'));
    example.spec.nodes = bed.hosts.map((h, i) => ({ name: h.name, address: h.address, role: i === 0 ? 'control-plane' : 'worker', ssh: { user: bed.users.nopasswd, keyPath: bed.keyPath }, ...(i === 0 ? { acceptUndersized: true } : {}) }));
    const specPath = join(dir, 'hobbykube.yaml');
    writeFileSync(specPath, stringify(example));
    const cli = (args: string[]) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [CLI, ...args, '-f', specPath], { env, cwd: dir, encoding: 'utf8', timeout: 900_000 });
      if (r.status !== 0) throw new Error(`hobbykube ${args.join(' ')} failed (${r.status}):\n${r.stderr}\n${r.stdout.slice(-2000)}`);
      return { ms: performance.now() - t0, stdout: r.stdout };
    };
    cli(['apply', '--yes']);
    const cp = bed.hosts[0]!;
    const out: BackupCase[] = [];
    let made = 0;
    let created = false;
    for (const rows of rowCounts) {
      const values = Array.from({ length: rows - made }, (_, i) => `(${made + i + 1},'order ${made + i + 1}: a cup of tea and a scone')`);
      const seed = `${!created ? 'CREATE DATABASE shop;\nUSE shop;\nCREATE TABLE `orders` (`id` int NOT NULL, `item` varchar(64), PRIMARY KEY (`id`)) ENGINE=InnoDB;\n' : 'USE shop;\n'}${values.length ? `INSERT INTO orders VALUES ${values.join(',')};\n` : ''}`;
      const seeded = await cp.rootExec(`kubectl --kubeconfig /etc/kubernetes/admin.conf exec -i mysql-0 -c mysql -- bash -c ${quote(LOAD_SCRIPT)}`, seed);
      if (seeded.code !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
      made = rows;
      created = true;
      const c: BackupCase = { rows, backupMs: [], restoreMs: [], bytes: 0, files: 0, dumpBytes: 0 };
      for (let i = 0; i < runs; i++) {
        const b = cli(['backup', '--yes']);
        c.backupMs.push(b.ms);
        const backupDir = /^Backup done: (\S+) \(/m.exec(b.stdout)![1]!;
        const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8')) as { files: Array<{ bytes: number; part: string }> };
        c.bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
        c.files = manifest.files.length;
        c.dumpBytes = manifest.files.find((f) => f.part === 'database-dump')?.bytes ?? 0;
        c.restoreMs.push(cli(['restore', '--from', backupDir, '--yes']).ms);
      }
      out.push(c);
    }
    return out;
  } finally {
    await bed.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await backupBench(), null, 2));
}
