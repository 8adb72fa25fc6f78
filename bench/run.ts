// `npm run bench`: every benchmark row, one table on stdout, bench/results/latest.json.
// Benchmarks, not tests: nothing here asserts a time. Ratios are measured side by side in the same
// run. Only 127.0.0.0/8 test hosts are contacted (test/hosts/harness.ts).
//
// Knobs (environment):
//   BENCH_SIZES=3,10,30        cluster sizes for the orchestration row
//   BENCH_SEQUENTIAL=3,10      sizes also run sequentially (concurrency 1); others reuse per-kind costs
//   BENCH_GROWTH=3,30          cluster sizes add-worker is measured on
//   BENCH_STARTUP_RUNS=10      runs per start-up case (median)
//   BENCH_LIVENESS_RUNS=3      fresh beds for row 7 (host start-up, lost-connection detection)
//   BENCH_DOCTOR=3,10          cluster sizes doctor is timed on
//   BENCH_ONLY=startup,orchestration,growth,progress,footprint,small-nodes,liveness,backup,doctor,deploy,upgrade   a subset of rows
//   BENCH_DEPLOY_ROUNDS=3      rounds of row 10 (deploy vs editing the spec + apply)
//   BENCH_UPGRADE_RUNS=2       fresh beds (each installed at 1.36 first) for row 11
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { footprint, type FootprintRow } from './footprint.js';
import { smallNodes } from './small-nodes.js';
import { backupBench } from './backup.js';
import { liveness, median } from './liveness.js';
import { growth, orchestration, type GrowthRow, type OrchestrationRow } from './orchestration.js';
import { upgradeBench, type UpgradeRow } from './upgrade.js';
import { startup, type StartupRow } from './startup.js';
import { deployVsApply } from './deploy.js';
import { DELAYS } from './cluster.js';
import { doctorBench } from './doctor.js';

const list = (v: string | undefined, d: string) => (v ?? d).split(',').filter(Boolean).map(Number);
const only = new Set((process.env.BENCH_ONLY ?? 'startup,orchestration,growth,progress,footprint,small-nodes,liveness,backup,doctor,deploy,upgrade').split(','));
const sizes = list(process.env.BENCH_SIZES, '3,10,30');
const sequentialSizes = list(process.env.BENCH_SEQUENTIAL, '3,10');
const growthSizes = list(process.env.BENCH_GROWTH, '3,30');
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

const machine = {
  nproc: Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()) || cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryMiB: Math.round(totalmem() / 1048576),
  node: process.version,
  date: new Date().toISOString(),
};

interface TableRow {
  row: string;
  case: string;
  measured: string;
  reference: string;
  ratio: string;
  target: string;
}
const table: TableRow[] = [];
const results: Record<string, unknown> = { machine, delaysMs: DELAYS };
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const x = (r: number) => `${r.toFixed(2)}x`;
const verdict = (r: number, max: number) => `<= ${max}x ${r <= max ? 'met' : 'MISSED'}`;

if (only.has('startup')) {
  log('start-up...');
  const rows: StartupRow[] = await startup();
  results.startup = rows;
  for (const r of rows) {
    table.push({ row: '1 start-up', case: r.case, measured: `${r.medianMs.toFixed(0)} ms`, reference: `node -e 0: ${r.baselineMedianMs.toFixed(0)} ms`, ratio: x(r.ratio), target: verdict(r.ratio, 5) });
  }
}

if (only.has('orchestration')) {
  const rows: OrchestrationRow[] = await orchestration(sizes, sequentialSizes);
  results.orchestration = rows;
  for (const r of rows) {
    const target = r.n <= 3 ? 1.05 : 1.15;
    table.push({
      row: '2 orchestration',
      case: `apply, N=${r.n} (${r.steps} steps)`,
      measured: s(r.parallelMs),
      reference: `critical path ${s(r.criticalPathMs)} (delays alone ${s(r.criticalPathDelaysMs ?? 0)}; bed CPU bound ${s(r.workBoundMs)})`,
      ratio: x(r.ratio),
      target: r.n === 3 || r.n >= 30 ? verdict(r.ratio, target) : `(${target}x at N=30)`,
    });
    if (r.sequentialMs !== undefined) {
      table.push({ row: '2 orchestration', case: `  same, sequential (concurrency 1), N=${r.n}`, measured: s(r.sequentialMs), reference: `parallel ${s(r.parallelMs)}`, ratio: `${x(r.speedup!)} faster in parallel`, target: '' });
    }
  }
}

if (only.has('growth')) {
  const rows: GrowthRow[] = [];
  for (const n of growthSizes) rows.push(await growth(n));
  results.growth = rows;
  const base = rows[0]!;
  for (const r of rows) {
    table.push({
      row: '3 growth',
      case: `add-worker to ${r.n} nodes`,
      measured: s(r.wallMs),
      reference: r === base ? `survey ${s(r.surveyMs)}, ${r.stepsRun} steps` : `${base.n} nodes: ${s(base.wallMs)}`,
      ratio: r === base ? '' : x(r.wallMs / base.wallMs),
      target: r === base ? '' : verdict(r.wallMs / base.wallMs, 1.2),
    });
    table.push({ row: '3 growth', case: `  commands on the ${r.untouchedNodes} untouched nodes`, measured: String(r.commandsOnUntouched), reference: '', ratio: '', target: `0 ${r.commandsOnUntouched === 0 ? 'met' : 'MISSED'}` });
  }
}

if (only.has('progress')) {
  log('progress view (bench/progress.ts in its own process)...');
  const here = fileURLToPath(new URL('.', import.meta.url));
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/progress.ts'], { cwd: `${here}/..`, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`bench/progress.ts failed (${child.status}): ${child.stdout}`);
  const file = new URL('./results/progress.json', import.meta.url);
  const progress = JSON.parse(readFileSync(file, 'utf8')) as { nodeEnv: string; rows: Array<Record<string, number | string>> };
  results.progress = progress;
  for (const r of progress.rows) {
    const c = String(r.case);
    const isIdle = c.startsWith('idle');
    table.push({
      row: '4 progress view',
      case: c,
      measured: isIdle ? `${Number(r.cpuPerMinuteS).toFixed(2)} CPU s/min` : `${Math.round(Number(r.linesPerS)).toLocaleString('en-US')} lines/s`,
      reference: `CPU ${Number(r.cpuS).toFixed(2)} s, peak RSS ${r.peakRssMiB} MiB`,
      ratio: '',
      target: '',
    });
  }
}

if (only.has('footprint')) {
  log('footprint of a memory sample...');
  const r: FootprintRow = await footprint();
  results.footprint = r;
  table.push({ row: '5 node footprint', case: `one memory sample (median of ${r.samples})`, measured: `${r.bytesPerSample.toFixed(0)} B out, ${r.processesPerSample.toFixed(1)} processes`, reference: `script ${r.scriptBytes} B in, ${r.msPerSample.toFixed(0)} ms`, ratio: '', target: '' });
}

if (only.has('small-nodes')) {
  log("small nodes: the source document's cluster, before and after the small-node profile...");
  const r = await smallNodes();
  results.smallNodes = r;
  const free = (f: Record<string, number>) => Object.entries(f).map(([n, v]) => `${n} ${v}`).join(', ');
  table.push({
    row: '6 small nodes',
    case: 'source cluster 970/470/470 MiB: MiB free by request',
    measured: `${free(r.after.freeMiB)} (${r.after.problems} problems)`,
    reference: r.before ? `before (${r.before.version}): ${free(r.before.freeMiB)}, ${r.before.problems} problems` : (r.beforeNote ?? ''),
    ratio: '',
    target: r.after.problems === 0 ? 'fits' : 'DOES NOT FIT',
  });
  table.push({ row: '6 small nodes', case: '  every pod at its limit: MiB spare (RAM + swap)', measured: free(r.after.spareAtLimitsMiB ?? {}), reference: '', ratio: '', target: '' });
}

if (only.has('liveness')) {
  log('test bed start-up and lost-connection detection...');
  const r = await liveness(Number(process.env.BENCH_LIVENESS_RUNS ?? 3));
  results.liveness = r;
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms (median of ${xs.length}: ${xs.map((v) => v.toFixed(0)).join(', ')})`;
  table.push({ row: '7 test bed', case: 'startHosts(3)', measured: ms(r.startHosts3Ms), reference: 'was asserted < 2000 ms in a test until issue 12', ratio: '', target: '' });
  table.push({ row: '7 liveness', case: 'sshd killed mid-command -> connection-lost', measured: ms(r.killedMs), reference: 'the socket closes', ratio: '', target: '' });
  table.push({ row: '7 liveness', case: 'sshd frozen mid-command -> connection-lost', measured: ms(r.frozenMs), reference: 'keepalive 2 s x 3 unanswered', ratio: '', target: '' });
}

if (only.has('backup')) {
  log("backup and restore of the source document's cluster...");
  const r = await backupBench();
  results.backup = r;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const med = (xs: number[]) => `${(([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0) / 1000).toFixed(2)} s`;
  for (const c of r) {
    table.push({ row: '8 backup', case: `backup, source cluster, ${c.rows} rows (median of ${c.backupMs.length})`, measured: med(c.backupMs), reference: `${c.files} files, ${kb(c.bytes)} (dump ${kb(c.dumpBytes)})`, ratio: '', target: '' });
    table.push({ row: '8 backup', case: `  restore of that dump`, measured: med(c.restoreMs), reference: '', ratio: '', target: '' });
  }
}

if (only.has('doctor')) {
  const rows = await doctorBench(list(process.env.BENCH_DOCTOR, '3,10'));
  results.doctor = rows;
  for (const r of rows) {
    table.push({
      row: '9 doctor',
      case: `doctor, healthy cluster of ${r.n} nodes (${r.checks} checks)`,
      measured: `${s(r.medianMs)} (median of ${r.runsMs.length}: ${r.runsMs.map((v) => (v / 1000).toFixed(2)).join(', ')})`,
      reference: `slowest check ${r.slowest} ${s(r.slowestMs)}; floor: 3 memory samples 2 s apart`,
      ratio: '',
      target: r.notOk === 0 ? 'all checks passed' : `${r.notOk} NOT OK`,
    });
  }
}

if (only.has('deploy')) {
  log('deploy vs apply: one app shipped both ways...');
  const r = await deployVsApply(Number(process.env.BENCH_DEPLOY_ROUNDS ?? 3));
  results.deploy = r;
  const ratio = median(r.applyMs) / median(r.deployMs);
  const all = (xs: number[]) => xs.map((v) => (v / 1000).toFixed(2)).join(', ');
  table.push({ row: '10 deploy', case: `deploy blog --image (median of ${r.rounds})`, measured: s(median(r.deployMs)), reference: `spec edit + apply: ${s(median(r.applyMs))} (runs: deploy ${all(r.deployMs)}; apply ${all(r.applyMs)})`, ratio: `${x(ratio)} faster`, target: '' });
  table.push({ row: '10 deploy', case: '  commands / SSH logins on the 2 workers', measured: `${r.deployWorkerCommands} / ${r.deployWorkerLogins}`, reference: `apply: ${r.applyWorkerCommands} / ${r.applyWorkerLogins}`, ratio: '', target: `0 ${r.deployWorkerCommands === 0 && r.deployWorkerLogins === 0 ? 'met' : 'MISSED'}` });
}

if (only.has('upgrade')) {
  log("upgrade 1.36 -> 1.37 of the source document's cluster...");
  const rows: UpgradeRow[] = [];
  for (let i = 0; i < Number(process.env.BENCH_UPGRADE_RUNS ?? 2); i++) rows.push(await upgradeBench());
  results.upgrade = rows;
  const each = (f: (r: UpgradeRow) => number) => rows.map((r) => s(f(r))).join(' / ');
  table.push({ row: '11 upgrade', case: `upgrade 1.36 -> 1.37, source cluster, 3 nodes (${rows.length} runs)`, measured: each((r) => r.wallMs), reference: `before the plan ${each((r) => r.beforePlanMs)}; plan ${each((r) => r.planMs)} (${rows[0]?.steps ?? 0} steps run)`, ratio: '', target: '' });
  table.push({ row: '11 upgrade', case: '  of the plan: waiting (drains, Ready waits)', measured: each((r) => r.waitingMs), reference: `probes ${each((r) => r.probesMs)}; actions ${each((r) => r.actionsMs)} (summed over nodes)`, ratio: '', target: '' });
  table.push({ row: '11 upgrade', case: '  each worker out (drain to uncordon)', measured: rows.map((r) => Object.entries(r.outMs).map(([n, v]) => `${n} ${s(v)}`).join(', ')).join(' / '), reference: 'the plan says about 3 minutes on a real VPS (an estimate)', ratio: '', target: '' });
}

const head: TableRow = { row: 'row', case: 'case', measured: 'measured', reference: 'reference', ratio: 'ratio', target: 'target' };
const cols = Object.keys(head) as Array<keyof TableRow>;
const widths = cols.map((c) => Math.max(...[head, ...table].map((r) => r[c].length)));
const fmt = (r: TableRow) => cols.map((c, i) => r[c].padEnd(widths[i]!)).join('  ').trimEnd();
console.log(`\nhobbykube benchmarks: ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryMiB} MiB, Node ${machine.node}, ${machine.date}`);
console.log(`doubles' delays per call (ms): ${Object.entries(DELAYS).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
console.log(fmt(head));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table) console.log(fmt(r));
const dir = new URL('./results/', import.meta.url);
if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
writeFileSync(new URL('./latest.json', dir), `${JSON.stringify({ ...results, table }, null, 2)}\n`);
console.log(`\nwritten ${fileURLToPath(new URL('./latest.json', dir))}`);
