// The host firewall's decisions (pure) and every ruleset they render checked by the real nft
// (`nft --check`, in a throwaway network namespace). What the rules let through is shown with real
// connections in firewall-netns.test.ts.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { apiSources, clusterFirewall, describeFirewall, nodeSourceAddresses, podNetworkBackend, sshPorts } from '../../src/install/firewall.js';
import { buildInstallPlan, DISPLAY_KEYS } from '../../src/install/plan.js';
import { buildResetPlan } from '../../src/install/reset.js';
import { FIREWALL_FILE, renderRuleset } from '../../src/install/render/firewall.js';
import type { NodeFacts } from '../../src/facts/types.js';
import type { ClusterSpec, NetworkSpec, NodeSpec } from '../../src/spec/types.js';
import { validateObject } from '../../src/spec/validate.js';
import { healthyFacts } from '../facts/helpers.js';
import { netnsMissing, requires } from '../support/requires.js';

function specOf(nodes: Array<Partial<NodeSpec> & { name: string; address: string }>, extra: { network?: NetworkSpec; ingress?: string } = {}): ClusterSpec {
  const v = validateObject({
    apiVersion: 'hobbykube.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'home' },
    spec: {
      nodes: nodes.map((n, i) => ({ role: i === 0 ? 'control-plane' : 'worker', ...n })),
      dns: { upstream: ['1.1.1.1'] },
      ...(extra.ingress ? { ingress: { node: extra.ingress, email: 'me@example.com' } } : {}),
      ...(extra.network ? { network: extra.network } : {}),
    },
  });
  if (!v.spec) throw new Error(JSON.stringify(v.problems));
  return v.spec;
}

const on = (address: string, device = 'eth0'): Partial<NodeFacts> => ({ addresses: { source: 'ip', interfaces: [{ device, address, prefix: 24, family: 4 }], defaultDevice: device } });
const facts = (entries: Record<string, Partial<NodeFacts>>) => new Map(Object.entries(entries).map(([k, v]) => [k, healthyFacts(v)]));

const THREE = specOf([{ name: 'cp1', address: '203.0.113.10' }, { name: 'w1', address: '203.0.113.11' }, { name: 'w2', address: '198.51.100.20' }], { ingress: 'w1' });
const THREE_FACTS = facts({ cp1: on('203.0.113.10'), w1: on('203.0.113.11'), w2: on('10.0.1.7', 'ens3') });

describe('the allowed-peer set', () => {
  it("counts each node with its spec address, and a NAT'd node with its private address too", () => {
    const fw = clusterFirewall(THREE, THREE_FACTS);
    expect(fw.peers).toEqual([
      { node: 'cp1', addresses: ['203.0.113.10'] },
      { node: 'w1', addresses: ['203.0.113.11'] },
      { node: 'w2', addresses: ['198.51.100.20', '10.0.1.7'] },
    ]);
    // The same set on every node, with the pods' own addresses.
    for (const n of fw.nodes) expect(n.nodes).toEqual(['10.244.0.0/16', '203.0.113.10', '203.0.113.11', '198.51.100.20', '10.0.1.7']);
    expect(fw.nodes.find((n) => n.node === 'cp1')!.controlPlanes).toEqual(['203.0.113.10']);
    expect(fw.unknown).toEqual([]);
  });

  it('a host name counts with the address of its default route; without facts it is not in the set, and says so', () => {
    const spec = specOf([{ name: 'cp1', address: '203.0.113.10' }, { name: 'w1', address: 'w1.example.com' }]);
    expect(nodeSourceAddresses(spec.spec.nodes[1]!, healthyFacts(on('192.0.2.44')))).toEqual(['192.0.2.44']);
    const offline = clusterFirewall(spec, new Map());
    expect(offline.peers[1]).toEqual({ node: 'w1', addresses: [] });
    expect(offline.unknown).toEqual(['w1']);
    expect(describeFirewall(offline)).toContain('Not allowed yet: w1 (a host name, and the node was not contacted): apply contacts it and adds its address');
  });

  it('follows the cluster: a removed node leaves every set, an added one enters it', () => {
    const two = specOf([{ name: 'cp1', address: '203.0.113.10' }, { name: 'w1', address: '203.0.113.11' }]);
    expect(clusterFirewall(two, THREE_FACTS).nodes[0]!.nodes).toEqual(['10.244.0.0/16', '203.0.113.10', '203.0.113.11']);
  });
});

describe('open ports', () => {
  it('SSH on every port hobbykube came in on, sshd listens on, and the spec names', () => {
    const node = THREE.spec.nodes[0]!;
    expect(sshPorts(node, undefined)).toEqual([22]);
    expect(sshPorts({ ...node, ssh: { port: 2222 } }, healthyFacts({ ssh: { serverPort: 2222, listeningPorts: [22, 2222, 30022] } }))).toEqual([22, 2222, 30022]);
  });

  it('web ports on the ingress node only; the API and the control-plane ports on the control plane only', () => {
    const fw = clusterFirewall(THREE, THREE_FACTS);
    const byNode = Object.fromEntries(fw.nodes.map((n) => [n.node, n]));
    expect(byNode.w1!.open.map((g) => g.ports)).toEqual([[22], [80, 443]]);
    expect(byNode.w2!.open.map((g) => g.ports)).toEqual([[22]]);
    expect(byNode.cp1!.guarded.map((g) => `${g.what}:${g.from}`)).toEqual([
      'Kubernetes API:api',
      'etcd:controlPlanes',
      'kube-controller-manager:controlPlanes',
      'kube-scheduler:controlPlanes',
      'kubelet:nodes',
      'kube-proxy health check:nodes',
      'pod network (WireGuard):nodes',
      'NodePorts:nodes',
      'NodePorts:nodes',
    ]);
    expect(byNode.w2!.guarded.some((g) => g.from !== 'nodes')).toBe(false);
  });

  it('the pod network port follows the backend: WireGuard 51820, VXLAN 8472 with privateNetwork', () => {
    expect(podNetworkBackend(THREE)).toBe('wireguard');
    const vx = specOf([{ name: 'cp1', address: '203.0.113.10' }], { network: { privateNetwork: true } });
    expect(podNetworkBackend(vx)).toBe('vxlan');
    expect(clusterFirewall(vx, new Map()).nodes[0]!.guarded.find((g) => g.what.startsWith('pod network'))!.ports).toEqual([8472]);
  });

  it('the API: by default this computer as the control plane saw it; the spec\'s list instead; [] the nodes only', () => {
    const cp = healthyFacts({ ssh: { clientAddress: '198.51.100.7', serverPort: 22, listeningPorts: [22] } });
    expect(apiSources(THREE, cp)).toEqual({ kind: 'this-computer', ipv4: ['198.51.100.7'], ipv6: [] });
    expect(apiSources(THREE, healthyFacts({ ssh: { clientAddress: '2001:db8::7', listeningPorts: [] } }))).toEqual({ kind: 'this-computer', ipv4: [], ipv6: ['2001:db8::7'] });
    expect(apiSources(THREE, undefined)).toMatchObject({ kind: 'none', note: "the control plane was not contacted, so this computer's address is unknown" });
    const listed = specOf([{ name: 'cp1', address: '203.0.113.10' }], { network: { privateNetwork: false, apiAllowedFrom: ['192.0.2.0/24', '2001:db8::/48'] } });
    expect(apiSources(listed, cp)).toEqual({ kind: 'spec', ipv4: ['192.0.2.0/24'], ipv6: ['2001:db8::/48'] });
    const none = specOf([{ name: 'cp1', address: '203.0.113.10' }], { network: { privateNetwork: false, apiAllowedFrom: [] } });
    expect(apiSources(none, cp)).toEqual({ kind: 'none', ipv4: [], ipv6: [] });
  });

  it('describes every node in plain words', () => {
    const lines = describeFirewall(clusterFirewall(THREE, facts({ cp1: { ...on('203.0.113.10'), ssh: { clientAddress: '198.51.100.7', serverPort: 22, listeningPorts: [22] } }, w1: on('203.0.113.11'), w2: on('10.0.1.7', 'ens3') })));
    expect(lines).toEqual([
      'cp1  SSH 22: anyone',
      '     Kubernetes API 6443: the nodes and 198.51.100.7 (this computer, as cp1 sees it; set spec.network.apiAllowedFrom to choose)',
      '     kubelet 10250, kube-proxy health check 10256, pod network (WireGuard) 51820/udp, NodePorts 30000-32767 (TCP and UDP): the nodes only',
      '     etcd 2379-2380, kube-controller-manager 10257, kube-scheduler 10259: cp1 itself',
      'w1   SSH 22, web 80, 443: anyone',
      '     kubelet 10250, kube-proxy health check 10256, pod network (WireGuard) 51820/udp, NodePorts 30000-32767 (TCP and UDP): the nodes only',
      'w2   SSH 22: anyone',
      '     kubelet 10250, kube-proxy health check 10256, pod network (WireGuard) 51820/udp, NodePorts 30000-32767 (TCP and UDP): the nodes only',
      'The nodes: cp1 203.0.113.10, w1 203.0.113.11, w2 198.51.100.20 and 10.0.1.7; pods in 10.244.0.0/16',
      'Other ports are left as they are: hobbykube closes only what Kubernetes opens (nftables table inet hobbykube).',
    ]);
  });
});

describe('the ruleset', () => {
  it('puts SSH before every drop, and drops exactly the guarded ports', () => {
    const text = renderRuleset(clusterFirewall(THREE, facts({ cp1: { ...on('203.0.113.10'), ssh: { serverPort: 30022, listeningPorts: [30022] } } })).nodes[0]!);
    const rules = text.split('\n').filter((l) => /^\t\t(tcp|udp|iif|ct|fib)/.test(l));
    const ssh = rules.findIndex((l) => l.includes('SSH: always open'));
    expect(rules[ssh]).toBe('\t\ttcp dport { 22, 30022 } accept comment "SSH: always open"');
    expect(rules.findIndex((l) => l.includes(' drop '))).toBeGreaterThan(ssh);
    expect(rules.filter((l) => l.includes(' drop '))).toEqual([
      '\t\ttcp dport { 6443, 2379-2380, 10257, 10259, 10250, 10256, 30000-32767 } drop comment "Kubernetes ports: nobody else"',
      '\t\tudp dport { 51820, 30000-32767 } drop comment "Kubernetes ports: nobody else"',
    ]);
    expect(text).toContain('type filter hook prerouting priority mangle; policy accept;');
    expect(text.startsWith('# hobbykube host firewall for node cp1.')).toBe(true);
    expect(text).toContain('table inet hobbykube\ndelete table inet hobbykube\ntable inet hobbykube {');
  });

  it('refuses what it cannot write as nftables', () => {
    const fw = clusterFirewall(THREE, THREE_FACTS).nodes[0]!;
    expect(() => renderRuleset({ ...fw, nodes: ['203.0.113.10; flush ruleset'] })).toThrow('not an IPv4 address or network');
    expect(() => renderRuleset({ ...fw, api: { ...fw.api, ipv6: ['203.0.113.10'] } })).toThrow('not an IPv6 address or network');
    expect(() => renderRuleset({ ...fw, open: [{ protocol: 'tcp', ports: [0], what: 'SSH' }] })).toThrow('not a port');
  });

  describe('every ruleset hobbykube can render passes the real nft --check', requires(netnsMissing()), () => {
    const variants: Array<[string, ClusterSpec, ReadonlyMap<string, NodeFacts>]> = [
      ['three nodes, one NAT\'d, ingress', THREE, THREE_FACTS],
      ['API for IPv4 and IPv6 networks', specOf([{ name: 'cp1', address: '203.0.113.10' }, { name: 'w1', address: '203.0.113.11' }], { network: { privateNetwork: false, apiAllowedFrom: ['0.0.0.0/0', '::/0'] } }), new Map()],
      ['the nodes only, VXLAN', specOf([{ name: 'cp1', address: '10.0.0.5' }, { name: 'w1', address: '10.0.0.6' }], { network: { privateNetwork: true, apiAllowedFrom: [] } }), new Map()],
      ['a host name without facts, SSH on 2222 and a NodePort', specOf([{ name: 'cp1', address: 'cp.example.com', ssh: { port: 2222 } }, { name: 'w1', address: '203.0.113.11' }]), facts({ w1: { ssh: { serverPort: 30022, listeningPorts: [22, 30022] } } })],
      ['a single node, this computer over IPv6', specOf([{ name: 'solo', address: '203.0.113.10', schedulable: true }], { ingress: 'solo' }), facts({ solo: { ssh: { clientAddress: '2001:db8::7', listeningPorts: [22] } } })],
    ];
    const rulesets = variants.flatMap(([name, spec, f]) => clusterFirewall(spec, f).nodes.map((n): [string, string] => [`${name}: ${n.node}`, renderRuleset(n)]));
    it.each(rulesets)('%s', (_name, text) => {
      const r = spawnSync('unshare', ['--net', 'nft', '--check', '-f', '-'], { input: text, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  });
});

describe('the plan', () => {
  const firewallSteps = (steps: Array<{ id: string }>) => steps.filter((s) => s.id.endsWith('/firewall')).map((s) => s.id);

  it('each node loads its firewall before kubeadm runs there', () => {
    const steps = buildInstallPlan({ spec: THREE, facts: THREE_FACTS, encryptionKeys: DISPLAY_KEYS });
    expect(firewallSteps(steps)).toEqual(['cp1/firewall', 'w1/firewall', 'w2/firewall']);
    const byId = new Map(steps.map((s) => [s.id, s]));
    const before = (id: string, target: string): boolean => {
      const seen = new Set<string>();
      const walk = (x: string): boolean => {
        if (x === target) return true;
        if (seen.has(x)) return false;
        seen.add(x);
        return (byId.get(x)?.after ?? []).some(walk);
      };
      return walk(id);
    };
    expect(before('cp1/init', 'cp1/firewall')).toBe(true);
    for (const w of ['w1', 'w2']) expect(before(`${w}/join`, `${w}/firewall`)).toBe(true);
    const cp = steps.find((s) => s.id === 'cp1/firewall')!;
    expect(cp.artifacts.find((a) => a.name === `file${FIREWALL_FILE.replace(/\//g, '_')}`)!.content).toContain('table inet hobbykube {');
  });

  it('add-worker: every other worker gets exactly one step, its firewall, before the new node joins', () => {
    const steps = buildInstallPlan({ spec: THREE, facts: THREE_FACTS, encryptionKeys: DISPLAY_KEYS, workers: ['w2'] });
    const onW1 = steps.filter((s) => s.node === 'w1');
    expect(onW1.map((s) => s.id)).toEqual(['w1/firewall']);
    expect(onW1[0]!.title).toBe('Host firewall: let w2 in (the only step on w1 when adding a worker)');
    expect(steps.find((s) => s.id === 'w2/join')!.after).toContain('w1/firewall');
    expect(onW1[0]!.artifacts.find((a) => a.name.endsWith('firewall.nft'))!.content).toContain('198.51.100.20');
  });

  it('remove-worker: after the reset, every remaining node\'s firewall stops letting it in', () => {
    const remaining = specOf([{ name: 'cp1', address: '203.0.113.10' }, { name: 'w1', address: '203.0.113.11' }], { ingress: 'w1' });
    const steps = buildResetPlan(THREE, ['w2'], { remaining: { spec: remaining, facts: THREE_FACTS } });
    expect(steps.map((s) => s.id)).toEqual(['w2/drain', 'w2/reset', 'cp1/firewall', 'w1/firewall']);
    for (const id of ['cp1/firewall', 'w1/firewall']) {
      const step = steps.find((s) => s.id === id)!;
      expect(step.after).toEqual(['w2/reset']);
      expect(step.title).toBe('Host firewall: stop letting w2 in');
      expect(step.artifacts.find((a) => a.name.endsWith('firewall.nft'))!.content).not.toContain('198.51.100.20');
    }
    // A whole-cluster reset removes the firewalls with everything else: no update step.
    expect(firewallSteps(buildResetPlan(THREE, ['cp1', 'w1', 'w2'], { remaining: { spec: remaining, facts: THREE_FACTS } }))).toEqual([]);
  });
});
