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
  type JoinCommand,
  type StepScripts,
} from '../../../src/install/render/index.js';
import { acmeDirScripts, certManagerRemovalScripts, helmInstallScripts, helmReleaseScripts, TRAEFIK_CHART, traefikValues, valuesYaml } from '../../../src/workloads/addons.js';

/** A workload-side script pair as StepScripts, so the same checks run over it. */
const pair = (describe: string, s: { probe: string; action: string }): StepScripts => step({ describe, ...s });

export const JOIN: JoinCommand = {
  endpoint: '203.0.113.10:6443',
  token: 'abcdef.0123456789abcdef',
  caCertHashes: ['sha256:' + '0123456789abcdef'.repeat(4)],
};

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
      ['cp1 flannel', flannelStep()],
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
      ['vps1 flannel', flannelStep('10.244.0.0/16')],
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
    name: 'custom pod subnet and Ubuntu 22.04 with the stub',
    steps: [
      ...named('n1', prepareSteps({ kubernetesVersion: '1.31', upstreamDns: ['8.8.8.8'], resolvedStub: true })),
      ['n1 flannel', flannelStep('10.32.0.0/12')],
    ],
  },
];
