// A spec whose workloads cannot fit is stopped before anything changes, with the exact shortfall:
// apply on real sshd test hosts (recording doubles stand in for apt, kubeadm, kubectl ...). Even
// with the small-node profile (a third of `memory` as request on a 480 MiB worker with swap), a
// 2 GiB database does not fit there.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runCli } from '../support/cli.js';
import { isMutating, line, writeBedSpec, type BedSpec } from './support.js';

describe('apply with workloads that do not fit (sshd test hosts, recording doubles)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  beforeAll(async () => {
    bed = await startHosts([{ name: 'cp1', memTotalMb: 1970 }, { name: 'w1', memTotalMb: 480, cpus: 1 }]);
    spec = writeBedSpec(bed);
    const doc = parse(readFileSync(spec.specPath, 'utf8'));
    doc.spec.workloads = [
      { kind: 'database', name: 'mysql', node: 'w1', storage: '5Gi', memory: '2Gi' },
      { kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', memory: '128Mi' },
    ];
    writeFileSync(spec.specPath, stringify(doc));
  });
  afterAll(async () => bed?.stop());

  it('shows the per-node table, names workload, node and missing MiB, and changes nothing', () => {
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Memory per node (MiB), pods counted by their memory requests:');
    expect(r.stdout).toMatch(/^\s*node\s+role\s+memory\s+reserved\s+allocatable/m);
    // 2048 / 3 = 683 MiB of request; w1 (480 MiB): 276 allocatable - 70 for flannel and kube-proxy.
    expect(r.stdout).toContain('mysql (database) needs 683 MiB on w1, which has 206 MiB free: 477 MiB missing.');
    expect(r.stderr).toContain('error: the workloads do not fit (see above): lower their memory, move the database, or add a worker (`hobbykube add-worker`). Nothing was changed.');
    for (const h of bed.hosts) expect(h.recordings().filter(isMutating).map(line), h.name).toEqual([]);
  });
});
