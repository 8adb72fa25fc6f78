// What the review shows: the spec summary, the capacity table, the addresses, and the plan per
// node, as lines both front ends print. Pure (saving is files.ts's).
import { clusterAddressing, describeAddressing } from '../facts/addressing.js';
import { buildInstallPlan, DISPLAY_KEYS } from '../install/plan.js';
import { clusterFirewall, describeFirewall } from '../install/firewall.js';
import { formatPlan } from '../install/print.js';
import type { NodeFacts } from '../facts/types.js';
import { formatProblem } from '../spec/problems.js';
import type { ClusterSpec } from '../spec/types.js';
import type { Answers } from './answers.js';
import { buildSpec } from './spec-answers.js';
import { capacityLines } from './capacity.js';
import { KIND_LABEL } from './model.js';

export interface ReviewText {
  spec?: ClusterSpec;
  /** Problems that keep the spec from being saved, as the spec file would word them. */
  problems: string[];
  summary: string[];
  capacity: string[];
  /** Which address each node uses for what (NAT'd public addresses, the API endpoint, the kubeconfig), then each node's open ports. */
  addresses: string[];
  plan: string[];
}

export function specSummary(spec: ClusterSpec): string[] {
  const s = spec.spec;
  const lines = [`Cluster ${spec.metadata.name}, Kubernetes ${s.kubernetesVersion}`];
  for (const n of s.nodes) {
    const ssh = `${n.ssh.user ?? 'root'}@${n.address}${n.ssh.port && n.ssh.port !== 22 ? `:${n.ssh.port}` : ''}`;
    const extra = [n.role === 'control-plane' ? (n.schedulable ? 'runs workloads' : 'no workloads') : '', n.acceptUndersized ? 'accepted undersized' : ''].filter(Boolean);
    lines.push(`  node ${n.name.padEnd(8)} ${n.role.padEnd(13)} ${ssh}${extra.length ? `  (${extra.join(', ')})` : ''}`);
  }
  lines.push(`  DNS upstream: ${s.dns.upstream.join(', ')}`);
  lines.push(s.ingress ? `  Web traffic: node ${s.ingress.node}, Let's Encrypt ${s.ingress.acme}, ${s.ingress.email}` : '  Web traffic: none (no reverse proxy)');
  for (const r of s.registries ?? []) lines.push(`  Registry ${r.name}: ${r.server}, login ${r.username} (token in secrets.yaml)`);
  if (s.workloads.length === 0) lines.push('  Workloads: none yet');
  for (const w of s.workloads) {
    const parts: string[] = [w.image, w.memory];
    if (w.kind === 'database') parts.push(`${w.storage} on ${w.node}`);
    if (w.kind === 'app') parts.push(`port ${w.port}`, w.domain ? `https://${w.domain}` : 'no domain', `${w.replicas}x`);
    if (w.kind === 'worker') parts.push(`${w.replicas}x`);
    if (w.kind === 'cron') parts.push(`"${w.schedule}"`);
    if (w.kind !== 'database' && w.database !== undefined) parts.push(`database ${w.database}`);
    if (w.kind !== 'database' && w.secretEnv.length > 0) parts.push(`secrets: ${w.secretEnv.join(', ')}`);
    lines.push(`  ${KIND_LABEL[w.kind].padEnd(10)} ${w.name.padEnd(10)} ${parts.join(', ')}`);
  }
  return lines;
}

export function review(answers: Answers, facts: ReadonlyMap<string, NodeFacts>): ReviewText {
  const built = buildSpec(answers);
  if (!built.spec) {
    return { problems: built.problems.map((p) => formatProblem(p)), summary: [], capacity: [], addresses: [], plan: [] };
  }
  const spec = built.spec;
  const capacity = capacityLines(spec, facts);
  let plan: string[];
  try {
    const steps = buildInstallPlan({ spec, facts, encryptionKeys: DISPLAY_KEYS });
    const text = formatPlan(steps, undefined, (name) => {
      const n = spec.spec.nodes.find((x) => x.name === name)!;
      return `${n.name} (${n.address}, ${n.role})`;
    });
    plan = [...text.lines.filter((l, i, all) => !(l === '' && i === all.length - 1)), `${text.toRun} steps; each checks first whether it is already done.`];
  } catch (error) {
    plan = [`the plan could not be built: ${error instanceof Error ? error.message : String(error)}`];
  }
  let addresses: string[];
  try {
    addresses = [...describeAddressing(clusterAddressing(spec, facts)), 'Open ports (host firewall):', ...describeFirewall(clusterFirewall(spec, facts)).map((l) => `  ${l}`)];
  } catch (error) {
    addresses = [`the addresses could not be worked out: ${error instanceof Error ? error.message : String(error)}`];
  }
  return { spec, problems: [], summary: specSummary(spec), capacity, addresses, plan };
}

/** The review of valid answers as lines, section by section (the same in both front ends). */
export function reviewLines(text: ReviewText): string[] {
  const indent = (lines: readonly string[]) => lines.map((l) => `  ${l}`);
  return [
    'Spec',
    ...text.summary,
    '',
    'Capacity',
    ...indent(text.capacity),
    '',
    'Addresses',
    ...indent(text.addresses),
    '',
    'Plan (per node; every step checks first whether it is already done)',
    ...indent(text.plan),
  ];
}
