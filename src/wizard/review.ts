// What the review shows and what its choices do: the spec summary, the capacity table (slot), the
// plan per node, and saving (spec through saveSpec, secret values through setSecret only).
import { clusterAddressing, describeAddressing } from '../install/addresses.js';
import { buildInstallPlan, DISPLAY_KEYS } from '../install/plan.js';
import { clusterFirewall, describeFirewall } from '../install/firewall.js';
import { formatPlan } from '../install/print.js';
import type { NodeFacts } from '../facts/types.js';
import { saveSpec } from '../spec/file.js';
import { formatProblem } from '../spec/problems.js';
import type { ClusterSpec } from '../spec/types.js';
import { clusterPaths, ensureClusterDir } from '../state/paths.js';
import { setSecret } from '../state/secrets.js';
import { buildSpec, type Answers } from './answers.js';
import { capacityLines } from './capacity.js';
import { KIND_LABEL } from './model.js';

export interface ReviewText {
  spec?: ClusterSpec;
  /** Problems that keep the spec from being saved, as the spec file would word them. */
  problems: string[];
  summary: string[];
  capacity: string[];
  /** Which address each node uses for what (NAT'd public addresses, the API endpoint, the kubeconfig). */
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
  if (s.workloads.length === 0) lines.push('  Workloads: none yet');
  for (const w of s.workloads) {
    const parts: string[] = [w.image, w.memory];
    if (w.kind === 'database') parts.push(`${w.storage} on ${w.node}`);
    if (w.kind === 'app') parts.push(`port ${w.port}`, w.domain ? `https://${w.domain}` : 'no domain', `${w.replicas}x`);
    if (w.kind === 'worker') parts.push(`${w.replicas}x`);
    if (w.kind === 'cron') parts.push(`"${w.schedule}"`);
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
    // Which address is used for what, then what each node keeps open to whom (the host firewall).
    addresses = [...describeAddressing(clusterAddressing(spec, facts)), 'Open ports (host firewall):', ...describeFirewall(clusterFirewall(spec, facts)).map((l) => `  ${l}`)];
  } catch (error) {
    addresses = [`the addresses could not be worked out: ${error instanceof Error ? error.message : String(error)}`];
  }
  return { spec, problems: [], summary: specSummary(spec), capacity, addresses, plan };
}

/** Secret values go to secrets.yaml (0600) and nowhere else. */
export function storeSecrets(answers: Answers, workload: string, values: Record<string, string>, env: NodeJS.ProcessEnv = process.env): void {
  if (Object.keys(values).length === 0) return;
  const paths = clusterPaths(answers.cluster.name, env);
  ensureClusterDir(paths);
  for (const [name, value] of Object.entries(values)) setSecret(paths, workload, name, value);
}

/** Writes the spec file (the only way: saveSpec). Throws when the answers do not make a valid spec. */
export function writeSpec(answers: Answers, specPath: string): ClusterSpec {
  const built = buildSpec(answers);
  if (!built.spec) throw new Error(`the answers do not make a valid spec yet:\n  ${built.problems.map((p) => formatProblem(p)).join('\n  ')}`);
  saveSpec(specPath, built.spec);
  return built.spec;
}
