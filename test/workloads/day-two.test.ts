// Day-two rules that are pure (issue 17): a release command's room in the capacity check, and the
// database users no workload links any more (never dropped: apply names them).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/file.js';
import type { Workload } from '../../src/spec/types.js';
import { validateObject } from '../../src/spec/validate.js';
import { addonPods } from '../../src/workloads/addons.js';
import { checkCapacity, type CapacityNode } from '../../src/workloads/capacity.js';
import { unlinkedDatabaseUsers } from '../../src/workloads/secrets.js';

const readme = loadSpec(join(import.meta.dirname, '../fixtures/specs/valid-full.yaml'));
const small: CapacityNode[] = [
  { name: 'cp1', role: 'control-plane', schedulable: false, memTotalMiB: 970 },
  { name: 'w1', role: 'worker', schedulable: false, memTotalMiB: 481 },
  { name: 'w2', role: 'worker', schedulable: false, memTotalMiB: 481 },
];

describe('capacity: a release command needs room beside the running pods', () => {
  it('an app with a release command short of surge room is a problem maxSurge 0 cannot waive', () => {
    // The README example on 481 MiB workers: chatbot's surge pod is 8 MiB short (capacity.test.ts).
    // The same pod as an app with a release command: its release Job needs that room anyway.
    const workloads = readme.spec.workloads.map((w) => (w.name === 'chatbot' ? ({ ...w, kind: 'app', port: 3000, replicas: 1, healthPath: '/', release: ['bin/migrate'] } as Workload) : w));
    const report = checkCapacity({ nodes: small, workloads, addons: addonPods(readme) });
    expect(report.problems.map((p) => [p.kind, p.workload, p.node, p.missingMiB])).toEqual([['no-release-room', 'chatbot', 'w2', 8]]);
    expect(report.problems[0]!.message).toContain('runs its release command as a Job of its own size beside its running pods');
    expect(report.onlySurgeProblems).toBe(false);
    expect(report.fits).toBe(false);
  });
});

describe('database users no workload links any more', () => {
  const spec = validateObject({
    apiVersion: 'hobbykube.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'home' },
    spec: {
      nodes: [{ name: 'cp1', address: 'vps1', role: 'control-plane' }, { name: 'w1', address: 'vps2' }],
      dns: { upstream: ['9.9.9.9'] },
      workloads: [
        { kind: 'database', name: 'mysql', node: 'w1' },
        { kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: 3000, database: 'mysql' },
        { kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1' },
      ],
    },
  }).spec!;

  it('are the entries of secrets.yaml whose workload is gone, renamed or unlinked; linked ones are not', () => {
    const values = { workloads: {}, registries: {}, databaseUsers: { mysql: { blog: 'p1', bot: 'p2', chat: 'p3' }, olddb: { blog: 'p4' } } };
    expect(unlinkedDatabaseUsers(spec, values)).toEqual([
      { database: 'mysql', workload: 'bot' }, // still a workload, no longer linked
      { database: 'mysql', workload: 'chat' }, // gone (or renamed)
      { database: 'olddb', workload: 'blog' }, // linked to another database now
    ]);
    expect(unlinkedDatabaseUsers(spec, { ...values, databaseUsers: { mysql: { blog: 'p1' } } })).toEqual([]);
  });
});
