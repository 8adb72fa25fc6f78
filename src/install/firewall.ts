// The host firewall's decisions (pure): which ports each node keeps open to whom. The nftables
// text and the step that loads it are in render/firewall.ts.
//
// What a VPS exposes once kubeadm has run, and who needs it:
// - SSH (the node's sshd ports): the owner, from anywhere. Always open, listed first in the
//   ruleset, so no later rule can shut it.
// - 80/443 on the ingress node: the web (Traefik's host ports).
// - 6443, the Kubernetes API (control plane): the nodes (kubelets, kube-proxy, flannel) and the
//   owner's kubectl: spec.network.apiAllowedFrom, or by default the address this computer reaches
//   the control plane from, as the control plane sees hobbykube's SSH connection.
// - 10250 (kubelet), 10256 (kube-proxy's health check), the pod network's UDP port (WireGuard
//   51820 or VXLAN 8472) and the NodePorts 30000-32767 (TCP and UDP): the nodes only. The kubelet
//   runs exec/logs for whoever holds a client certificate; VXLAN accepts encapsulated packets
//   from any source and would let anyone inject into the pod network; NodePorts are how Services
//   of type NodePort/LoadBalancer are reached (Traefik's chart makes one) and are not meant for
//   the internet here: web traffic comes through 80/443.
// - etcd 2379-2380, kube-controller-manager 10257, kube-scheduler 10259: the control plane
//   itself. There is one control plane, and the API server talks to etcd over 127.0.0.1, so in
//   practice nobody from outside (kubeadm binds the last two to 127.0.0.1 already).
// Every other port is left as it is: hobbykube closes what Kubernetes opens and does not manage
// the owner's other services (an accept-policy chain that drops only the ports above).
//
// "The nodes" as a packet's source address. A node's packets reach another node
// - from its spec (public) address when it is on its interface (direct);
// - from its public address too when its provider NATs it (the provider rewrites the private
//   source on the way out; every node reaches the others, and the API endpoint, at their public
//   addresses: src/facts/addressing.ts), and
// - from its private address when the two share a private network and one of them dials the
//   other's private address (the API server dials a NAT'd kubelet at its InternalIP, which is
//   the private address; pods reach the API through the kubernetes Service, whose endpoint is
//   the control plane's advertise address).
// So each node counts with both its spec address and its own interface address (facts). Pods'
// own addresses (the pod subnet) count as well: a pod reaching its node's kubelet or the API
// server through a Service arrives with its pod address on the pod bridge. A node's own packets
// to itself arrive on the loopback interface, which is always accepted.
import { isIPv4, isIPv6 } from 'node:net';
import type { NodeFacts } from '../facts/types.js';
import type { ClusterSpec, NodeRole, NodeSpec } from '../spec/types.js';
import { nodeAddressing } from '../facts/addressing.js';
import { BACKEND_LABEL, BACKEND_PORT, type PodNetworkBackend } from './render/flannel.js';
import { formatPorts, type ApiSources, type GuardedGroup, type NodeFirewall, type PortGroup, type SourceSet } from './render/firewall.js';
import { API_SERVER_PORT, DEFAULT_POD_SUBNET } from './render/kubeadm-config.js';

// The shapes the model fills are the renderer's input (render/firewall.ts, render/flannel.ts).
export type { ApiSources, GuardedGroup, NodeFirewall, Port, PortGroup, SourceSet } from './render/firewall.js';
export type { PodNetworkBackend } from './render/flannel.js';

/** Kubernetes' default Service NodePort range (kube-apiserver --service-node-port-range). */
export const NODE_PORT_RANGE: readonly [number, number] = [30000, 32767];
export const KUBELET_PORT = 10250;
export const KUBE_PROXY_HEALTH_PORT = 10256;
export const ETCD_PORTS: readonly [number, number] = [2379, 2380];
export const CONTROLLER_MANAGER_PORT = 10257;
export const SCHEDULER_PORT = 10259;
export const WEB_PORTS = [80, 443] as const;

/** The pod network's backend: WireGuard (encrypted) unless the owner says the nodes share a private network. */
export function podNetworkBackend(spec: ClusterSpec): PodNetworkBackend {
  return spec.spec.network?.privateNetwork === true ? 'vxlan' : 'wireguard';
}

export interface ClusterFirewall {
  nodes: NodeFirewall[];
  /** Each node's addresses as counted in "the nodes" (spec address first). */
  peers: Array<{ node: string; addresses: string[] }>;
  /** Nodes whose IPv4 address is unknown (a host name in the spec and no facts): not in the set. */
  unknown: string[];
}

/** A node's IPv4 source addresses: the spec address (when an IP) and its own interface address. */
export function nodeSourceAddresses(node: NodeSpec, facts: NodeFacts | undefined): string[] {
  const a = nodeAddressing(node, facts);
  const out: string[] = [];
  if (isIPv4(node.address)) out.push(node.address);
  if (a.local !== undefined && isIPv4(a.local) && !out.includes(a.local)) out.push(a.local);
  return out;
}

/** Every port sshd is reached on: the one hobbykube came in on, sshd's own, and the spec's (22 by default). */
export function sshPorts(node: NodeSpec, facts: NodeFacts | undefined): number[] {
  const ports = new Set<number>([node.ssh.port ?? 22]);
  if (facts?.ssh.serverPort !== undefined) ports.add(facts.ssh.serverPort);
  for (const port of facts?.ssh.listeningPorts ?? []) ports.add(port);
  return [...ports].sort((x, y) => x - y);
}

function splitFamilies(sources: readonly string[]): { ipv4: string[]; ipv6: string[] } {
  const ipv4: string[] = [];
  const ipv6: string[] = [];
  for (const source of sources) {
    const ip = source.split('/')[0] ?? '';
    if (isIPv4(ip)) ipv4.push(source);
    else if (isIPv6(ip)) ipv6.push(source);
  }
  return { ipv4, ipv6 };
}

/** Who besides the nodes may reach the API: the spec's list, or this computer as the control plane saw it. */
export function apiSources(spec: ClusterSpec, cpFacts: NodeFacts | undefined): ApiSources {
  const listed = spec.spec.network?.apiAllowedFrom;
  if (listed !== undefined) return { kind: listed.length > 0 ? 'spec' : 'none', ...splitFamilies(listed) };
  const client = cpFacts?.ssh.clientAddress;
  if (client === undefined) {
    return {
      kind: 'none',
      ipv4: [],
      ipv6: [],
      note: cpFacts === undefined ? 'the control plane was not contacted, so this computer\'s address is unknown' : 'the control plane could not tell which address this computer connects from',
    };
  }
  return { kind: 'this-computer', ...splitFamilies([client]) };
}

function guardedGroups(role: NodeRole, backend: PodNetworkBackend): GuardedGroup[] {
  const groups: GuardedGroup[] = [];
  if (role === 'control-plane') {
    groups.push({ protocol: 'tcp', ports: [API_SERVER_PORT], what: 'Kubernetes API', from: 'api' });
    groups.push({ protocol: 'tcp', ports: [ETCD_PORTS], what: 'etcd', from: 'controlPlanes' });
    groups.push({ protocol: 'tcp', ports: [CONTROLLER_MANAGER_PORT], what: 'kube-controller-manager', from: 'controlPlanes' });
    groups.push({ protocol: 'tcp', ports: [SCHEDULER_PORT], what: 'kube-scheduler', from: 'controlPlanes' });
  }
  groups.push({ protocol: 'tcp', ports: [KUBELET_PORT], what: 'kubelet', from: 'nodes' });
  groups.push({ protocol: 'tcp', ports: [KUBE_PROXY_HEALTH_PORT], what: 'kube-proxy health check', from: 'nodes' });
  groups.push({ protocol: 'udp', ports: [BACKEND_PORT[backend]], what: `pod network (${BACKEND_LABEL[backend]})`, from: 'nodes' });
  groups.push({ protocol: 'tcp', ports: [NODE_PORT_RANGE], what: 'NodePorts', from: 'nodes' });
  groups.push({ protocol: 'udp', ports: [NODE_PORT_RANGE], what: 'NodePorts', from: 'nodes' });
  return groups;
}

/**
 * Every node's firewall. `nodes` is the cluster's membership (default: the spec's nodes): the
 * allowed-peer set is built from all of them, whichever nodes a command then touches.
 */
export function clusterFirewall(spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>): ClusterFirewall {
  const backend = podNetworkBackend(spec);
  const cp = spec.spec.nodes.find((n) => n.role === 'control-plane');
  if (!cp) throw new Error('the spec has no control-plane node');
  const peers = spec.spec.nodes.map((n) => ({ node: n.name, addresses: nodeSourceAddresses(n, facts.get(n.name)) }));
  const unknown = peers.filter((p) => p.addresses.length === 0).map((p) => p.node);
  const nodeSet = [...new Set([DEFAULT_POD_SUBNET, ...peers.flatMap((p) => p.addresses)])];
  const controlPlanes = nodeSourceAddresses(cp, facts.get(cp.name));
  const api = apiSources(spec, facts.get(cp.name));
  const nodes = spec.spec.nodes.map((node): NodeFirewall => {
    const open: PortGroup[] = [{ protocol: 'tcp', ports: sshPorts(node, facts.get(node.name)), what: 'SSH' }];
    if (spec.spec.ingress?.node === node.name) open.push({ protocol: 'tcp', ports: [...WEB_PORTS], what: 'web traffic (HTTP and HTTPS)' });
    return { node: node.name, role: node.role, open, guarded: guardedGroups(node.role, backend), nodes: nodeSet, controlPlanes, api, backend };
  });
  return { nodes, peers, unknown };
}

// --- words ---------------------------------------------------------------------------------------

function apiWords(api: ApiSources, cpName: string): string {
  const listed = [...api.ipv4, ...api.ipv6].join(', ');
  switch (api.kind) {
    case 'spec':
      return `the nodes and ${listed} (spec.network.apiAllowedFrom)`;
    case 'this-computer':
      return `the nodes and ${listed} (this computer, as ${cpName} sees it; set spec.network.apiAllowedFrom to choose)`;
    default:
      return api.note ? `the nodes only (${api.note})` : 'the nodes only (spec.network.apiAllowedFrom is empty)';
  }
}

/** Plain lines for `plan`, apply and the wizard's review: what each node keeps open to whom. */
export function describeFirewall(fw: ClusterFirewall): string[] {
  const width = Math.max(...fw.nodes.map((n) => n.node.length));
  const cpName = fw.nodes.find((n) => n.role === 'control-plane')?.node ?? 'the control plane';
  const lines: string[] = [];
  const label = (g: PortGroup) => `${g.what} ${formatPorts(g.ports, g.protocol === 'udp' && g.what !== 'NodePorts' ? 'udp' : undefined)}`;
  for (const n of fw.nodes) {
    const rows: string[] = [];
    rows.push(`${n.open.map((g) => `${g.what === 'SSH' ? 'SSH' : 'web'} ${formatPorts(g.ports)}`).join(', ')}: anyone`);
    const by = (from: SourceSet) => n.guarded.filter((g) => g.from === from);
    for (const g of by('api')) rows.push(`${label(g)}: ${apiWords(n.api, cpName)}`);
    // NodePorts come as a TCP and a UDP group: one entry.
    const nodeOnly = by('nodes').filter((g, i, all) => all.findIndex((o) => o.what === g.what) === i);
    rows.push(`${nodeOnly.map((g) => (g.what === 'NodePorts' ? `NodePorts ${formatPorts(g.ports)} (TCP and UDP)` : label(g))).join(', ')}: the nodes only`);
    const cpOnly = by('controlPlanes');
    if (cpOnly.length > 0) rows.push(`${cpOnly.map(label).join(', ')}: ${n.node} itself`);
    rows.forEach((row, i) => lines.push(`${i === 0 ? n.node.padEnd(width) : ' '.repeat(width)}  ${row}`));
  }
  const peers = fw.peers.map((p) => (p.addresses.length > 0 ? `${p.node} ${p.addresses.join(' and ')}` : `${p.node} (address unknown)`));
  lines.push(`The nodes: ${peers.join(', ')}; pods in ${DEFAULT_POD_SUBNET}`);
  if (fw.unknown.length > 0) lines.push(`Not allowed yet: ${fw.unknown.join(', ')} (a host name, and the node was not contacted): apply contacts it and adds its address`);
  lines.push('Other ports are left as they are: hobbykube closes only what Kubernetes opens (nftables table inet hobbykube).');
  return lines;
}
