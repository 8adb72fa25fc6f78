// Which address each node uses for what: a pure decision from the spec and the nodes' facts.
//
// The spec names one address per node: the one hobbykube reaches it at over SSH, which on a VPS
// is its public address. Many providers NAT that address (AWS, GCP, Oracle, Alibaba ...): it is
// on no interface of the machine, which holds only a private address. etcd and kube-apiserver
// bind the advertise address, so advertising a NAT'd public address makes `kubeadm init` fail.
//
// - direct: the spec address is on an interface. Everything uses it (as before).
// - nat: it is not. The node's own (private) address of the default route's interface is what
//   Kubernetes binds and reports: the API server's advertise address, the kubelet's node-ip. The
//   public address is what others dial:
//   * the API server certificate names it (and the private one);
//   * every node reaches the API through a name, `api.<cluster>.hobbykube.internal` (kubeadm's
//     own documented pattern: a controlPlaneEndpoint name mapped in /etc/hosts). Each node's
//     /etc/hosts maps it: on the control plane to its private address (it never depends on the
//     provider hairpinning traffic to its own public address), on the workers to the public one
//     (a private address of another VPS is usually unreachable). `.internal` is reserved for
//     private use (ICANN, 2024), so the name never resolves anywhere else;
//   * the kubeconfig written for the owner points at the public address;
//   * flannel is told the public address per node (annotation
//     flannel.alpha.coreos.com/public-ip-overwrite, flannel-io/flannel#840, documented in its
//     kubernetes.md "for nodes behind a NAT"), so VXLAN peers send pod traffic there. flannel
//     0.25.2 broke it after a node restart (#1978); #1982 fixed that before the pinned v0.28.9.
// - name: the spec gives a host name; kubeadm and the kubelet pick the default route's address,
//   and the name is the API endpoint, as before.
// - assumed: no facts (plan --offline): the address is assumed to be on an interface.
//
// Only IPv4: hobbykube builds a single-stack IPv4 cluster (the spec refuses IPv6 node addresses).
import { isIPv4 } from 'node:net';
import type { NodeFacts } from './types.js';
import type { ClusterSpec, NodeRole, NodeSpec } from '../spec/types.js';
import { hostPort } from '../install/render/kubeadm-config.js';

/** Private-use top-level domain (ICANN board resolution, July 2024). */
export const ENDPOINT_DOMAIN = 'hobbykube.internal';
export const FLANNEL_PUBLIC_IP_OVERWRITE = 'flannel.alpha.coreos.com/public-ip-overwrite';

export type AddressMode = 'direct' | 'nat' | 'name' | 'assumed';

export interface NodeAddressing {
  node: string;
  role: NodeRole;
  /** The spec's address: SSH, and where other machines reach this node. */
  address: string;
  mode: AddressMode;
  /** The address on the node's own interface that Kubernetes binds and reports, when known. */
  local?: string;
  /** Its interface. */
  device?: string;
}

/** Interfaces of the pod network, container bridges and tunnels: never a node's own address. */
const NOT_NODE_DEVICES = /^(cni\d*|flannel\.\d+|docker\d*|veth|br-|kube-ipvs|virbr|cali|tunl|vxlan|lxc)/;

/** The node's default IPv4 address: the default route's interface, else the first global IPv4 one. */
export function defaultIPv4(facts: NodeFacts | undefined): { address: string; device?: string } | undefined {
  const interfaces = (facts?.addresses?.interfaces ?? []).filter((i) => i.family === 4 && !(i.device && NOT_NODE_DEVICES.test(i.device)));
  const preferred = facts?.addresses?.defaultDevice;
  const chosen = interfaces.find((i) => preferred !== undefined && i.device === preferred) ?? interfaces[0];
  return chosen ? { address: chosen.address, ...(chosen.device ? { device: chosen.device } : {}) } : undefined;
}

export function nodeAddressing(node: NodeSpec, facts: NodeFacts | undefined): NodeAddressing {
  const base = { node: node.name, role: node.role, address: node.address };
  const fallback = defaultIPv4(facts);
  if (!isIPv4(node.address)) {
    return { ...base, mode: 'name', ...(fallback ? { local: fallback.address, ...(fallback.device ? { device: fallback.device } : {}) } : {}) };
  }
  if (facts?.addresses === undefined) return { ...base, mode: 'assumed', local: node.address };
  const own = facts.addresses.interfaces.find((i) => i.address === node.address);
  if (own) return { ...base, mode: 'direct', local: node.address, ...(own.device ? { device: own.device } : {}) };
  return { ...base, mode: 'nat', ...(fallback ? { local: fallback.address, ...(fallback.device ? { device: fallback.device } : {}) } : {}) };
}

export interface ClusterAddressing {
  nodes: NodeAddressing[];
  controlPlane: NodeAddressing;
  /** The host part of controlPlaneEndpoint: what every kubeconfig, kube-proxy and join use. */
  endpointHost: string;
  /** Set when endpointHost is the /etc/hosts name (NAT'd control plane). */
  endpointName?: string;
  /** Per node: the address /etc/hosts maps endpointName to (empty without endpointName). */
  hostsEntries: Map<string, string>;
  /** The API server's advertise address; undefined leaves the choice to kubeadm (host name spec). */
  advertise?: string;
  /** Extra names and addresses in the API server certificate (kubeadm adds its own defaults). */
  certSANs: string[];
  /** The server URL of the kubeconfig hobbykube writes for the owner. */
  ownerServer: string;
  /** kubelet --node-ip for NAT'd nodes (their private address), by node name. */
  nodeIp: Map<string, string>;
  /** flannel's public-ip-overwrite for NAT'd nodes (their public address), by node name. */
  flannelPublicIp: Map<string, string>;
}

export function endpointName(clusterName: string): string {
  return `api.${clusterName}.${ENDPOINT_DOMAIN}`;
}

export function clusterAddressing(spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>, nodes: readonly NodeSpec[] = spec.spec.nodes): ClusterAddressing {
  const all = nodes.map((node) => nodeAddressing(node, facts.get(node.name)));
  const controlPlane = all.find((n) => n.role === 'control-plane');
  if (!controlPlane) throw new Error('the spec has no control-plane node');
  const nodeIp = new Map<string, string>();
  const flannelPublicIp = new Map<string, string>();
  for (const n of all) {
    if (n.mode === 'nat' && n.local !== undefined) {
      nodeIp.set(n.node, n.local);
      // On a shared private network pod traffic stays on the private addresses (VXLAN, unencrypted).
      if (spec.spec.network?.privateNetwork !== true) flannelPublicIp.set(n.node, n.address);
    }
  }
  const natControlPlane = controlPlane.mode === 'nat' && controlPlane.local !== undefined;
  const name = natControlPlane ? endpointName(spec.metadata.name) : undefined;
  const hostsEntries = new Map<string, string>();
  if (name !== undefined) for (const n of all) hostsEntries.set(n.node, n.role === 'control-plane' ? controlPlane.local! : controlPlane.address);
  const advertise = controlPlane.mode === 'name' ? undefined : controlPlane.local;
  const certSANs = [...new Set([controlPlane.address, controlPlane.node, ...(advertise ? [advertise] : []), ...(name ? [name] : [])])];
  return {
    nodes: all,
    controlPlane,
    endpointHost: name ?? controlPlane.address,
    ...(name !== undefined ? { endpointName: name } : {}),
    hostsEntries,
    ...(advertise !== undefined ? { advertise } : {}),
    certSANs,
    ownerServer: `https://${hostPort(controlPlane.address)}`,
    nodeIp,
    flannelPublicIp,
  };
}

/** Plain lines for `plan`, apply's summary and the wizard's review: which address is used for what. */
export function describeAddressing(ca: ClusterAddressing): string[] {
  const width = Math.max(...ca.nodes.map((n) => n.node.length));
  const lines: string[] = [];
  for (const n of ca.nodes) {
    const label = n.node.padEnd(width);
    const pad = ' '.repeat(width);
    const on = n.device ? ` on ${n.device}` : '';
    switch (n.mode) {
      case 'direct':
        lines.push(`${label}  ${n.address}${on}: SSH, and what Kubernetes binds and the other nodes reach`);
        break;
      case 'assumed':
        lines.push(`${label}  ${n.address}: SSH and Kubernetes (assumed to be on the node's interface; not checked offline)`);
        break;
      case 'name':
        lines.push(`${label}  ${n.address}: SSH${n.role === 'control-plane' ? ' and the API endpoint' : ''}; Kubernetes binds ${n.local ? `${n.local}${on}` : "the default route's address"}`);
        break;
      case 'nat':
        if (n.local === undefined) {
          lines.push(`${label}  ${n.address}: SSH; not on any interface, and the node has no IPv4 address of its own`);
          break;
        }
        lines.push(`${label}  ${n.address}: SSH and public (NAT: on no interface); ${n.local}${on}: what Kubernetes binds (kubelet node-ip${n.role === 'control-plane' ? ', API server advertise address' : ''})`);
        if (ca.flannelPublicIp.has(n.node)) lines.push(`${pad}  flannel's peers send pod traffic to ${n.address} (${FLANNEL_PUBLIC_IP_OVERWRITE})`);
        else lines.push(`${pad}  flannel's peers send pod traffic to ${n.local} over the private network (spec.network.privateNetwork)`);
    }
  }
  const cp = ca.controlPlane;
  if (ca.endpointName !== undefined) {
    const workers = ca.nodes.filter((n) => n.role === 'worker').length;
    lines.push(
      `API endpoint ${hostPort(ca.endpointName)}: /etc/hosts maps the name to ${cp.local} on ${cp.node}${workers > 0 ? ` and to ${cp.address} on the workers` : ''}`,
    );
  } else {
    lines.push(`API endpoint ${hostPort(ca.endpointHost)}`);
  }
  lines.push(`API server certificate names: ${ca.certSANs.join(', ')}`);
  lines.push(`Your kubeconfig: ${ca.ownerServer}`);
  return lines;
}
