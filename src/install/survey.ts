// Before anything changes: connect to each node, gather its facts, judge them against its role.
import { gatherFacts } from '../facts/gather.js';
import { preflight, type Verdict } from '../facts/preflight.js';
import type { NodeFacts } from '../facts/types.js';
import type { NetworkSpec, NodeSpec } from '../spec/types.js';
import { nodeErrorText, type HostSource } from '../ssh/types.js';

export interface NodeSurvey {
  node: NodeSpec;
  facts?: NodeFacts;
  verdict?: Verdict;
  /** Why the node could not be surveyed (unreachable, key rejected, sudo refused ...). */
  error?: string;
}

/** `network`: the spec's (required, so that no caller forgets it), for the pod network's checks (WireGuard module, private network). */
export async function surveyNodes(nodes: readonly NodeSpec[], hosts: HostSource, network: NetworkSpec | undefined): Promise<NodeSurvey[]> {
  return Promise.all(
    nodes.map(async (node): Promise<NodeSurvey> => {
      try {
        const host = await hosts.host(node.name);
        const facts = await gatherFacts(host);
        return { node, facts, verdict: preflight(node, facts, network) };
      } catch (error) {
        return { node, error: nodeErrorText(node.name, error) };
      }
    }),
  );
}

export function factsByNode(surveys: readonly NodeSurvey[]): Map<string, NodeFacts> {
  const map = new Map<string, NodeFacts>();
  for (const s of surveys) if (s.facts) map.set(s.node.name, s.facts);
  return map;
}

/** Every node reached and none failed preflight. */
export function surveyOk(surveys: readonly NodeSurvey[]): boolean {
  return surveys.every((s) => !s.error && s.verdict?.ok);
}
