// A database's scheduled dumps: where they land, the CronJob against the Kubernetes schemas, what
// the capacity check counts, and when status calls them overdue.
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../support/k8s-schemas.js';
import { loadSpec } from '../../src/spec/file.js';
import type { DatabaseWorkload } from '../../src/spec/types.js';
import type { NodeFacts } from '../../src/facts/types.js';
import { capacityInput, checkCapacity, formatCapacity } from '../../src/workloads/capacity.js';
import { DUMP_MEMORY, DUMP_SCRIPT, describeDumps, dumpFreshness, dumpNode, dumpPods, renderDumpObjects } from '../../src/workloads/dump.js';
import { renderObjects, toYaml, type K8sObject } from '../../src/workloads/render.js';
import { fullSpec, specOf, NODES } from './helpers.js';

const db = (spec = fullSpec()) => spec.spec.workloads.find((w): w is DatabaseWorkload => w.kind === 'database')!;
const cronJob = (objects: K8sObject[]) => objects.find((o) => o.kind === 'CronJob' && o.metadata.name === 'mysql-dump')!;

function specWithNodes(nodes: unknown[], database: Record<string, unknown> = {}) {
  return specOf({
    apiVersion: 'hobbykube.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'home' },
    spec: { nodes, dns: { upstream: ['1.1.1.1'] }, workloads: [{ kind: 'database', name: 'mysql', node: 'w1', ...database }] },
  });
}

describe('where the dumps land', () => {
  it('on the first other worker when there is one', () => {
    expect(dumpNode(fullSpec(), db())).toEqual({ node: 'w2', offNode: true });
    const onW2 = specWithNodes(NODES, { node: 'w2' });
    expect(dumpNode(onW2, db(onW2))).toEqual({ node: 'w1', offNode: true });
  });

  it('on a schedulable control plane when the database has the only worker', () => {
    const spec = specWithNodes([{ ...NODES[0], schedulable: true }, NODES[1]]);
    expect(dumpNode(spec, db(spec))).toEqual({ node: 'cp1', offNode: true });
  });

  it("on the database's own node when no other node runs workloads (and it says so)", () => {
    const spec = specWithNodes([NODES[0], NODES[1]]);
    expect(dumpNode(spec, db(spec))).toEqual({ node: 'w1', offNode: false });
    expect(describeDumps(spec)).toEqual([
      "mysql: 0 3 * * * (UTC) onto w1, the database's own node (no other node runs workloads: `hobbykube backup` is what copies them off it), /var/lib/hobbykube/backups/mysql, the newest 7 kept",
    ]);
    expect(describeDumps(fullSpec())).toEqual(['mysql: 0 3 * * * (UTC) onto w2, /var/lib/hobbykube/backups/mysql, the newest 7 kept']);
  });
});

describe('the dump CronJob', () => {
  const objects = renderObjects(fullSpec());
  const cj = cronJob(objects);
  const pod = cj.spec.jobTemplate.spec.template;
  const container = pod.spec.containers[0];

  it('validates against the Kubernetes schemas, with its own ServiceAccount that gets no token', () => {
    const own = renderDumpObjects(fullSpec(), db(), 'mysql-env');
    expect(own.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/mysql-dump', 'CronJob/mysql-dump']);
    for (const o of parseAllDocuments(toYaml(own)).map((d) => d.toJS() as K8sObject)) {
      expect(() => new MODELS[`${o.apiVersion}/${o.kind}`]!(o).validate(), o.kind).not.toThrow();
    }
    expect(own[0]!.automountServiceAccountToken).toBe(false);
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.serviceAccountName).toBe('mysql-dump');
  });

  it('runs daily at 03:00 UTC by default, never twice at once, at the batch priority, on the dump node', () => {
    expect(cj.spec).toMatchObject({ schedule: '0 3 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 3600 });
    expect(pod.spec.priorityClassName).toBe('hobbykube-batch');
    expect(pod.spec.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'w2' });
    expect(pod.spec.volumes).toEqual([{ name: 'dumps', hostPath: { path: '/var/lib/hobbykube/backups/mysql', type: 'DirectoryOrCreate' } }]);
    expect(container.volumeMounts).toEqual([{ name: 'dumps', mountPath: '/backup' }]);
    expect(container.resources).toEqual({ requests: { memory: `${DUMP_MEMORY.requestMiB}Mi` }, limits: { memory: `${DUMP_MEMORY.limitMiB}Mi` } });
  });

  it("runs the database's own image and script, and reaches it over its Service", () => {
    expect(container.image).toBe('mysql:8.4');
    expect(container.command).toEqual(['bash', '-c', DUMP_SCRIPT]);
    expect(container.env).toEqual([
      { name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'mysql-env', key: 'MYSQL_ROOT_PASSWORD' } } },
      { name: 'DB_HOST', value: 'mysql' },
      { name: 'KEEP', value: '7' },
    ]);
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'mysql')!;
    expect(svc.metadata.name).toBe('mysql');
    // Its pods are not the database's: the Service's selector must not pick them up.
    const selector = svc.spec.selector as Record<string, string>;
    expect(Object.entries(selector).every(([k, v]) => pod.metadata.labels[k] === v)).toBe(false);
    expect(pod.metadata.labels['hobbykube.dev/dump-of']).toBe('mysql');
  });

  it('takes the schedule and the number kept from the spec', () => {
    const spec = fullSpec();
    db(spec).backup = { schedule: '15 1 * * 1-5', keep: 3 };
    const custom = cronJob(renderObjects(spec));
    expect(custom.spec.schedule).toBe('15 1 * * 1-5');
    expect(custom.spec.jobTemplate.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'KEEP').value).toBe('3');
  });

  it('the script never puts the password on a command line', () => {
    expect(DUMP_SCRIPT).toContain('--defaults-extra-file=<(client_options)');
    expect(DUMP_SCRIPT).not.toMatch(/-p\s*"?\$MYSQL_ROOT_PASSWORD|--password=/);
    expect(DUMP_SCRIPT).toContain('--single-transaction');
    expect(DUMP_SCRIPT).toContain('--skip-dump-date');
  });
});

describe('the capacity check counts the dump pod on its node', () => {
  const source = loadSpec(join(import.meta.dirname, '../../examples/source-cluster.yaml'));
  const facts = new Map(['cp1', 'w1', 'w2'].map((n) => [n, { memory: { totalMiB: n === 'cp1' ? 970 : 470 } } as NodeFacts]));

  it("the source document's cluster still fits, the dump pod on w1 (the database is on w2)", () => {
    expect(dumpPods(source)).toEqual([{ name: 'mysql-dump', database: 'mysql', node: 'w1', memoryMiB: 32, limitMiB: 64 }]);
    const report = checkCapacity(capacityInput(source, facts));
    expect(report.problems).toEqual([]);
    const w1 = report.rows.find((r) => r.name === 'w1')!;
    expect(w1.pods.find((p) => p.name === 'mysql-dump')).toMatchObject({ memoryMiB: 32, limitMiB: 64, role: 'add-on' });
    expect(formatCapacity(report).join('\n')).toContain('mysql-dump 32/64');
  });

  it('a dump node without room is a problem naming the dump', () => {
    const spec = specOf({
      apiVersion: 'hobbykube.dev/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'tight' },
      spec: {
        nodes: NODES,
        dns: { upstream: ['1.1.1.1'] },
        workloads: [
          { kind: 'database', name: 'mysql', node: 'w1', memory: '256Mi' },
          { kind: 'database', name: 'big', node: 'w2', memory: '190Mi', memoryRequest: '190Mi' },
        ],
      },
    });
    const tight = new Map(['cp1', 'w1', 'w2'].map((n) => [n, { memory: { totalMiB: n === 'cp1' ? 970 : 470 } } as NodeFacts]));
    const report = checkCapacity(capacityInput(spec, tight));
    // The database is placed first: the batch pod is the one without room.
    expect(report.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^mysql-dump \(the scheduled dump of mysql\) needs 32 MiB on w2, which has 8 MiB free: 24 MiB missing\.$/)]);
  });
});

describe('status: is the last dump recent enough?', () => {
  const at = (s: string) => Date.parse(s);
  it('daily: fine for two days, overdue once two scheduled runs (and an hour) passed without a success', () => {
    const last = at('2026-11-27T03:00:20Z');
    expect(dumpFreshness('0 3 * * *', last, undefined, at('2026-11-27T09:00:20Z'))).toEqual({ lastSuccess: last, overdue: false, text: 'last dump 6h 0m ago (2026-11-27T03:00:20Z)' });
    expect(dumpFreshness('0 3 * * *', last, undefined, at('2026-11-29T03:59:00Z')).overdue).toBe(false);
    const late = dumpFreshness('0 3 * * *', last, undefined, at('2026-11-29T04:01:00Z'));
    expect(late.overdue).toBe(true);
    expect(late.text).toBe('last dump 2d 1h ago (2026-11-27T03:00:20Z): older than twice its schedule (0 3 * * * UTC); the dumps are failing or not running');
  });

  it('a weekday schedule is not overdue over the weekend', () => {
    const friday = at('2026-11-27T03:00:10Z');
    expect(dumpFreshness('0 3 * * 1-5', friday, undefined, at('2026-11-30T02:00:00Z')).overdue).toBe(false);
    expect(dumpFreshness('0 3 * * 1-5', friday, undefined, at('2026-12-01T04:30:00Z')).overdue).toBe(true);
  });

  it('never dumped: fine until two runs after it was set up, then overdue', () => {
    const created = at('2026-11-28T10:00:00Z');
    expect(dumpFreshness('0 3 * * *', undefined, created, at('2026-11-28T10:05:00Z'))).toEqual({ overdue: false, text: 'no dump yet; the first at 2026-11-29T03:00:00Z' });
    const never = dumpFreshness('0 3 * * *', undefined, created, at('2026-11-30T05:00:00Z'));
    expect(never).toEqual({ overdue: true, text: 'no successful dump in the 1d 19h since it was set up (schedule 0 3 * * * UTC); the dumps are failing or not running' });
  });
});
