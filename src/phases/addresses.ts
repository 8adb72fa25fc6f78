// Which address each node uses for what (src/facts/addressing.ts), shown before the plan: direct,
// NAT'd (private advertised, public for SANs and flannel), or a host name.
import { clusterAddressing, describeAddressing } from '../facts/addressing.js';
import type { FlowState } from './flow.js';
import { need, type Phase } from './phase.js';

export const showAddresses: Phase<FlowState> = {
  title: 'show the addresses',
  run(state) {
    const facts = need(state.facts, "the nodes' facts", this.title);
    const lines = describeAddressing(clusterAddressing(state.spec, facts, state.nodes)).map((l) => `  ${l}`);
    state.operator.out.write(`Addresses:\n${lines.join('\n')}\n\n`);
    state.log?.line(`Addresses:\n${lines.join('\n')}`);
  },
};
