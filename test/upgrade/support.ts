// Shared by the upgrade tests on sshd test hosts: the source document's cluster (or a plain one)
// installed at 1.36, and the doubles' recordings read as a timeline of what the upgrade did.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Recording, TestBed } from '../hosts/harness.js';
import { writeBedSpec, type BedSpec } from '../install/support.js';

export const SLACK = 'xoxb-UPGRADE-test-distinctive-5678';

/** The source document's three nodes: a 970 MiB control plane and two 470 MiB workers (swap made by the small-node profile). */
export const SOURCE_HOSTS = [
  { name: 'cp1', os: 'debian-12' as const, memTotalMb: 970, memAvailableMb: 880, cpus: 2 },
  { name: 'w1', os: 'debian-12' as const, memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
  { name: 'w2', os: 'debian-12' as const, memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
];
export const KC = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';

/** What the upgrade says beforehand of each drain on the source document's cluster (examples/source-cluster.yaml). */
export const SOURCE_DRAIN_LINES = [
  'While each worker is upgraded (drained, then back: about 3 minutes each, an estimate), one at a time:',
  '  w1:',
  '    - down: traefik (the ingress) runs only on w1: blog.example.com is unreachable',
  "    - down: mysql-dump (the scheduled dump of mysql): it writes to w1's disk, so a run due meanwhile waits until w1 is back",
  '    - down: cron job renew: no room on the other nodes, so a run due meanwhile waits until w1 is back',
  '  w2:',
  "    - down: database mysql: its data is on w2's disk, so it stops until w2 is back",
];

/** The bed's spec at `version` with the source document's ingress and workloads (or one small worker). */
export function writeUpgradeSpec(bed: TestBed, options: { version?: string; source?: boolean } = {}): BedSpec {
  const spec = writeBedSpec(bed, { acceptUndersized: true, cluster: 'source' });
  const doc = parse(readFileSync(spec.specPath, 'utf8'));
  doc.spec.kubernetesVersion = options.version ?? '1.36';
  if (options.source !== false) {
    const example = parse(readFileSync(join(import.meta.dirname, '../../examples/source-cluster.yaml'), 'utf8'));
    doc.spec.ingress = example.spec.ingress;
    doc.spec.workloads = example.spec.workloads;
  } else {
    doc.spec.workloads = [{ kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', memory: '64Mi' }];
  }
  writeFileSync(spec.specPath, stringify(doc));
  return { ...spec, env: { ...spec.env, HOBBYKUBE_SECRET_CHATBOT_SLACK_TOKEN: SLACK } };
}

export const specVersion = (spec: BedSpec): string => String(parse(readFileSync(spec.specPath, 'utf8')).spec.kubernetesVersion);

export interface Event {
  time: number;
  host: string;
  what: string;
}

/** What the upgrade did that changes a node, across every host, in time order. */
export function upgradeTimeline(bed: TestBed, since = 0): Event[] {
  const events: Event[] = [];
  const say = (r: Recording, what: string) => events.push({ time: r.time, host: r.host, what });
  for (const h of bed.hosts) {
    for (const r of h.recordings()) {
      if (r.time < since) continue;
      const a = r.argv;
      const line = a.join(' ');
      if (a[0] === 'kubeadm' && a[1] === 'upgrade' && (a[2] === 'apply' || a[2] === 'node')) say(r, `${h.name} kubeadm upgrade ${a[2]}`);
      else if (a[0] === 'kubectl' && (a.includes('drain') || a.includes('uncordon') || a.includes('cordon'))) {
        const verb = a.find((x) => x === 'drain' || x === 'uncordon' || x === 'cordon')!;
        say(r, `${verb} ${a[a.indexOf(verb) + 1]}`);
      } else if (a[0] === 'systemctl' && a[1] === 'restart' && a.includes('kubelet')) say(r, `${h.name} restart kubelet`);
      else if (a[0] === 'apt-get' && line.includes('install') && /\bkubeadm\b/.test(line)) say(r, `${h.name} install kubeadm`);
    }
  }
  return events.sort((a, b) => a.time - b.time);
}

/** Nodes drained while another drained node had not been uncordoned yet (empty: one at a time). */
export function overlappingDrains(events: readonly Event[]): string[] {
  const out: string[] = [];
  let cordoned: string | undefined;
  for (const e of events) {
    const [verb, node] = e.what.split(' ');
    if (verb === 'drain') {
      if (cordoned !== undefined && cordoned !== node) out.push(`${node} drained while ${cordoned} was cordoned`);
      cordoned = node;
    } else if (verb === 'uncordon' && node === cordoned) cordoned = undefined;
  }
  return out;
}

/**
 * Uncordons of a worker that its upgrade had not finished: since the worker's last drain, both
 * `kubeadm upgrade node` and a kubelet restart must have happened on it (empty: never).
 */
export function unfinishedUncordons(events: readonly Event[]): string[] {
  const out: string[] = [];
  const since = new Map<string, Set<string>>();
  for (const e of events) {
    const [verb, node] = e.what.split(' ');
    if (verb === 'drain') since.set(node!, new Set());
    else if (verb === 'uncordon') {
      const seen = since.get(node!);
      if (seen && !(seen.has('kubeadm upgrade node') && seen.has('restart kubelet'))) out.push(`uncordon ${node} after only: ${[...seen].join(', ') || 'nothing'}`);
      since.delete(node!);
    } else {
      const host = e.host;
      const what = e.what.slice(host.length + 1);
      since.get(host)?.add(what);
    }
  }
  return out;
}
