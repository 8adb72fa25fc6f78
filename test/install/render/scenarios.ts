// Representative inputs for the render tests: every step of a whole install, per scenario.
import {
  corednsStep,
  dnsCheckStep,
  endpointHostsStep,
  fetchAdminConfStep,
  flannelPublicIpStep,
  flannelStep,
  initStep,
  joinStep,
  mintJoinTokenStep,
  prepareSteps,
  resetStep,
  step,
  swapfileStep,
  waitReadyStep,
  COREDNS_SMALL,
  encryptionStep,
  firewallStep,
  renderInitConfig,
  staleBackendStep,
  type JoinCommand,
  type StepScripts,
} from '../../../src/install/render/index.js';
import { clusterFirewall } from '../../../src/install/firewall.js';
import { validateObject } from '../../../src/spec/validate.js';
import { acmeDirScripts, certManagerRemovalScripts, helmInstallScripts, helmReleaseScripts, TRAEFIK_CHART, traefikValues, valuesYaml } from '../../../src/workloads/addons.js';

/** A workload-side script pair as StepScripts, so the same checks run over it. */
const pair = (describe: string, s: { probe: string; action: string }): StepScripts => step({ describe, ...s });

export const JOIN: JoinCommand = {
  endpoint: '203.0.113.10:6443',
  token: 'abcdef.0123456789abcdef',
  caCertHashes: ['sha256:' + '0123456789abcdef'.repeat(4)],
};

/** cp1, w1 (ingress, sshd also on 2222) and w2 (NAT'd), API open to one IPv4 and one IPv6 network. */
const SECURITY_SPEC = validateObject({
  apiVersion: 'hobbykube.dev/v1alpha1',
  kind: 'Cluster',
  metadata: { name: 'home' },
  spec: {
    nodes: [
      { name: 'cp1', address: '203.0.113.10', role: 'control-plane' },
      { name: 'w1', address: '203.0.113.11', role: 'worker', ssh: { port: 2222 } },
      { name: 'w2', address: '198.51.100.20', role: 'worker' },
    ],
    dns: { upstream: ['1.1.1.1'] },
    ingress: { node: 'w1', email: 'me@example.com' },
    network: { apiAllowedFrom: ['192.0.2.0/24', '2001:db8::/48'] },
  },
}).spec!;
export const SECURITY_FIREWALLS = clusterFirewall(
  SECURITY_SPEC,
  new Map([['w2', { addresses: { source: 'ip' as const, interfaces: [{ device: 'ens3', address: '10.0.0.7', prefix: 24, family: 4 as const }], defaultDevice: 'ens3' }, ssh: { listeningPorts: [22] }, modules: {} } as never]]),
).nodes;

export interface Scenario {
  name: string;
  steps: Array<[string, StepScripts]>;
}

function named(prefix: string, steps: Array<{ id: string; scripts: StepScripts }>): Array<[string, StepScripts]> {
  return steps.map((s) => [`${prefix} ${s.id}`, s.scripts]);
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'Ubuntu 24.04, resolved stub, minor 1.37, tainted 1 GB control plane, 512 MB worker',
    steps: [
      ...named('cp1', prepareSteps({ kubernetesVersion: '1.37', upstreamDns: ['1.1.1.1', '9.9.9.9'], resolvedStub: true })),
      ['cp1 init', initStep({ nodeName: 'cp1', address: '203.0.113.10', kubernetesVersion: '1.37', schedulable: false, memTotalMiB: 970, resolvedStub: true })],
      ['cp1 flannel', flannelStep('wireguard')],
      ['cp1 coredns', corednsStep(['1.1.1.1', '9.9.9.9'])],
      ['cp1 dns-check', dnsCheckStep({ upstreamDns: ['1.1.1.1', '9.9.9.9'] })],
      ['cp1 mint', mintJoinTokenStep()],
      ['w1 join', joinStep({ nodeName: 'w1', join: JOIN, memTotalMiB: 480, resolvedStub: true })],
      ['cp1 wait w1', waitReadyStep('w1')],
      ['cp1 admin.conf', fetchAdminConfStep()],
      ['w1 reset', resetStep('worker')],
      ['cp1 reset', resetStep('control-plane')],
    ],
  },
  {
    name: 'Debian 12, no resolved stub, patch 1.37.2 pinned, schedulable undersized control plane by host name, IPv6 upstream',
    steps: [
      ...named('vps1', prepareSteps({ kubernetesVersion: '1.37.2', upstreamDns: ['2606:4700:4700::1111', '1.0.0.1'], resolvedStub: false })),
      [
        'vps1 init',
        initStep({
          nodeName: 'vps1',
          address: 'vps1.example.com',
          advertiseAddress: '10.0.0.5',
          kubernetesVersion: '1.37.2',
          installedKubeadmVersion: 'v1.37.2',
          clusterName: 'home',
          schedulable: true,
          ignorePreflightErrors: ['NumCPU', 'Mem'],
          kubeletExtraArgs: { 'node-ip': '10.0.0.5' },
          memTotalMiB: 970,
          resolvedStub: false,
        }),
      ],
      ['vps1 flannel', flannelStep('vxlan', '10.244.0.0/16')],
      ['vps1 coredns', corednsStep(['2606:4700:4700::1111', '1.0.0.1'])],
      ['vps1 dns-check', dnsCheckStep({ upstreamDns: ['2606:4700:4700::1111'], externalName: 'example.org.' })],
      ['vps2 join', joinStep({ nodeName: 'vps-2', join: { ...JOIN, endpoint: '[2001:db8::10]:6443' }, memTotalMiB: 1980, resolvedStub: false, kubeletExtraArgs: { 'node-ip': '10.0.0.6' } })],
      ['vps1 wait vps-2', waitReadyStep('vps-2', 120)],
    ],
  },
  {
    name: "NAT'd public addresses: API endpoint name in /etc/hosts, private advertise address, flannel public addresses",
    steps: [
      ['cp1 api-endpoint', endpointHostsStep('api.home.hobbykube.internal', '10.0.0.5')],
      [
        'cp1 init',
        initStep({
          nodeName: 'cp1',
          address: '203.0.113.10',
          advertiseAddress: '10.0.0.5',
          endpointHost: 'api.home.hobbykube.internal',
          certSANs: ['203.0.113.10', 'cp1', '10.0.0.5', 'api.home.hobbykube.internal'],
          kubernetesVersion: '1.37',
          clusterName: 'home',
          schedulable: false,
          kubeletExtraArgs: { 'node-ip': '10.0.0.5' },
          memTotalMiB: 1980,
          resolvedStub: true,
        }),
      ],
      ['cp1 flannel-public-ip', flannelPublicIpStep('cp1', '203.0.113.10')],
      ['w1 api-endpoint', endpointHostsStep('api.home.hobbykube.internal', '203.0.113.10')],
      ['w1 join', joinStep({ nodeName: 'w1', join: { ...JOIN, endpoint: 'api.home.hobbykube.internal:6443' }, memTotalMiB: 970, resolvedStub: false, kubeletExtraArgs: { 'node-ip': '10.0.1.7' } })],
      ['w1 flannel-public-ip', flannelPublicIpStep('w1', '198.51.100.7')],
    ],
  },
  {
    name: "the source document's cluster: small nodes, a swapfile on the 512 MB worker, one CoreDNS, Traefik's ACME",
    steps: [
      ...named('w1', prepareSteps({ kubernetesVersion: '1.37', upstreamDns: ['1.1.1.1'], resolvedStub: true, swapMiB: 960 })),
      ['w1 swapfile 1984', swapfileStep(1984)],
      ['cp1 coredns small', corednsStep(['1.1.1.1'], COREDNS_SMALL)],
      ['cp1 helm', pair('Install helm', helmInstallScripts())],
      ['w1 acme storage', pair('acme.json storage', acmeDirScripts())],
      ['cp1 traefik', pair('Install traefik', helmReleaseScripts(TRAEFIK_CHART, valuesYaml(traefikValues({ node: 'w1', email: 'me@example.com', acme: 'staging' }))))],
      ['cp1 cert-manager removal', pair('Remove cert-manager', certManagerRemovalScripts())],
    ],
  },
  {
    name: 'safe on the internet: host firewalls (control plane, ingress worker, SSH on 2222), Secrets encrypted at rest, a backend switch',
    steps: [
      ...SECURITY_FIREWALLS.map((fw): [string, StepScripts] => [`${fw.node} firewall`, firewallStep(fw)]),
      ['w1 firewall (add-worker)', firewallStep(SECURITY_FIREWALLS[1]!, { describe: 'Host firewall: let w2 in (the only step on w1 when adding a worker)' })],
      [
        'cp1 encryption',
        encryptionStep({
          nodeName: 'cp1',
          keys: [
            { name: 'key2', secret: Buffer.alloc(32, 2).toString('base64') },
            { name: 'key1', secret: Buffer.alloc(32, 1).toString('base64') },
          ],
          initConfig: renderInitConfig({ nodeName: 'cp1', address: '203.0.113.10', kubernetesVersion: '1.37', schedulable: false, memTotalMiB: 970, resolvedStub: true, encryptionKeys: [{ name: 'key2', secret: Buffer.alloc(32, 2).toString('base64') }] }),
        }),
      ],
      ['w1 pod-network cleanup (to WireGuard)', staleBackendStep('wireguard')],
      ['w1 pod-network cleanup (to VXLAN)', staleBackendStep('vxlan')],
      ['cp1 init with encryption', initStep({ nodeName: 'cp1', address: '203.0.113.10', kubernetesVersion: '1.37', schedulable: false, memTotalMiB: 970, resolvedStub: true, encryptionKeys: [{ name: 'key1', secret: Buffer.alloc(32, 1).toString('base64') }] })],
    ],
  },
  {
    name: 'custom pod subnet and Ubuntu 22.04 with the stub',
    steps: [
      ...named('n1', prepareSteps({ kubernetesVersion: '1.31', upstreamDns: ['8.8.8.8'], resolvedStub: true })),
      ['n1 flannel', flannelStep('wireguard', '10.32.0.0/12')],
    ],
  },
];
