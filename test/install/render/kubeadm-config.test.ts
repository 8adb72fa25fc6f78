import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  JOIN_CONFIG_PATH,
  KUBELET_PATCH_PATH,
  PATCHES_DIR,
  initStep,
  joinStep,
  renderInitConfig,
  renderJoinConfig,
  renderKubeletPatch,
  type InitConfigInput,
} from '../../../src/install/render/index.js';
import { JOIN } from './scenarios.js';

type Doc = Record<string, any>;

function docs(text: string): Doc[] {
  const parsed = parseAllDocuments(text);
  if (!Array.isArray(parsed)) throw new Error('expected several documents');
  for (const doc of parsed) expect(doc.errors).toEqual([]);
  return parsed.map((doc) => doc.toJS() as Doc);
}

const BASE: InitConfigInput = {
  nodeName: 'cp1',
  address: '203.0.113.10',
  kubernetesVersion: '1.37',
  schedulable: false,
  memTotalMiB: 970,
  resolvedStub: true,
};

describe('kubeadm init configuration', () => {
  it('holds InitConfiguration, ClusterConfiguration (v1beta4) and KubeletConfiguration', () => {
    const [init, cluster, kubelet] = docs(renderInitConfig(BASE));
    expect([init!.apiVersion, init!.kind]).toEqual(['kubeadm.k8s.io/v1beta4', 'InitConfiguration']);
    expect([cluster!.apiVersion, cluster!.kind]).toEqual(['kubeadm.k8s.io/v1beta4', 'ClusterConfiguration']);
    expect([kubelet!.apiVersion, kubelet!.kind]).toEqual(['kubelet.config.k8s.io/v1beta1', 'KubeletConfiguration']);

    expect(init!.localAPIEndpoint).toEqual({ advertiseAddress: '203.0.113.10', bindPort: 6443 });
    expect(init!.nodeRegistration.name).toBe('cp1');
    expect(init!.nodeRegistration.criSocket).toBe('unix:///var/run/containerd/containerd.sock');
    expect(init!.patches).toEqual({ directory: PATCHES_DIR });

    expect(cluster!.controlPlaneEndpoint).toBe('203.0.113.10:6443');
    expect(cluster!.networking).toEqual({ podSubnet: '10.244.0.0/16' });
    expect(cluster!.apiServer.certSANs).toEqual(['203.0.113.10', 'cp1']);
    expect(cluster!).not.toHaveProperty('kubernetesVersion'); // minor only, installed version unknown

    expect(kubelet!.cgroupDriver).toBe('systemd');
    expect(kubelet!.resolvConf).toBe('/run/systemd/resolve/resolv.conf');
    // A 970 MiB control plane: the small-node profile, no swap (src/node-profile.ts).
    expect(kubelet!.systemReserved).toEqual({ memory: '80Mi' });
    expect(kubelet!.kubeReserved).toEqual({ memory: '134Mi' });
    expect(kubelet!.maxPods).toBe(24);
    expect(kubelet!.evictionHard['memory.available']).toBe('100Mi');
    expect(kubelet!.evictionHard['nodefs.available']).toBe('10%');
    expect(kubelet!.enforceNodeAllocatable).toEqual(['none']);
    expect(kubelet!).not.toHaveProperty('failSwapOn');
    expect(kubelet!).not.toHaveProperty('memorySwap');
  });

  it('keeps the control-plane taint unless schedulable, then writes an empty list', () => {
    const [tainted] = docs(renderInitConfig(BASE));
    expect(tainted!.nodeRegistration.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    const [open] = docs(renderInitConfig({ ...BASE, schedulable: true }));
    expect(open!.nodeRegistration.taints).toEqual([]);
  });

  it('writes ignorePreflightErrors only when the owner chose some', () => {
    expect(docs(renderInitConfig(BASE))[0]!.nodeRegistration).not.toHaveProperty('ignorePreflightErrors');
    expect(docs(renderInitConfig({ ...BASE, ignorePreflightErrors: [] }))[0]!.nodeRegistration).not.toHaveProperty('ignorePreflightErrors');
    const [init] = docs(renderInitConfig({ ...BASE, ignorePreflightErrors: ['NumCPU', 'Mem'] }));
    expect(init!.nodeRegistration.ignorePreflightErrors).toEqual(['NumCPU', 'Mem']);
  });

  it('writes kubeletExtraArgs in the v1beta4 list form', () => {
    expect(docs(renderInitConfig(BASE))[0]!.nodeRegistration).not.toHaveProperty('kubeletExtraArgs');
    const [init] = docs(renderInitConfig({ ...BASE, kubeletExtraArgs: { 'node-ip': '10.0.0.5', v: '2' } }));
    expect(init!.nodeRegistration.kubeletExtraArgs).toEqual([
      { name: 'node-ip', value: '10.0.0.5' },
      { name: 'v', value: '2' },
    ]);
  });

  it('uses /etc/resolv.conf where there is no resolved stub', () => {
    const [, , kubelet] = docs(renderInitConfig({ ...BASE, resolvedStub: false }));
    expect(kubelet!.resolvConf).toBe('/etc/resolv.conf');
  });

  it('pins kubernetesVersion to the installed kubeadm or the pinned patch', () => {
    expect(docs(renderInitConfig({ ...BASE, installedKubeadmVersion: 'v1.37.4' }))[1]!.kubernetesVersion).toBe('v1.37.4');
    expect(docs(renderInitConfig({ ...BASE, kubernetesVersion: '1.37.2' }))[1]!.kubernetesVersion).toBe('v1.37.2');
    expect(() => renderInitConfig({ ...BASE, installedKubeadmVersion: 'v1.36.9' })).toThrow(/1\.37/);
    expect(() => renderInitConfig({ ...BASE, kubernetesVersion: '1.37.2', installedKubeadmVersion: 'v1.37.3' })).toThrow(/pins/);
  });

  it('handles a host name address (no advertise address unless given)', () => {
    const [init, cluster] = docs(renderInitConfig({ ...BASE, address: 'vps1.example.com', clusterName: 'home' }));
    expect(init!).not.toHaveProperty('localAPIEndpoint');
    expect(cluster!.controlPlaneEndpoint).toBe('vps1.example.com:6443');
    expect(cluster!.clusterName).toBe('home');
    const [withPrivate, c2] = docs(renderInitConfig({ ...BASE, address: 'vps1.example.com', advertiseAddress: '10.0.0.5' }));
    expect(withPrivate!.localAPIEndpoint.advertiseAddress).toBe('10.0.0.5');
    expect(c2!.apiServer.certSANs).toEqual(['vps1.example.com', 'cp1', '10.0.0.5']);
  });

  it('refuses IPv6 (an IPv4 single-stack cluster: kube-apiserver would exit on a family mismatch)', () => {
    expect(() => renderInitConfig({ ...BASE, address: '2001:db8::10' })).toThrow(/IPv6 address 2001:db8::10: hobbykube builds an IPv4 single-stack cluster/);
    expect(() => renderInitConfig({ ...BASE, address: 'vps1.example.com', advertiseAddress: '2001:db8::10' })).toThrow(/IPv4 single-stack/);
  });

  it('asks kubeadm for one short-lived bootstrap token instead of its default 24 h one', () => {
    const [init] = docs(renderInitConfig(BASE));
    expect(init!.bootstrapTokens).toEqual([
      { description: 'made by kubeadm init; hobbykube never uses it (it mints a 15-minute token for each join)', ttl: '10m0s' },
    ]);
    // No token value of ours: kubeadm generates it, so the config file on the node holds no secret.
    expect(init!.bootstrapTokens[0]).not.toHaveProperty('token');
  });

  it("NAT'd control plane: advertises the private address, names the public one and the endpoint in the certificate", () => {
    const [init, cluster] = docs(
      renderInitConfig({
        ...BASE,
        clusterName: 'home',
        advertiseAddress: '10.0.0.5',
        endpointHost: 'api.home.hobbykube.internal',
        certSANs: ['203.0.113.10', 'cp1', '10.0.0.5', 'api.home.hobbykube.internal'],
        kubeletExtraArgs: { 'node-ip': '10.0.0.5' },
      }),
    );
    expect(init!.localAPIEndpoint).toEqual({ advertiseAddress: '10.0.0.5', bindPort: 6443 });
    expect(init!.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'node-ip', value: '10.0.0.5' }]);
    expect(cluster!.controlPlaneEndpoint).toBe('api.home.hobbykube.internal:6443');
    expect(cluster!.apiServer.certSANs).toEqual(['203.0.113.10', 'cp1', '10.0.0.5', 'api.home.hobbykube.internal']);
    expect(() => renderInitConfig({ ...BASE, endpointHost: 'bad host' })).toThrow(/endpoint host/);
    expect(() => renderInitConfig({ ...BASE, certSANs: ['a b'] })).toThrow(/SAN/);
  });

  it('refuses values that are not what they claim to be', () => {
    expect(() => renderInitConfig({ ...BASE, nodeName: 'cp1; rm -rf /' })).toThrow(/node name/);
    expect(() => renderInitConfig({ ...BASE, advertiseAddress: 'not-an-ip' })).toThrow(/IP/);
    expect(() => renderInitConfig({ ...BASE, podSubnet: '10.244.0.0' })).toThrow(/CIDR/);
    expect(() => renderInitConfig({ ...BASE, ignorePreflightErrors: ['Mem --dry-run'] })).toThrow(/preflight/);
    expect(() => renderInitConfig({ ...BASE, kubeletExtraArgs: { '--evil flag': 'x' } })).toThrow(/flag/);
  });

  it('sends the config 0600, the kubelet patch and, on a small control plane, the static pod and CoreDNS patches', () => {
    const step = initStep(BASE);
    expect(step.files.map((f) => [f.path, f.mode.toString(8), f.secret])).toEqual([
      ['/etc/hobbykube/kubeadm-init.yaml', '600', false],
      [KUBELET_PATCH_PATH, '644', false],
      [`${PATCHES_DIR}/kube-apiserver+strategic.yaml`, '644', false],
      [`${PATCHES_DIR}/etcd+strategic.yaml`, '644', false],
      [`${PATCHES_DIR}/kube-controller-manager+strategic.yaml`, '644', false],
      [`${PATCHES_DIR}/kube-scheduler+strategic.yaml`, '644', false],
      [`${PATCHES_DIR}/corednsdeployment+strategic.yaml`, '644', false],
    ]);
    const apiserver = step.files.find((f) => f.path.endsWith('kube-apiserver+strategic.yaml'))!;
    expect(docs(apiserver.content)[0]).toEqual({ spec: { containers: [{ name: 'kube-apiserver', resources: { requests: { memory: '240Mi' } } }] } });
    // A control plane of 2 GiB or more keeps kubeadm's defaults.
    expect(initStep({ ...BASE, memTotalMiB: 4096 }).files.map((f) => f.path)).toEqual(['/etc/hobbykube/kubeadm-init.yaml', KUBELET_PATCH_PATH]);
  });
});

describe('kubeadm join configuration', () => {
  it('carries discovery and registration, no control-plane taint', () => {
    const [join] = docs(renderJoinConfig({ nodeName: 'w1', join: JOIN, kubeletExtraArgs: { 'node-ip': '10.0.0.6' } }));
    expect([join!.apiVersion, join!.kind]).toEqual(['kubeadm.k8s.io/v1beta4', 'JoinConfiguration']);
    expect(join!.discovery.bootstrapToken).toEqual({ apiServerEndpoint: JOIN.endpoint, token: JOIN.token, caCertHashes: JOIN.caCertHashes });
    expect(join!.nodeRegistration).toEqual({
      name: 'w1',
      criSocket: 'unix:///var/run/containerd/containerd.sock',
      kubeletExtraArgs: [{ name: 'node-ip', value: '10.0.0.6' }],
    });
    expect(join!.patches).toEqual({ directory: PATCHES_DIR });
  });

  it('keeps the token out of every script and marks the file secret and 0600', () => {
    const step = joinStep({ nodeName: 'w1', join: JOIN, memTotalMiB: 480, resolvedStub: false });
    expect(step.action).not.toContain(JOIN.token);
    expect(step.probe).not.toContain(JOIN.token);
    const file = step.files.find((f) => f.path === JOIN_CONFIG_PATH)!;
    expect(file.secret).toBe(true);
    expect(file.mode).toBe(0o600);
    expect(file.content).toContain(JOIN.token);
    expect(step.action).toContain(`trap 'rm -f "$config"' EXIT`);
  });

  it('refuses malformed discovery data', () => {
    expect(() => renderJoinConfig({ nodeName: 'w1', join: { ...JOIN, token: 'abc' } })).toThrow(/token/);
    expect(() => renderJoinConfig({ nodeName: 'w1', join: { ...JOIN, caCertHashes: ['md5:x'] } })).toThrow(/hash/);
    expect(() => renderJoinConfig({ nodeName: 'w1', join: { ...JOIN, endpoint: 'host:6443 --x' } })).toThrow(/endpoint/);
  });
});

describe('kubelet patch (per node)', () => {
  it("a 512 MB worker: its own reservations, maxPods, swap allowed with LimitedSwap, resolvConf", () => {
    const [worker] = docs(renderKubeletPatch({ memTotalMiB: 470, role: 'worker', resolvedStub: false }));
    expect(worker).toEqual({
      resolvConf: '/etc/resolv.conf',
      systemReserved: { memory: '80Mi' },
      kubeReserved: { memory: '102Mi' },
      evictionHard: {
        'memory.available': '20Mi',
        'nodefs.available': '10%',
        'nodefs.inodesFree': '5%',
        'imagefs.available': '15%',
        'imagefs.inodesFree': '5%',
      },
      enforceNodeAllocatable: ['pods'],
      maxPods: 11,
      failSwapOn: false,
      memorySwap: { swapBehavior: 'LimitedSwap' },
    });
  });

  it('a 2 GiB worker and a 1 GB control plane: no swap settings', () => {
    const [big] = docs(renderKubeletPatch({ memTotalMiB: 2048, role: 'worker', resolvedStub: false }));
    expect(big).toMatchObject({ systemReserved: { memory: '100Mi' }, kubeReserved: { memory: '412Mi' }, evictionHard: { 'memory.available': '100Mi' } });
    expect(big).not.toHaveProperty('maxPods');
    expect(big).not.toHaveProperty('failSwapOn');
    const [cp] = docs(renderKubeletPatch({ memTotalMiB: 970, role: 'control-plane', resolvedStub: true }));
    expect(cp).not.toHaveProperty('failSwapOn');
    expect(cp).not.toHaveProperty('memorySwap');
  });
});
