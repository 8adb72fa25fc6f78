import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/file.js';
import type { Workload } from '../../src/spec/types.js';
import type { NodeFacts } from '../../src/facts/types.js';
import { addonPods } from '../../src/workloads/addons.js';
import { capacityInput, checkCapacity, controlPlaneExcessMiB, formatCapacity, type CapacityNode } from '../../src/workloads/capacity.js';
import { fullSpec } from './helpers.js';

// The README's example spec (test/fixtures/specs/valid-full.yaml): cp1 1 GB, w1 and w2 512 MB.
const readme = loadSpec(join(import.meta.dirname, '../fixtures/specs/valid-full.yaml'));

// MemTotal as the nodes report it: a "1 GB" VPS shows about 970 MiB, a "512 MB" one about 481.
const small: CapacityNode[] = [
  { name: 'cp1', role: 'control-plane', schedulable: false, memTotalMiB: 970 },
  { name: 'w1', role: 'worker', schedulable: false, memTotalMiB: 481 },
  { name: 'w2', role: 'worker', schedulable: false, memTotalMiB: 481 },
];

describe('capacity check', () => {
  it('1 GB control plane + 2 x 512 MB workers with the README workloads: the exact table and verdicts', () => {
    const report = checkCapacity({ nodes: small, workloads: readme.spec.workloads, addons: addonPods(readme) });
    expect(report.fits).toBe(false);
    expect(report.proceed).toBe(false);
    expect(formatCapacity(report).join('\n')).toBe(
      [
        'Memory per node (MiB):',
        'node  role           memory  reserved  allocatable  system  add-ons  workloads  surge  free',
        'cp1   control-plane     970       611          359     344        0          0      0    15',
        'w1    worker            481       355          126      50       64          0      0    12',
        'w2    worker            481       355          126      50       72          0      0     4',
        '',
        'cp1: control-plane components beyond their reservation 54, etcd 100, coredns x2 140, flannel 50',
        'w1: flannel 50, traefik 64',
        'w2: flannel 50, cert-manager 48, cert-manager-webhook 24',
        '',
        'Does not fit: 5 problems.',
        '  - mysql (database) needs 256 MiB on w1, which has 12 MiB free: 244 MiB missing.',
        '  - cert-manager-cainjector (ingress add-on) needs 48 MiB and no node has that much free: the most free is 12 MiB on w1, 36 MiB missing.',
        '  - blog (app) needs 256 MiB and no node has that much free: the most free is 12 MiB on w1, 244 MiB missing.',
        '  - chatbot (worker) needs 128 MiB and no node has that much free: the most free is 12 MiB on w1, 116 MiB missing.',
        '  - cleanup (cron job) needs 32 MiB and no node has that much free: the most free is 12 MiB on w1, 20 MiB missing.',
      ].join('\n'),
    );
  });

  it('the control plane counts what its reservation does not cover: 32% of 970 = 310, minus 256 reserved', () => {
    expect(controlPlaneExcessMiB(970)).toBe(54);
    expect(controlPlaneExcessMiB(2048)).toBe(54);
    // An undersized control plane, whose reservation extra shrank to keep 64 MiB allocatable.
    expect(controlPlaneExcessMiB(512)).toBe(217);
  });

  it('2 GB workers fit everything, surge pods included', () => {
    const nodes = small.map((n) => (n.role === 'worker' ? { ...n, memTotalMiB: 1970 } : n));
    const report = checkCapacity({ nodes, workloads: readme.spec.workloads, addons: addonPods(readme) });
    expect(report.problems).toEqual([]);
    expect(report.fits).toBe(true);
    const lines = formatCapacity(report);
    expect(lines.slice(1, 5)).toEqual([
      'node  role           memory  reserved  allocatable  system  add-ons  workloads  surge  free',
      'cp1   control-plane     970       611          359     344        0          0      0    15',
      // First fit, largest first: everything lands on w1 while it has room.
      'w1    worker           1970       592         1378      50      184        672    384    88',
      'w2    worker           1970       592         1378      50        0          0      0  1328',
    ]);
    expect(lines.at(-1)).toBe('Fits: every workload has room, with one extra pod per Deployment for rolling updates.');
    expect([...report.strategies]).toEqual([
      ['chatbot', { maxSurge: 1, maxUnavailable: 0 }],
      ['blog', { maxSurge: 1, maxUnavailable: 0 }],
    ]);
  });

  it('no room for a surge pod: named with the missing MiB; maxSurge 0 only once the owner accepts', () => {
    const nodes: CapacityNode[] = [
      { name: 'cp1', role: 'control-plane', schedulable: false, memTotalMiB: 970 },
      { name: 'w1', role: 'worker', schedulable: false, memTotalMiB: 970 },
    ];
    const workloads = fullSpec([{ kind: 'app', name: 'site', image: 'nginx:1.27', port: 80, memory: '320Mi' }]).spec.workloads;
    const refused = checkCapacity({ nodes, workloads });
    expect(refused.problems.map((p) => p.message)).toEqual([
      'site (app) has no room for the extra pod of a rolling update: it needs 320 MiB, the most free is 245 MiB on w1, 75 MiB missing. Accepting updates it with maxSurge 0 (the old pod stops before the new one starts: a short outage).',
    ]);
    expect(refused.onlySurgeProblems).toBe(true);
    expect(refused.proceed).toBe(false);
    expect(refused.strategies.get('site')).toEqual({ maxSurge: 1, maxUnavailable: 0 });

    const accepted = checkCapacity({ nodes, workloads, accept: true });
    expect(accepted.proceed).toBe(true);
    expect(accepted.strategies.get('site')).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(formatCapacity(accepted).at(-1)).toBe('Accepted by the owner; updated with maxSurge 0: site.');
  });

  it('a database pinned to a full node: the exact shortfall', () => {
    const nodes: CapacityNode[] = [
      { name: 'cp1', role: 'control-plane', schedulable: false, memTotalMiB: 970 },
      { name: 'w1', role: 'worker', schedulable: false, memTotalMiB: 970 },
    ];
    const workloads = fullSpec([{ kind: 'database', name: 'mysql', node: 'w1', memory: '1Gi' }]).spec.workloads;
    expect(checkCapacity({ nodes, workloads }).problems.map((p) => [p.workload, p.node, p.missingMiB, p.message])).toEqual([
      ['mysql', 'w1', 459, 'mysql (database) needs 1024 MiB on w1, which has 565 MiB free: 459 MiB missing.'],
    ]);
  });

  it('a database pinned to a control plane that runs no workloads (a second line of defence: the spec refuses it first)', () => {
    const workloads: Workload[] = [{ kind: 'database', name: 'db', node: 'cp1', memory: '64Mi', storage: '5Gi', image: 'mysql:8.4' }];
    expect(checkCapacity({ nodes: small, workloads }).problems.map((p) => p.message)).toEqual([
      'db (database) is pinned to cp1, which runs no workloads (control plane with schedulable: false).',
    ]);
  });

  it('builds its input from the spec and the nodes\' facts', () => {
    const facts = new Map(['cp1', 'w1', 'w2'].map((n) => [n, { memory: { totalMiB: n === 'cp1' ? 970 : 481 } } as NodeFacts]));
    const input = capacityInput(readme, facts);
    expect(input.nodes).toEqual(small);
    expect(input.addons!.map((a) => [a.name, a.memoryMiB, a.node])).toEqual([
      ['traefik', 64, 'w1'],
      ['cert-manager', 48, undefined],
      ['cert-manager-cainjector', 48, undefined],
      ['cert-manager-webhook', 24, undefined],
    ]);
    expect(() => capacityInput(readme, new Map())).toThrow('memory of cp1, w1, w2 is unknown (no facts): cannot check capacity');
  });
});
