// Row 6 of `npm run bench`: the durations the tests no longer assert (issue 12). How long
// startHosts(3) takes, and how soon the transport declares a connection lost after its sshd is
// killed (the socket closes) or frozen (only the keepalive, 2 s x 3, can tell). Medians of a few
// runs on fresh hosts; 127.0.0.0/8 only.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../src/ssh/connection.js';
import { SshError } from '../src/ssh/types.js';
import { startHosts, type TestHost } from '../test/hosts/harness.js';

export interface LivenessRow {
  runs: number;
  startHosts3Ms: number[];
  killedMs: number[];
  frozenMs: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
export { median };

async function lostAfter(host: TestHost, keyPath: string, user: string, signal: 'SIGKILL' | 'SIGSTOP'): Promise<number> {
  const knownHostsPath = join(mkdtempSync(join(tmpdir(), 'hk-bench-live-')), 'known_hosts');
  const connection = await connect(
    { name: host.name, address: host.address, ssh: { user, port: host.port, keyPath } },
    { knownHostsPath, asker: { confirmHostKey: async () => true, secret: async () => '' }, assumeYes: true, agentSocket: null, sshConfigPath: null },
  );
  const lines: string[] = [];
  const running = connection.run('echo started; sleep 600', { onLine: (line) => lines.push(line) }).then(
    () => 'finished',
    (error: unknown) => (error instanceof SshError ? error.kind : String(error)),
  );
  while (!lines.includes('started')) await new Promise((r) => setTimeout(r, 10));
  const t0 = performance.now();
  host.signalSshd(signal);
  const kind = await running;
  const ms = performance.now() - t0;
  if (kind !== 'connection-lost') throw new Error(`expected connection-lost after ${signal}, got ${kind}`);
  if (signal === 'SIGSTOP') host.signalSshd('SIGCONT');
  await connection.close();
  return ms;
}

export async function liveness(runs = 3): Promise<LivenessRow> {
  const row: LivenessRow = { runs, startHosts3Ms: [], killedMs: [], frozenMs: [] };
  for (let i = 0; i < runs; i++) {
    const bed = await startHosts(3);
    row.startHosts3Ms.push(bed.startupMs);
    try {
      row.killedMs.push(await lostAfter(bed.hosts[0]!, bed.keyPath, bed.users.nopasswd, 'SIGKILL'));
      row.frozenMs.push(await lostAfter(bed.hosts[1]!, bed.keyPath, bed.users.nopasswd, 'SIGSTOP'));
    } finally {
      await bed.stop();
    }
  }
  return row;
}
