// Checking a node the moment it is added: connect over SSH (the host key is shown to the person
// through the front end's Asker and pinned in the cluster's known_hosts), gather its facts, and
// judge them against its role. The front ends only show the result.
import type { Asker } from '../ssh/types.js';
import { gatherFacts } from '../facts/gather.js';
import { preflight, formatFacts, formatVerdict, type Verdict } from '../facts/preflight.js';
import type { NodeFacts } from '../facts/types.js';
import type { NetworkSpec, NodeSpec } from '../spec/types.js';
import type { NodeAnswers } from './answers.js';

/** Connects to one node and returns its facts; the connection is closed again. */
export type Prober = (node: NodeSpec, asker: Asker, knownHostsPath: string) => Promise<NodeFacts>;

export const sshProber: Prober = async (node, asker, knownHostsPath) => {
  // Loaded on first use: ssh2 is the heaviest import, and the first frame should not wait for it.
  const { connect } = await import('../ssh/connection.js');
  const host = await connect(node, { knownHostsPath, asker });
  try {
    return await gatherFacts(host);
  } finally {
    await host.close();
  }
};

/** A node's answers as the spec's NodeSpec (for connecting and preflight, before the whole spec is valid). */
export function nodeSpecOf(n: NodeAnswers): NodeSpec {
  const port = /^\d+$/.test(n.port) ? Number(n.port) : undefined;
  return {
    name: n.name,
    address: n.address,
    role: n.role,
    schedulable: n.role === 'control-plane' && n.schedulable === 'yes',
    ssh: { ...(n.user !== '' ? { user: n.user } : {}), ...(port !== undefined ? { port } : {}), ...(n.keyPath !== '' ? { keyPath: n.keyPath } : {}) },
    acceptUndersized: n.acceptUndersized,
  };
}

export type ProbeState =
  | { status: 'connecting'; address: string }
  | { status: 'ok'; address: string; facts: NodeFacts; verdict: Verdict }
  | { status: 'error'; address: string; error: string };

/** `network`: spec.network as loaded from hobbykube.yaml (the forms do not ask it; absent: WireGuard). */
export function judge(node: NodeAnswers, facts: NodeFacts, network?: NetworkSpec): Verdict {
  return preflight(nodeSpecOf(node), facts, network);
}

/** The small-node override applies: a control plane below kubeadm's minimum, not yet accepted. */
export function canAcceptUndersized(node: NodeAnswers, verdict: Verdict | undefined): boolean {
  return !!verdict && node.role === 'control-plane' && verdict.findings.some((f) => f.code === 'undersized');
}

/** Lines shown beside a node: its facts and the preflight verdict (warnings and failures). */
export function probeLines(node: NodeAnswers, probe: ProbeState | undefined): string[] {
  if (!probe) return ['not checked yet'];
  if (probe.status === 'connecting') return [`connecting to ${probe.address} ...`];
  if (probe.status === 'error') return [`fail  ${probe.error}`];
  return [...formatFacts(probe.facts, node.name).map((l) => l.replace(/^\S+\s+/, '')), ...formatVerdict(probe.verdict)];
}

export function errorText(node: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith(`${node}: `) ? message.slice(node.length + 2) : message;
}
