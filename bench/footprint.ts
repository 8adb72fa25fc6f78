// Benchmark row 5 (not a test): what one memory sample (src/monitor/memory.ts sampleMemory) costs
// the node, measured on a real sshd test host over an already open connection, as the live view
// and `status` sample.
//   bytes:      the command's stdout + stderr as received (a wrapper around Host.run counts them),
//               and the script sent (the exec request carries it);
//   processes:  every host lives in its own PID namespace, whose PIDs are handed out in sequence,
//               so /proc/sys/kernel/ns_last_pid read before and after K samples counts every
//               process created in the host for them: sshd's session child for the channel, the
//               login shell, and the script's own pipeline. The reads themselves (an nsenter'd
//               bash + cat) create processes too; that cost is measured with two reads back to
//               back and subtracted.
// Run alone: node --import tsx bench/footprint.ts
import { pathToFileURL } from 'node:url';
import { MEMORY_SCRIPT, sampleMemory } from '../src/monitor/memory.js';
import type { Host, RunOptions } from '../src/ssh/types.js';
import { specFor, startCluster } from './cluster.js';

export interface FootprintRow {
  samples: number;
  bytesPerSample: number;
  scriptBytes: number;
  processesPerSample: number;
  msPerSample: number;
  topProcesses: number;
}

export async function footprint(samples = 20): Promise<FootprintRow> {
  const c = await startCluster(1);
  const { pool, close } = c.session(specFor(c.bed, 1));
  try {
    const host = c.bed.hosts[0]!;
    const real = await pool.host('cp1');
    let bytes = 0;
    const counting: Host = {
      node: real.node,
      run: async (script: string, options?: RunOptions) => {
        const r = await real.run(script, options);
        bytes += Buffer.byteLength(r.stdout) + Buffer.byteLength(r.stderr);
        return r;
      },
      copyFile: (...a) => real.copyFile(...a),
      download: (...a) => real.download(...a),
      close: () => real.close(),
    };
    await sampleMemory(counting); // warm: the connection is open, as during apply or status
    bytes = 0;
    const lastPid = async () => Number((await host.rootExec('cat /proc/sys/kernel/ns_last_pid')).stdout.trim());
    const a = await lastPid();
    const b = await lastPid();
    const readCost = b - a;
    const t0 = performance.now();
    let top = 0;
    for (let i = 0; i < samples; i++) top = (await sampleMemory(counting)).top.length;
    const ms = (performance.now() - t0) / samples;
    const after = await lastPid();
    return {
      samples,
      bytesPerSample: bytes / samples,
      scriptBytes: Buffer.byteLength(MEMORY_SCRIPT),
      processesPerSample: (after - b - readCost) / samples,
      msPerSample: ms,
      topProcesses: top,
    };
  } finally {
    await close();
    await c.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await footprint(), null, 2));
}
