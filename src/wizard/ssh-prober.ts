// The real Prober: connect to the node over SSH (the host key is shown through the front end's
// Asker and pinned in the cluster's known_hosts), gather its facts, close the connection. Only the
// command layer imports this; the flow and the screens get a Prober injected.
import { gatherFacts } from '../facts/gather.js';
import type { Prober } from './probe.js';

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
