// Benchmark row 10 (not a test): shipping a new version of one app with `hobbykube deploy NAME
// --image REF` against the way before it, editing hobbykube.yaml and running `hobbykube apply`.
// The built CLI on real sshd test hosts (cp1, w1, w2; a MySQL database on w1 and a Rails-like app
// with a database link and a release command), the doubles taking the fixed times of
// bench/cluster.ts (DELAYS) per call. Each round ships a new tag both ways, alternating which goes
// first; the row is the median. Also counted: the commands recorded on the workers during each
// (deploy's target is 0: only the control plane is contacted) and the SSH logins on them.
//
// Run alone: node --import tsx bench/deploy.ts [rounds, default 3]
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { startHosts, type TestHost } from '../test/hosts/harness.js';
import { runCliAsync } from '../test/support/cli.js';
import { writeBedSpec } from '../test/install/support.js';
import { acceptedLogins } from '../test/rerun/support.js';
import { DELAYS, median, setDelays } from './cluster.js';

export interface DeployRow {
  rounds: number;
  deployMs: number[];
  applyMs: number[];
  /** Commands recorded on w1 and w2 during each deploy / apply (median). */
  deployWorkerCommands: number;
  applyWorkerCommands: number;
  deployWorkerLogins: number;
  applyWorkerLogins: number;
  method: string;
}

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
const RELEASE_OUTPUT = ['== 20261101120000 CreatePosts: migrated (0.0123s) =='];

export async function deployVsApply(rounds = 3): Promise<DeployRow> {
  const bed = await startHosts([{ name: 'cp1', memTotalMb: 1970 }, { name: 'w1', memTotalMb: 1970 }, { name: 'w2', memTotalMb: 1970 }]);
  try {
    const spec = writeBedSpec(bed, { cluster: 'bench' });
    const workers = bed.hosts.slice(1) as TestHost[];
    const tags = Array.from({ length: 2 * rounds + 1 }, (_, i) => `ghcr.io/me/blog:${i + 1}`);
    for (const tag of tags) bed.fakeImage(tag, { runs: { 'bin/rails db:migrate': { exitCode: 0, output: RELEASE_OUTPUT } } });
    const doc = parse(readFileSync(spec.specPath, 'utf8'));
    doc.spec.workloads = [
      { kind: 'database', name: 'mysql', node: 'w1', storage: '1Gi', memory: '256Mi' },
      { kind: 'app', name: 'blog', image: tags[0], port: 3000, memory: '128Mi', database: 'mysql', release: ['bin/rails', 'db:migrate'] },
      { kind: 'worker', name: 'bot', image: 'busybox:1.36', command: ['sleep', 'infinity'], memory: '32Mi' },
    ];
    writeFileSync(spec.specPath, stringify(doc));
    const cli = async (args: string[]) => {
      const t0 = performance.now();
      const r = await runCliAsync([...args, '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
      const ms = performance.now() - t0;
      if (r.code !== 0) throw new Error(`${args.join(' ')} failed (${r.code}): ${r.stderr.slice(-2000)}`);
      return ms;
    };
    log('deploy: installing cp1, w1, w2 with the database and the app...');
    await cli(['apply']);
    setDelays(bed, DELAYS);
    const row: DeployRow = { rounds, deployMs: [], applyMs: [], deployWorkerCommands: 0, applyWorkerCommands: 0, deployWorkerLogins: 0, applyWorkerLogins: 0, method: '' };
    const commands: { deploy: number[]; apply: number[]; deployLogins: number[]; applyLogins: number[] } = { deploy: [], apply: [], deployLogins: [], applyLogins: [] };
    let next = 1;
    const measure = async (how: 'deploy' | 'apply') => {
      const tag = tags[next++]!;
      for (const h of bed.hosts) h.clearRecordings();
      const logins = workers.map((w) => acceptedLogins(w));
      let ms: number;
      if (how === 'deploy') ms = await cli(['deploy', 'blog', '--image', tag]);
      else {
        const edited = parse(readFileSync(spec.specPath, 'utf8'));
        edited.spec.workloads.find((w: { name: string }) => w.name === 'blog').image = tag;
        writeFileSync(spec.specPath, stringify(edited));
        ms = await cli(['apply']);
      }
      (how === 'deploy' ? row.deployMs : row.applyMs).push(ms);
      commands[how].push(workers.reduce((sum, w) => sum + w.recordings().length, 0));
      commands[how === 'deploy' ? 'deployLogins' : 'applyLogins'].push(workers.reduce((sum, w, i) => sum + acceptedLogins(w) - logins[i]!, 0));
      log(`deploy: ${how} ${tag}: ${(ms / 1000).toFixed(2)} s`);
    };
    for (let i = 0; i < rounds; i++) {
      const order: Array<'deploy' | 'apply'> = i % 2 === 0 ? ['deploy', 'apply'] : ['apply', 'deploy'];
      for (const how of order) await measure(how);
    }
    row.deployWorkerCommands = median(commands.deploy);
    row.applyWorkerCommands = median(commands.apply);
    row.deployWorkerLogins = median(commands.deployLogins);
    row.applyWorkerLogins = median(commands.applyLogins);
    row.method = 'the built CLI on 3 sshd test hosts with DELAYS; each round ships a new tag of blog (database link, release command) by deploy and by editing the spec + apply, alternating the order';
    return row;
  } finally {
    await bed.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await deployVsApply(Number(process.argv[2] ?? 3)), null, 2));
}
