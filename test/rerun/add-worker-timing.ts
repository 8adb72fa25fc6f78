// Wall time of `hobbykube add-worker` on sshd test hosts (a measurement, not a test):
//   npm run build && node --import tsx test/rerun/add-worker-timing.ts [sizes...]
// For each size N (default 3 and 10): a cluster of N-1 nodes is built with apply, then the Nth
// node is added; also timed: the same add-worker again (everything already done), and, for
// comparison, a full `apply` of the N-node cluster (which surveys and probes every node).
import { requireHarness, startHosts, type HostProfile } from '../hosts/harness.js';
import { runCliAsync, writePartialSpec } from './support.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n >= 2);
requireHarness(); // says what is missing instead of timing nothing

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

for (const size of sizes.length > 0 ? sizes : [3, 10]) {
  const profiles: HostProfile[] = [{ name: 'cp1', memTotalMb: 1970 }, ...Array.from({ length: size - 1 }, (_, i) => ({ name: `w${i + 1}`, memTotalMb: 970, cpus: 1 }))];
  const bed = await startHosts(profiles);
  try {
    const spec = writePartialSpec(bed, size - 1);
    const opts = { env: spec.env, cwd: spec.dir, timeoutMs: 600_000 };
    const [built, buildMs] = await timed(() => runCliAsync(['apply', '--yes', '-f', spec.specPath], opts));
    if (built.code !== 0) throw new Error(`apply of ${size - 1} nodes failed:\n${built.stdout}\n${built.stderr}`);
    const last = bed.hosts[size - 1]!;
    const args = ['add-worker', '--name', last.name, '--address', last.address, '--user', bed.users.nopasswd, '--key', bed.keyPath, '--yes', '-f', spec.specPath];
    const [added, addMs] = await timed(() => runCliAsync(args, opts));
    if (added.code !== 0) throw new Error(`add-worker failed:\n${added.stdout}\n${added.stderr}`);
    for (const h of bed.hosts) h.clearRecordings();
    const [again, againMs] = await timed(() => runCliAsync(args, opts));
    if (again.code !== 0) throw new Error(`add-worker (again) failed:\n${again.stdout}\n${again.stderr}`);
    const contacted = bed.hosts.filter((h) => h.recordings().length > 0).map((h) => h.name);
    const [full, fullMs] = await timed(() => runCliAsync(['apply', '--yes', '-f', spec.specPath], opts));
    if (full.code !== 0) throw new Error(`apply failed:\n${full.stdout}\n${full.stderr}`);
    console.log(
      `${size}-node cluster: add-worker ${last.name} ${s(addMs)} (cluster of ${size - 1} built by apply in ${s(buildMs)}); ` +
        `add-worker again (all skipped) ${s(againMs)}, nodes with double calls then: ${contacted.join(', ')}; full apply of ${size} nodes (all skipped) ${s(fullMs)}`,
    );
  } finally {
    await bed.stop();
  }
}
