// Judging a node the moment it is added: its answers as a NodeSpec, the preflight verdict for its
// role, and the lines and status word the front ends show. Pure: the checking itself goes through
// a Prober the command layer injects (ssh-prober.ts over SSH, a fake in tests).
import type { Asker } from '../ssh/types.js';
import { preflight, formatFacts, formatVerdict, type Verdict } from '../facts/preflight.js';
import type { NodeFacts } from '../facts/types.js';
import type { NodeSpec } from '../spec/types.js';
import type { NodeAnswers } from './answers.js';

/** Connects to one node (asking through `asker`, pinning in `knownHostsPath`) and returns its facts. */
export type Prober = (node: NodeSpec, asker: Asker, knownHostsPath: string) => Promise<NodeFacts>;

/** A node's answers as the spec's NodeSpec (for connecting and preflight, before the whole spec is valid). */
export function nodeSpecOf(n: NodeAnswers): NodeSpec {
  const port = /^\d+$/.test(n.port) ? Number(n.port) : undefined; // only a typed port; text is the form's to refuse
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

export function judge(node: NodeAnswers, facts: NodeFacts): Verdict {
  return preflight(nodeSpecOf(node), facts);
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
  // formatFacts starts every line with the node's name or as many spaces, and two more: the list beside shows the name.
  return [...formatFacts(probe.facts, node.name).map((l) => l.slice(node.name.length + 2)), ...formatVerdict(probe.verdict)];
}

/** One word or two for a node's line in a list, and the tone to draw it in. */
export function probeStatus(probe: ProbeState | undefined): { text: string; tone: 'ok' | 'warn' | 'fail' | 'dim' } {
  if (!probe) return { text: 'not checked', tone: 'dim' };
  if (probe.status === 'connecting') return { text: 'connecting…', tone: 'dim' };
  if (probe.status === 'error') return { text: 'unreachable', tone: 'fail' };
  if (!probe.verdict.ok) return { text: 'fail', tone: 'fail' };
  return probe.verdict.findings.some((f) => f.level === 'warn') ? { text: 'ok, warnings', tone: 'warn' } : { text: 'ok', tone: 'ok' };
}

