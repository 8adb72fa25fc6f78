// The host firewall in the flows (src/install/firewall.ts decides, render/firewall.ts writes the
// rules). Every node's allowed-peer set is the cluster's nodes, so the flows that change the
// membership read the nodes they do not otherwise touch:
//   - add-worker: the other workers are read (one read-only fact probe: their addresses) and get
//     one step, their firewall letting the new worker in; their own preflight findings do not
//     stop the join, an unreachable one does (its firewall could not be updated);
//   - remove-worker: the remaining nodes are read first, and after the reset their firewalls stop
//     letting the removed worker in (src/install/reset.ts).
// And before the plan, each node's open ports are shown (the same lines as `plan` and the review).
import { clusterFirewall, describeFirewall } from '../install/firewall.js';
import { factsByNode, surveyNodes as survey } from '../install/survey.js';
import { CommandError } from '../exit.js';
import { makeStyle } from '../text/style.js';
import type { ApplyState } from './apply-state.js';
import type { FlowState } from './flow.js';
import { need, type Phase } from './phase.js';
import type { RemoveWorkerState } from './remove-worker.js';
import { formatSurveys } from './survey.js';

/** The spec's nodes this flow does not otherwise concern (add-worker: the other workers). */
export const otherNodes = (state: Pick<FlowState, 'spec' | 'nodes'>): FlowState['nodes'] => state.spec.spec.nodes.filter((n) => !state.nodes.includes(n));

export const readOtherNodes: Phase<ApplyState> = {
  title: 'read the other nodes for the firewall',
  shouldRun: (state) => otherNodes(state).length > 0,
  async run(state) {
    const session = need(state.session, 'a session', this.title);
    const facts = need(state.facts, "the nodes' facts", this.title);
    const others = otherNodes(state);
    const { out, style } = state.operator;
    const names = others.map((n) => n.name).join(', ');
    out.write(`Reading ${names} for the firewall (read only: ${others.length === 1 ? 'its' : 'their'} addresses)...\n`);
    const surveys = await survey(others, session, state.spec.spec.network);
    out.write(`${formatSurveys(surveys, style).join('\n')}\n\n`);
    state.log?.line(formatSurveys(surveys, makeStyle(false)).join('\n'));
    const unreachable = surveys.filter((s) => s.error).map((s) => s.node.name);
    if (unreachable.length > 0) {
      throw new CommandError(
        `${unreachable.join(', ')} cannot be reached, so ${unreachable.length === 1 ? 'its' : 'their'} firewall could not let the new node in (see above). Nothing was changed.`,
      );
    }
    for (const [name, f] of factsByNode(surveys)) facts.set(name, f);
  },
};

export const showOpenPorts: Phase<FlowState> = {
  title: 'show the open ports',
  run(state) {
    const facts = need(state.facts, "the nodes' facts", this.title);
    const lines = describeFirewall(clusterFirewall(state.spec, facts)).map((l) => `  ${l}`);
    state.operator.out.write(`Open ports (host firewall):\n${lines.join('\n')}\n\n`);
    state.log?.line(`Open ports (host firewall):\n${lines.join('\n')}`);
  },
};

export const readRemainingNodes: Phase<RemoveWorkerState> = {
  title: 'read the remaining nodes for the firewall',
  async run(state) {
    const session = need(state.session, 'a session', this.title);
    const { operator, next } = state;
    const removed = state.nodes.map((n) => n.name).join(', ');
    const surveys = await survey(next.spec.nodes, session, next.spec.network);
    const unreachable = surveys.filter((s) => s.error);
    if (unreachable.length > 0) {
      for (const s of unreachable) operator.err.write(`${operator.style.red('unreachable:')} ${s.node.name}: ${s.error}\n`);
      throw new CommandError(
        `${unreachable.map((s) => s.node.name).join(', ')} cannot be reached, so ${unreachable.length === 1 ? 'its' : 'their'} firewall could not stop letting ${removed} in. Nothing was changed.`,
      );
    }
    state.remaining = { spec: next, facts: factsByNode(surveys) };
  },
};
