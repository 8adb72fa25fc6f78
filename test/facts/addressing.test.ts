// Which address each node uses for what: the pure decision behind kubeadm's config, /etc/hosts,
// the kubelet's node-ip, flannel's public address and the owner's kubeconfig.
import { describe, expect, it } from 'vitest';
import { clusterAddressing, describeAddressing, nodeAddressing } from '../../src/facts/addressing.js';
import type { NodeFacts } from '../../src/facts/types.js';
import type { ClusterSpec, NodeSpec } from '../../src/spec/types.js';
import { healthyFacts } from '../facts/helpers.js';

const node = (name: string, address: string, role: NodeSpec['role'] = 'worker'): NodeSpec => ({ name, address, role, schedulable: false, ssh: {}, acceptUndersized: false });
const on = (...cidrs: string[]): NodeFacts =>
  healthyFacts({
    addresses: {
      source: 'ip',
      interfaces: cidrs.map((c) => {
        const [dev, cidr] = c.includes(' ') ? (c.split(' ') as [string, string]) : ['eth0', c];
        const [address, prefix] = cidr.split('/');
        return { device: dev, address: address!, prefix: Number(prefix), family: address!.includes(':') ? (6 as const) : (4 as const) };
      }),
      defaultDevice: 'eth0',
    },
  });
const spec = (nodes: NodeSpec[]): ClusterSpec => ({
  apiVersion: 'hobbykube.dev/v1alpha1',
  kind: 'Cluster',
  metadata: { name: 'home' },
  spec: { kubernetesVersion: '1.37', nodes, dns: { upstream: ['1.1.1.1'] }, workloads: [] },
});

describe('nodeAddressing', () => {
  it('direct, NAT, host name, and assumed without facts', () => {
    expect(nodeAddressing(node('a', '203.0.113.10'), on('203.0.113.10/24'))).toEqual({ node: 'a', role: 'worker', address: '203.0.113.10', mode: 'direct', local: '203.0.113.10', device: 'eth0' });
    expect(nodeAddressing(node('a', '203.0.113.10'), on('10.0.0.5/24', 'eth1 10.1.0.5/16'))).toMatchObject({ mode: 'nat', local: '10.0.0.5', device: 'eth0' });
    expect(nodeAddressing(node('a', 'vps.example.com'), on('10.0.0.5/24'))).toMatchObject({ mode: 'name', local: '10.0.0.5' });
    expect(nodeAddressing(node('a', '203.0.113.10'), undefined)).toMatchObject({ mode: 'assumed', local: '203.0.113.10' });
    // The public address on a second interface still counts as "on an interface".
    expect(nodeAddressing(node('a', '203.0.113.10'), on('10.0.0.5/24', 'eth1 203.0.113.10/32'))).toMatchObject({ mode: 'direct', device: 'eth1' });
  });
});

describe('clusterAddressing', () => {
  it('all direct: the spec addresses everywhere, no /etc/hosts name, no node-ip, no flannel overwrite', () => {
    const s = spec([node('cp1', '203.0.113.10', 'control-plane'), node('w1', '203.0.113.11')]);
    const ca = clusterAddressing(s, new Map([['cp1', on('203.0.113.10/24')], ['w1', on('203.0.113.11/24')]]));
    expect(ca).toMatchObject({ endpointHost: '203.0.113.10', advertise: '203.0.113.10', certSANs: ['203.0.113.10', 'cp1'], ownerServer: 'https://203.0.113.10:6443' });
    expect(ca.endpointName).toBeUndefined();
    expect([...ca.hostsEntries, ...ca.nodeIp, ...ca.flannelPublicIp]).toEqual([]);
  });

  it("NAT'd control plane and worker: private advertise and node-ip, an /etc/hosts endpoint name, public SAN, flannel and kubeconfig", () => {
    const s = spec([node('cp1', '203.0.113.10', 'control-plane'), node('w1', '198.51.100.7'), node('w2', '203.0.113.12')]);
    const ca = clusterAddressing(s, new Map([['cp1', on('10.0.0.5/24')], ['w1', on('10.0.1.7/24')], ['w2', on('203.0.113.12/24')]]));
    expect(ca.advertise).toBe('10.0.0.5');
    expect(ca.endpointName).toBe('api.home.hobbykube.internal');
    expect(ca.endpointHost).toBe('api.home.hobbykube.internal');
    expect(ca.certSANs).toEqual(['203.0.113.10', 'cp1', '10.0.0.5', 'api.home.hobbykube.internal']);
    expect(ca.ownerServer).toBe('https://203.0.113.10:6443');
    expect([...ca.hostsEntries]).toEqual([['cp1', '10.0.0.5'], ['w1', '203.0.113.10'], ['w2', '203.0.113.10']]);
    expect([...ca.nodeIp]).toEqual([['cp1', '10.0.0.5'], ['w1', '10.0.1.7']]);
    expect([...ca.flannelPublicIp]).toEqual([['cp1', '203.0.113.10'], ['w1', '198.51.100.7']]);
    expect(describeAddressing(ca)).toEqual([
      'cp1  203.0.113.10: SSH and public (NAT: on no interface); 10.0.0.5 on eth0: what Kubernetes binds (kubelet node-ip, API server advertise address)',
      "     flannel's peers send pod traffic to 203.0.113.10 (flannel.alpha.coreos.com/public-ip-overwrite)",
      'w1   198.51.100.7: SSH and public (NAT: on no interface); 10.0.1.7 on eth0: what Kubernetes binds (kubelet node-ip)',
      "     flannel's peers send pod traffic to 198.51.100.7 (flannel.alpha.coreos.com/public-ip-overwrite)",
      'w2   203.0.113.12 on eth0: SSH, and what Kubernetes binds and the other nodes reach',
      'API endpoint api.home.hobbykube.internal:6443: /etc/hosts maps the name to 10.0.0.5 on cp1 and to 203.0.113.10 on the workers',
      'API server certificate names: 203.0.113.10, cp1, 10.0.0.5, api.home.hobbykube.internal',
      'Your kubeconfig: https://203.0.113.10:6443',
    ]);
  });

  it("a NAT'd worker under a direct control plane: the IP endpoint stays, only the worker gets node-ip and flannel's overwrite", () => {
    const s = spec([node('cp1', '203.0.113.10', 'control-plane'), node('w1', '198.51.100.7')]);
    const ca = clusterAddressing(s, new Map([['cp1', on('203.0.113.10/24')], ['w1', on('10.0.1.7/24')]]));
    expect(ca.endpointHost).toBe('203.0.113.10');
    expect(ca.hostsEntries.size).toBe(0);
    expect([...ca.nodeIp]).toEqual([['w1', '10.0.1.7']]);
  });

  it('a host-name control plane: the name is the endpoint, kubeadm picks the advertise address', () => {
    const s = spec([node('cp1', 'cp.example.com', 'control-plane')]);
    const ca = clusterAddressing(s, new Map([['cp1', on('10.0.0.5/24')]]));
    expect(ca.endpointHost).toBe('cp.example.com');
    expect(ca.advertise).toBeUndefined();
    expect(ca.ownerServer).toBe('https://cp.example.com:6443');
  });

  it("a NAT'd node without any IPv4 of its own gets no NAT plumbing (preflight fails it)", () => {
    const s = spec([node('cp1', '203.0.113.10', 'control-plane')]);
    const ca = clusterAddressing(s, new Map([['cp1', on('2001:db8::5/64')]]));
    expect(ca.endpointName).toBeUndefined();
    expect(ca.nodeIp.size).toBe(0);
    expect(describeAddressing(ca)[0]).toBe('cp1  203.0.113.10: SSH; not on any interface, and the node has no IPv4 address of its own');
  });
});
