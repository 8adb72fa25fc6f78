// The host firewall for real: the ruleset hobbykube renders is loaded with the real nft into a
// network namespace of the test's own ("node"), and real TCP and UDP connections from another
// node, a NAT'd node and an outsider show which ports answer. Nothing here touches the machine's
// own network: every address lives only inside the namespaces (test/support/netns.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterFirewall } from '../../src/install/firewall.js';
import { FIREWALL_CLEANUP, FIREWALL_FAMILY, FIREWALL_TABLE, renderRuleset } from '../../src/install/render/firewall.js';
import { script } from '../../src/install/render/script.js';
import type { NodeFacts } from '../../src/facts/types.js';
import type { ClusterSpec, NetworkSpec, NodeSpec } from '../../src/spec/types.js';
import { healthyFacts } from '../facts/helpers.js';
import { createLab, LAB, type Lab } from '../support/netns.js';
import { netnsMissing, requires } from '../support/requires.js';

const node = (name: string, address: string, role: NodeSpec['role'] = 'worker'): NodeSpec => ({ name, address, role, schedulable: false, ssh: { user: 'root' }, acceptUndersized: false });

/** cp1 (the namespace under test), w1 (peer, direct) and w2 (NAT'd: private 192.168.77.2, public 10.77.0.4). */
function cluster(options: { withW1?: boolean; network?: NetworkSpec } = {}): ClusterSpec {
  const nodes = [node('cp1', LAB.node, 'control-plane'), ...(options.withW1 === false ? [] : [node('w1', LAB.peer)]), node('w2', LAB.natPublic)];
  return {
    apiVersion: 'hobbykube.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'lab' },
    spec: { kubernetesVersion: '1.37', nodes, dns: { upstream: ['1.1.1.1'] }, ...(options.network ? { network: options.network } : {}), workloads: [] },
  };
}

const iface = (address: string) => ({ source: 'ip' as const, interfaces: [{ device: 'eth0', address, prefix: 24, family: 4 as const }], defaultDevice: 'eth0' });
/** Facts as the survey reads them: cp1's sshd also listens on 30022, inside the NodePort range. */
const FACTS = new Map<string, NodeFacts>([
  ['cp1', healthyFacts({ addresses: iface(LAB.node), ssh: { clientAddress: '192.0.2.99', serverPort: 22, listeningPorts: [22, 30022] } })],
  ['w1', healthyFacts({ addresses: iface(LAB.peer) })],
  ['w2', healthyFacts({ addresses: iface(LAB.natPrivate) })],
]);

function cpRuleset(spec: ClusterSpec): string {
  const fw = clusterFirewall(spec, FACTS).nodes.find((n) => n.node === 'cp1')!;
  return renderRuleset(fw);
}

const TCP = ['tcp:22', 'tcp:30022', 'tcp:6443', 'tcp:10250', 'tcp:10256', 'tcp:2379', 'tcp:2380', 'tcp:10257', 'tcp:30080', 'tcp:12345', 'tcp:80'];
const UDP = ['udp:51820', 'udp:8472', 'udp:30080'];
const ALL = [...TCP, ...UDP];
const open = (specs: string[]) => Object.fromEntries(specs.map((s) => [s, 'open']));

describe('host firewall in network namespaces (real nft, real connections)', requires(netnsMissing()), () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = createLab();
    await lab.serve(ALL);
  });
  afterAll(() => lab?.destroy());

  const load = (ruleset: string) => lab.exec('node', ['nft', '-f', '-'], ruleset);
  const table = () => lab.run('node', ['nft', 'list', 'table', FIREWALL_FAMILY, FIREWALL_TABLE]);
  /** The reset step's own cleanup, in the node's namespace, with systemd's unit directory private to it. */
  const reset = () =>
    lab.exec('node', ['unshare', '--mount', '--propagation', 'private', '--', 'bash', '-c', 'mount -t tmpfs hk-test /etc/systemd/system && exec bash'], script(FIREWALL_CLEANUP));

  it('without the firewall every port answers everyone: the baseline the other tests compare with', async () => {
    expect(table().code).not.toBe(0);
    expect(await lab.probe('out', LAB.node, ALL)).toEqual(open(ALL));
  });

  it('apply: the nodes (direct and NAT\'d) reach the Kubernetes ports, an outsider only SSH and what Kubernetes does not use', async () => {
    load(cpRuleset(cluster({ network: { privateNetwork: false, apiAllowedFrom: [] } })));
    const [peer, natPeer, outsider, outsider6, self] = await Promise.all([
      lab.probe('peer', LAB.node, ALL),
      lab.probe('natpeer', LAB.node, ['tcp:22', 'tcp:6443', 'tcp:10250', 'udp:51820', 'tcp:30080', 'tcp:2379']),
      lab.probe('out', LAB.node, ALL),
      lab.probe('out', LAB.node6, ['tcp:22', 'tcp:6443', 'tcp:10250', 'udp:51820', 'tcp:30080']),
      lab.probe('node', LAB.node, ['tcp:2379', 'tcp:6443', 'tcp:10257']),
    ]);
    expect(peer).toEqual({
      ...open(ALL),
      // etcd, controller-manager and scheduler: the control plane only (the API server uses 127.0.0.1).
      'tcp:2379': 'blocked',
      'tcp:2380': 'blocked',
      'tcp:10257': 'blocked',
    });
    // w2 sends from 192.168.77.2; its provider's NAT (gw) rewrites that to 10.77.0.4, its spec address.
    expect(natPeer).toEqual({ 'tcp:22': 'open', 'tcp:6443': 'open', 'tcp:10250': 'open', 'udp:51820': 'open', 'tcp:30080': 'open', 'tcp:2379': 'blocked' });
    expect(outsider).toEqual({
      'tcp:22': 'open',
      'tcp:30022': 'open', // sshd listens there too: SSH comes before every drop, NodePort range or not
      'tcp:12345': 'open', // not a Kubernetes port: left as it is
      'tcp:80': 'open', // idem (web traffic is the ingress node's)
      'udp:8472': 'open', // VXLAN's port means nothing with the WireGuard backend
      'tcp:6443': 'blocked',
      'tcp:10250': 'blocked',
      'tcp:10256': 'blocked',
      'tcp:2379': 'blocked',
      'tcp:2380': 'blocked',
      'tcp:10257': 'blocked',
      'tcp:30080': 'blocked',
      'udp:51820': 'blocked',
      'udp:30080': 'blocked',
    });
    expect(outsider6).toEqual({ 'tcp:22': 'open', 'tcp:6443': 'blocked', 'tcp:10250': 'blocked', 'udp:51820': 'blocked', 'tcp:30080': 'blocked' });
    // The node itself (loopback) reaches everything, etcd included.
    expect(self).toEqual(open(['tcp:2379', 'tcp:6443', 'tcp:10257']));
  });

  it('apiAllowedFrom opens the API, and only the API, to the listed IPv4 and IPv6 sources', async () => {
    load(cpRuleset(cluster({ network: { privateNetwork: false, apiAllowedFrom: [LAB.outsider, 'fd77::3/128'] } })));
    const [outsider, outsider6] = await Promise.all([
      lab.probe('out', LAB.node, ['tcp:6443', 'tcp:10250', 'tcp:2379', 'udp:51820']),
      lab.probe('out', LAB.node6, ['tcp:6443', 'tcp:10250']),
    ]);
    expect(outsider).toEqual({ 'tcp:6443': 'open', 'tcp:10250': 'blocked', 'tcp:2379': 'blocked', 'udp:51820': 'blocked' });
    expect(outsider6).toEqual({ 'tcp:6443': 'open', 'tcp:10250': 'blocked' });
  });

  it('with privateNetwork the pod network is VXLAN: UDP 8472 from the nodes only', async () => {
    load(cpRuleset(cluster({ network: { privateNetwork: true } })));
    const [peer, outsider] = await Promise.all([lab.probe('peer', LAB.node, ['udp:8472']), lab.probe('out', LAB.node, ['udp:8472', 'tcp:22'])]);
    expect(peer).toEqual({ 'udp:8472': 'open' });
    expect(outsider).toEqual({ 'udp:8472': 'blocked', 'tcp:22': 'open' });
  });

  it('loading again replaces the table in one step, and the live table lists like the rendered one loaded into a fresh namespace (the probe\'s comparison)', async () => {
    const ruleset = cpRuleset(cluster());
    load(ruleset);
    const first = table().stdout;
    load(ruleset);
    expect(table().stdout).toBe(first);
    const fresh = lab.exec('node', ['unshare', '--net', '--', 'sh', '-c', `nft -f - && nft list table ${FIREWALL_FAMILY} ${FIREWALL_TABLE}`], ruleset);
    expect(fresh).toBe(first);
    // A rule added by hand makes the two differ: the probe would load the file again.
    lab.exec('node', ['nft', 'add', 'rule', FIREWALL_FAMILY, FIREWALL_TABLE, 'prerouting', 'tcp', 'dport', '12345', 'drop']);
    expect(table().stdout).not.toBe(fresh);
    load(ruleset);
    expect(table().stdout).toBe(fresh);
  });

  it('remove-worker: the removed node loses the Kubernetes ports, the others keep them', async () => {
    load(cpRuleset(cluster({ withW1: false })));
    const [removed, natPeer] = await Promise.all([lab.probe('peer', LAB.node, ['tcp:22', 'tcp:10250', 'tcp:6443', 'udp:51820']), lab.probe('natpeer', LAB.node, ['tcp:10250', 'udp:51820'])]);
    expect(removed).toEqual({ 'tcp:22': 'open', 'tcp:10250': 'blocked', 'tcp:6443': 'blocked', 'udp:51820': 'blocked' });
    expect(natPeer).toEqual({ 'tcp:10250': 'open', 'udp:51820': 'open' });
  });

  it('reset removes the table: every port answers as before hobbykube', async () => {
    load(cpRuleset(cluster()));
    expect(table().code).toBe(0);
    reset();
    expect(table().code).not.toBe(0);
    expect(await lab.probe('out', LAB.node, ALL)).toEqual(open(ALL));
    reset(); // a second reset finds nothing to do and does not fail
  });

  it('SSH stays open after apply, reset and remove', async () => {
    const ssh = async () => Promise.all((['peer', 'natpeer', 'out'] as const).map((from) => lab.probe(from, LAB.node, ['tcp:22', 'tcp:30022'])));
    const always = [open(['tcp:22', 'tcp:30022']), open(['tcp:22', 'tcp:30022']), open(['tcp:22', 'tcp:30022'])];
    load(cpRuleset(cluster())); // apply
    expect(await ssh()).toEqual(always);
    reset(); // reset
    expect(await ssh()).toEqual(always);
    load(cpRuleset(cluster())); // apply again, then remove-worker w1
    load(cpRuleset(cluster({ withW1: false })));
    expect(await ssh()).toEqual(always);
    expect(await lab.probe('peer', LAB.node, ['tcp:10250'])).toEqual({ 'tcp:10250': 'blocked' });
  });
});
