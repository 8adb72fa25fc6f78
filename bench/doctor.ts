// Benchmark row 9 (not a test): the wall time of `hobbykube doctor` on a healthy cluster of N real
// sshd test hosts, installed first with the product's own plan and runner (bench/cluster.ts),
// without added delays. Doctor is driven as src/cli/commands/doctor.ts drives it (the same sources,
// checks and runner over a HostPool) minus the CLI's start-up and printing. Three runs per size;
// the median and the slowest check are reported. The floor is the memory check: three samples
// 2 s apart (src/doctor/sources.ts, MEMORY_SAMPLES).
//
// Run alone: node --import tsx bench/doctor.ts [sizes, default 3,10]
import { pathToFileURL } from 'node:url';
import { allChecks } from '../src/doctor/checks/index.js';
import { realOutside } from '../src/doctor/outside.js';
import { runChecks } from '../src/doctor/run.js';
import { Sources } from '../src/doctor/sources.js';
import { Redactor } from '../src/redact.js';
import { applyDirect, median, specFor, startCluster } from './cluster.js';

export interface DoctorRow {
  n: number;
  checks: number;
  runsMs: number[];
  medianMs: number;
  /** The slowest check of the median run, and its time. */
  slowest: string;
  slowestMs: number;
  /** Checks that did not pass (a healthy bed: 0). */
  notOk: number;
}

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

export async function doctorBench(sizes: number[] = [3, 10], runs = 3): Promise<DoctorRow[]> {
  const rows: DoctorRow[] = [];
  for (const n of sizes) {
    log(`doctor: installing ${n} nodes...`);
    // MemAvailable as a fresh VPS leaves it (MemTotal 1970 - ~90 MiB for the OS), not the bed's default 70%.
    const c = await startCluster(n, { memTotalMb: 1970, memAvailableMb: 1880 });
    try {
      const spec = specFor(c.bed);
      await applyDirect(c, spec);
      const results: Array<{ ms: number; slowest: string; slowestMs: number; checks: number; notOk: number }> = [];
      for (let i = 0; i < runs; i += 1) {
        const { pool, close } = c.session(spec);
        try {
          const redactor = new Redactor();
          const sources = new Sources({ spec, host: (name) => pool.host(name), outside: realOutside({ resolver: '127.0.0.1:9', timeoutMs: 1000 }) });
          const checks = allChecks({ sources, paths: c.paths, redact: (t) => redactor.redact(t), now: Date.now });
          const t0 = performance.now();
          const out = await runChecks(checks);
          const ms = performance.now() - t0;
          const slow = [...out].sort((a, b) => (b.durationMs ?? 0) - (a.durationMs ?? 0))[0]!;
          results.push({ ms, slowest: slow.id, slowestMs: slow.durationMs ?? 0, checks: out.length, notOk: out.filter((r) => r.status !== 'ok').length });
          const bad = out.filter((r) => r.status !== 'ok').map((r) => `${r.id}: ${r.findings[0]?.title ?? r.summary}`);
          log(`doctor, ${n} nodes, run ${i + 1}: ${(ms / 1000).toFixed(2)} s, ${out.length} checks, slowest ${slow.id} ${((slow.durationMs ?? 0) / 1000).toFixed(2)} s, ${bad.length} not ok${bad.length > 0 ? `: ${bad.slice(0, 3).join('; ')}` : ''}`);
        } finally {
          await close();
        }
      }
      const m = median(results.map((r) => r.ms));
      const mid = results.find((r) => r.ms === m) ?? results[0]!;
      rows.push({ n, checks: mid.checks, runsMs: results.map((r) => Math.round(r.ms)), medianMs: Math.round(m), slowest: mid.slowest, slowestMs: Math.round(mid.slowestMs), notOk: Math.max(...results.map((r) => r.notOk)) });
    } finally {
      await c.stop();
    }
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sizes = (process.argv[2] ?? '3,10').split(',').map(Number);
  const rows = await doctorBench(sizes);
  console.log(JSON.stringify(rows, null, 2));
}
