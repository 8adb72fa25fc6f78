// A cluster whose nodes' public addresses are NAT'd, installed on real sshd test hosts. The spec
// address of cp1 and w1 (their 127.0.0.x test address, which SSH uses) is on none of their
// interfaces: the ip double shows only a private address, as on AWS, GCP or Oracle. w2's address
// is on its interface. kubeadm, kubectl, apt-get, containerd are recording doubles: the kubeadm
// double fails init when the advertise address is not on an interface (etcd cannot bind it), a
// private address answers only on its own host, and names resolve through each host's /etc/hosts.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderInitConfig } from '../../src/install/render/index.js';
import { startHosts, type Recording, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runCli } from '../support/cli.js';
import { line, writeBedSpec, type BedSpec } from './support.js';

const ENDPOINT = 'api.test.hobbykube.internal';

describe("NAT'd public addresses: install on three sshd test hosts (doubles for kubeadm, kubectl, apt, ip)", requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let first: ReturnType<typeof runCli>;
  let recorded: Record<string, Recording[]>;
  const cpPublic = () => bed.hosts[0]!.address;

  beforeAll(async () => {
    bed = await startHosts([
      { name: 'cp1', os: 'ubuntu-24.04', memTotalMb: 1970, interfaceAddresses: ['10.0.0.5/24'] },
      { name: 'w1', os: 'debian-12', memTotalMb: 970, cpus: 1, interfaceAddresses: ['10.0.1.7/24', '2001:db8:1::7/64'] },
      { name: 'w2', os: 'ubuntu-22.04', memTotalMb: 970, cpus: 1 },
      // Not in the spec: shows what advertising a NAT'd address does to kubeadm init.
      // No swap: the kubelet would not start with it (failSwapOn), before etcd's bind matters.
      { name: 'x1', os: 'ubuntu-24.04', memTotalMb: 1970, swapMb: 0, interfaceAddresses: ['10.0.9.9/24'] },
    ]);
    spec = writeBedSpec({ ...bed, hosts: bed.hosts.slice(0, 3) });
    first = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 180_000 });
    recorded = Object.fromEntries(bed.hosts.map((h) => [h.name, h.recordings()]));
  }, 240_000);
  afterAll(async () => bed?.stop());

  const initConfig = () => {
    const init = recorded.cp1!.find((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'init')!;
    return Object.fromEntries(parseAllDocuments(Object.values(init.files!)[0]!).map((d) => [d.get('kind'), d.toJS() as Record<string, any>]));
  };
  const kubectl = async (args: string) => (await bed.hosts[0]!.rootExec(`kubectl --kubeconfig /etc/kubernetes/admin.conf ${args}`)).stdout;

  it('installs, telling which address is used for what before it starts', () => {
    expect(first.stderr).not.toMatch(/failed:/);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Cluster is up.');
    const section = first.stdout.slice(first.stdout.indexOf('Addresses:'), first.stdout.indexOf('Plan:'));
    expect(section).toContain(`cp1  ${cpPublic()}: SSH and public (NAT: on no interface); 10.0.0.5 on eth0: what Kubernetes binds (kubelet node-ip, API server advertise address)`);
    expect(section).toContain(`w1   ${bed.hosts[1]!.address}: SSH and public (NAT: on no interface); 10.0.1.7 on eth0: what Kubernetes binds (kubelet node-ip)`);
    expect(section).toContain(`w2   ${bed.hosts[2]!.address} on eth0: SSH, and what Kubernetes binds and the other nodes reach`);
    expect(section).toContain(`API endpoint ${ENDPOINT}:6443: /etc/hosts maps the name to 10.0.0.5 on cp1 and to ${cpPublic()} on the workers`);
    expect(section).toContain(`Your kubeconfig: https://${cpPublic()}:6443`);
    // Preflight said it too, with the ports the provider must let through.
    expect(first.stdout).toContain(`warn  ${cpPublic()} is on no interface of the node (10.0.0.5 (eth0)): a NAT'd public address.`);
  });

  it('kubeadm init advertises the private address, names the public one in the certificate, and the endpoint by name', () => {
    const { InitConfiguration: init, ClusterConfiguration: cluster } = initConfig();
    expect(init!.localAPIEndpoint.advertiseAddress).toBe('10.0.0.5');
    expect(init!.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'node-ip', value: '10.0.0.5' }]);
    expect(cluster!.controlPlaneEndpoint).toBe(`${ENDPOINT}:6443`);
    expect(cluster!.apiServer.certSANs).toEqual([cpPublic(), 'cp1', '10.0.0.5', ENDPOINT]);
  });

  it("each node's /etc/hosts maps the endpoint: the private address on the control plane, the public one on the workers", async () => {
    const hostsLine = async (i: number) => (await bed.hosts[i]!.rootExec(`getent hosts ${ENDPOINT}`)).stdout.trim().split(/\s+/)[0];
    expect(await hostsLine(0)).toBe('10.0.0.5');
    expect(await hostsLine(1)).toBe(cpPublic());
    expect(await hostsLine(2)).toBe(cpPublic());
  });

  it('workers join through the endpoint name; the NAT\'d worker reports its private address as node-ip', () => {
    for (const w of ['w1', 'w2']) {
      const join = recorded[w]!.find((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'join')!;
      const config = parse(Object.values(join.files ?? {})[0]!) as Record<string, any>;
      expect(config.discovery.bootstrapToken.apiServerEndpoint).toBe(`${ENDPOINT}:6443`);
      if (w === 'w1') expect(config.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'node-ip', value: '10.0.1.7' }]);
      else expect(config.nodeRegistration.kubeletExtraArgs).toBeUndefined();
    }
  });

  it("flannel's peers reach the NAT'd nodes at their public addresses (the worker's flannel restarted once to pick it up)", async () => {
    const nodes = JSON.parse(await kubectl('get nodes -o json')) as { items: Array<{ metadata: { name: string; annotations: Record<string, string> }; status: { addresses: Array<{ type: string; address: string }> } }> };
    const by = Object.fromEntries(nodes.items.map((n) => [n.metadata.name, n]));
    const internal = (name: string) => by[name]!.status.addresses.find((a) => a.type === 'InternalIP')!.address;
    expect([internal('cp1'), internal('w1'), internal('w2')]).toEqual(['10.0.0.5', '10.0.1.7', bed.hosts[2]!.address]);
    const publicIp = (name: string) => by[name]!.metadata.annotations['flannel.alpha.coreos.com/public-ip'];
    expect([publicIp('cp1'), publicIp('w1'), publicIp('w2')]).toEqual([cpPublic(), bed.hosts[1]!.address, bed.hosts[2]!.address]);
    expect(by.w2!.metadata.annotations['flannel.alpha.coreos.com/public-ip-overwrite']).toBeUndefined();
    const restarts = recorded.cp1!.map(line).filter((l) => l.includes('delete pod -l app=flannel'));
    // cp1 was annotated before flannel ever ran there; w1 had registered its private address.
    expect(restarts).toEqual(['kubectl --kubeconfig /etc/kubernetes/admin.conf -n kube-flannel delete pod -l app=flannel --field-selector spec.nodeName=w1 --wait=false']);
  });

  it('the kubeconfigs written for the owner point at the public address', () => {
    const state = readFileSync(join(spec.home, 'test', 'admin.conf'), 'utf8');
    expect(state).toContain(`server: https://${cpPublic()}:6443`);
    const out = join(mkdtempSync(join(tmpdir(), 'hk-nat-kc-')), 'test.kubeconfig');
    const r = runCli(['kubeconfig', '-f', spec.specPath, '--out', out], { env: spec.env, cwd: spec.dir });
    expect(r.code).toBe(0);
    const kc = parse(readFileSync(out, 'utf8')) as { clusters: Array<{ cluster: { server: string } }> };
    expect(kc.clusters[0]!.cluster.server).toBe(`https://${cpPublic()}:6443`);
  });

  it("no 24 h bootstrap token remains: kubeadm init's own is short-lived and labelled, the join tokens last 15 minutes", async () => {
    expect(initConfig().InitConfiguration!.bootstrapTokens).toEqual([
      { description: 'made by kubeadm init; hobbykube never uses it (it mints a 15-minute token for each join)', ttl: '10m0s' },
    ]);
    const list = (await bed.hosts[0]!.rootExec('kubeadm token list')).stdout.trim().split('\n').slice(1);
    expect(list).toHaveLength(3); // init's, and one per worker join
    for (const row of list) {
      const ttl = row.trim().split(/\s+/)[1]!;
      expect(ttl, row).toMatch(/^\d+[ms]$/);
      expect(Number(ttl.slice(0, -1)), row).toBeLessThanOrEqual(15);
    }
    expect(list.filter((row) => row.includes('made by kubeadm init; hobbykube never uses it'))).toHaveLength(1);
  });

  it('a second apply changes nothing', () => {
    for (const h of bed.hosts) h.clearRecordings();
    const again = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 120_000 });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/Cluster is up\. 0 steps run, \d+ already done/);
  });

  it('(why) advertising the NAT\'d public address makes the kubeadm double fail init like the real one: etcd cannot bind it', async () => {
    const x1 = bed.hosts[3]!;
    const setup = await x1.rootExec(
      [
        'set -e',
        'install -d /etc/apt/keyrings /etc/hobbykube/kubeadm-patches',
        'echo key >/etc/apt/keyrings/k.gpg',
        "echo 'deb [signed-by=/etc/apt/keyrings/k.gpg] https://pkgs.k8s.io/core:/stable:/v1.37/deb/ /' >/etc/apt/sources.list.d/kubernetes.list",
        'apt-get update >/dev/null',
        'apt-get install -y kubeadm kubelet >/dev/null',
      ].join('\n'),
    );
    expect(setup.code, setup.stderr).toBe(0);
    const config = renderInitConfig({ nodeName: 'x1', address: x1.address, kubernetesVersion: '1.37', schedulable: false, memTotalMiB: 1970, resolvedStub: true });
    const init = await x1.rootExec('cat >/tmp/init.yaml && kubeadm init --config /tmp/init.yaml --ignore-preflight-errors=all', config);
    expect(init.code, init.stdout + init.stderr).toBe(1);
    expect(init.stderr).toContain(`kube-apiserver check failed at https://${x1.address}:6443/livez`);
  });

  it('reset of the whole cluster removes the endpoint lines and leaves containerd 2.x installed and running', async () => {
    const r = runCli(['reset', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    for (const h of bed.hosts.slice(0, 3)) {
      const hosts = await h.rootExec('cat /etc/hosts');
      expect(hosts.stdout, h.name).not.toContain(ENDPOINT);
      expect(hosts.stdout, h.name).toContain(`${h.address} ${h.name}`);
      const runtime = await h.rootExec('containerd --version && systemctl is-active containerd');
      expect(runtime.stdout, h.name).toMatch(/^containerd containerd\.io v2\.2\.4 [0-9a-f]{40}\nactive\n$/);
    }
  });
});
