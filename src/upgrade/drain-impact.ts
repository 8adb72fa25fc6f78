// What draining each worker does to the workloads, said before anything runs: the capacity check
// (src/workloads/capacity.ts) with that worker taken out, the pods keeping the requests they run
// with. A pod with room on another node moves there; one without stays Pending until the worker
// is back. A database is pinned to its node's disk and Traefik to the ingress node: they are
// simply down while that node is upgraded. No surge pods are counted (a drain evicts, it does not
// roll out).
import type { NodeFacts } from '../facts/types.js';
import type { ClusterSpec } from '../spec/types.js';
import { capacityInput, checkCapacity, memoryForRender } from '../workloads/index.js';

/**
 * How long a worker is out, from drain to uncordon, plus its pods starting again: kubeadm upgrade
 * node (seconds), the kubelet and kubectl packages (~30 MB from pkgs.k8s.io), the kubelet's
 * restart and Ready, then the pods' start (images are already on the node). An estimate, not a
 * measurement on a real VPS: on the test bed a worker is out for a few seconds (docs/UPGRADES.md).
 */
export const DRAIN_ESTIMATE_MINUTES = 3;

export interface DrainEffect {
  workload: string;
  /** Why it is affected, in a sentence. */
  what: string;
}

export interface DrainImpact {
  node: string;
  /** Workloads with nothing running while the node is out. */
  down: DrainEffect[];
  /** Workloads that keep running with fewer replicas. */
  fewer: DrainEffect[];
  /** The other nodes would hold every pod's request, but not every pod at its limit. */
  tight: string[];
}

const KIND_WORDS = { worker: 'worker', database: 'database', app: 'app', cron: 'cron job' } as const;

export function drainImpacts(spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>): DrainImpact[] {
  const all = capacityInput(spec, facts);
  const memory = memoryForRender(spec, facts);
  const domains = spec.spec.workloads.flatMap((w) => (w.kind === 'app' && w.domain ? [w.domain] : []));
  const impacts: DrainImpact[] = [];
  for (const node of spec.spec.nodes.filter((n) => n.role === 'worker')) {
    const report = checkCapacity({ ...all, nodes: all.nodes.filter((n) => n.name !== node.name), memory });
    const impact: DrainImpact = { node: node.name, down: [], fewer: [], tight: [] };
    const missing = new Map<string, number>();
    for (const p of report.problems) {
      if (p.kind === 'no-surge-room') continue;
      if (p.kind === 'over-limits') {
        impact.tight.push(`${p.node}: its pods' limits would exceed its RAM + swap by ${p.missingMiB} MiB while ${node.name} is out (they run; under full load one may be evicted)`);
        continue;
      }
      missing.set(p.workload, (missing.get(p.workload) ?? 0) + 1);
    }
    for (const [name, count] of missing) {
      const w = spec.spec.workloads.find((x) => x.name === name);
      if (!w) {
        // An add-on: a database's scheduled dump (pinned to its dump node's disk), or Traefik (pinned to the ingress node).
        const addon = all.addons?.find((a) => a.name === name);
        if (addon?.batch) {
          impact.down.push({ workload: name, what: `${addon.what}: it writes to ${node.name}'s disk, so a run due meanwhile waits until ${node.name} is back` });
          continue;
        }
        impact.down.push({
          workload: name,
          what: `${name} (the ingress) runs only on ${node.name}: ${domains.length > 0 ? domains.join(', ') : 'the apps\' domains'} ${domains.length === 1 ? 'is' : 'are'} unreachable`,
        });
        continue;
      }
      if (w.kind === 'database') {
        impact.down.push({ workload: name, what: `database ${name}: its data is on ${node.name}'s disk, so it stops until ${node.name} is back` });
        continue;
      }
      const replicas = w.kind === 'cron' ? 1 : w.replicas;
      const kind = KIND_WORDS[w.kind];
      if (count >= replicas) {
        impact.down.push({ workload: name, what: `${kind} ${name}: no room on the other nodes, so ${w.kind === 'cron' ? 'a run due meanwhile waits' : 'it is down'} until ${node.name} is back` });
      } else {
        impact.fewer.push({ workload: name, what: `${kind} ${name}: ${replicas - count} of ${replicas} replicas find room elsewhere` });
      }
    }
    impacts.push(impact);
  }
  return impacts;
}

/** The plan's lines about the drains; empty when the spec has no workloads. */
export function formatDrainImpacts(spec: ClusterSpec, impacts: readonly DrainImpact[]): string[] {
  if (spec.spec.workloads.length === 0 && !spec.spec.ingress) return [];
  const lines = [`While each worker is upgraded (drained, then back: about ${DRAIN_ESTIMATE_MINUTES} minutes each, an estimate), one at a time:`];
  for (const i of impacts) {
    if (i.down.length === 0 && i.fewer.length === 0) lines.push(`  ${i.node}: its pods move to the other nodes; nothing is down.`);
    else {
      lines.push(`  ${i.node}:`);
      for (const d of i.down) lines.push(`    - down: ${d.what}`);
      for (const f of i.fewer) lines.push(`    - fewer replicas: ${f.what}`);
    }
    for (const t of i.tight) lines.push(`    - note: ${t}`);
  }
  return lines;
}

/** Workloads that will be down during some drain (for the question and the `--yes` printout). */
export function downtime(impacts: readonly DrainImpact[]): string[] {
  return impacts.flatMap((i) => i.down.map((d) => `${d.workload} while ${i.node} is upgraded`));
}
