// flannel as hobbykube renders it: every object valid against the Kubernetes schemas, net-conf.json
// in flannel's documented format for the chosen backend, nothing downloaded.
import { describe, expect, it } from 'vitest';
import { BACKEND_DEVICE, FLANNEL_CNI_PLUGIN_IMAGE, FLANNEL_IMAGE, flannelObjects, netConf, staleBackendStep } from '../../../src/install/render/index.js';
import { MODELS } from '../../support/k8s-schemas.js';

/**
 * net-conf.json's keys as flannel documents them (Documentation/configuration.md and backends.md
 * of v0.28.9): the top level, and per backend type the options flannel reads
 * (pkg/backend/wireguard/wireguard.go: ListenPort, ListenPortV6, PSK, PersistentKeepaliveInterval
 * in seconds, Mode; vxlan: VNI, Port, GBP, DirectRouting, MTU, MacPrefix).
 */
const TOP = ['Network', 'IPv6Network', 'EnableIPv4', 'EnableIPv6', 'EnableNFTables', 'SubnetLen', 'SubnetMin', 'SubnetMax', 'Backend'];
const BACKENDS: Record<string, string[]> = {
  wireguard: ['Type', 'ListenPort', 'ListenPortV6', 'PSK', 'PersistentKeepaliveInterval', 'Mode'],
  vxlan: ['Type', 'VNI', 'Port', 'GBP', 'DirectRouting', 'MTU', 'MacPrefix'],
};

describe('flannel', () => {
  for (const backend of ['wireguard', 'vxlan'] as const) {
    it(`${backend}: every object validates against the Kubernetes schemas`, () => {
      for (const o of flannelObjects(backend)) {
        const Model = MODELS[`${o.apiVersion as string}/${o.kind as string}`];
        expect(Model, `${o.kind as string} has a schema`).toBeDefined();
        expect(() => new Model!(o).validate()).not.toThrow();
      }
    });

    it(`${backend}: net-conf.json uses only keys flannel documents, with numbers where flannel wants numbers`, () => {
      const conf = netConf(backend) as { Backend: Record<string, unknown> } & Record<string, unknown>;
      for (const k of Object.keys(conf)) expect(TOP, k).toContain(k);
      for (const k of Object.keys(conf.Backend)) expect(BACKENDS[backend], k).toContain(k);
      expect(conf.Backend.Type).toBe(backend);
      for (const k of ['ListenPort', 'PersistentKeepaliveInterval', 'Port']) if (k in conf.Backend) expect(typeof conf.Backend[k], k).toBe('number');
    });
  }

  it('the DaemonSet keeps the release manifest\'s names and selector (an earlier cluster\'s DaemonSet is updated in place), with a memory limit', () => {
    const ds = flannelObjects('wireguard').find((o) => o.kind === 'DaemonSet') as any;
    expect(ds.metadata).toMatchObject({ name: 'kube-flannel-ds', namespace: 'kube-flannel' });
    expect(ds.spec.selector).toEqual({ matchLabels: { app: 'flannel', 'k8s-app': 'flannel' } });
    expect(ds.spec.template.metadata.labels).toMatchObject(ds.spec.selector.matchLabels);
    const images = [...ds.spec.template.spec.initContainers, ...ds.spec.template.spec.containers].map((c: { image: string }) => c.image);
    expect(images).toEqual([FLANNEL_CNI_PLUGIN_IMAGE, FLANNEL_IMAGE, FLANNEL_IMAGE]);
    expect(ds.spec.template.spec.containers[0].resources.limits.memory).toBe('50Mi');
    // A new net-conf rolls the pods (flanneld reads it only when it starts).
    const annotation = (b: 'wireguard' | 'vxlan') => (flannelObjects(b).find((o) => o.kind === 'DaemonSet') as any).spec.template.metadata.annotations['hobbykube.dev/net-conf-sha256'];
    expect(annotation('wireguard')).not.toBe(annotation('vxlan'));
  });

  it('after a backend switch each node drops the old interface, and only that', () => {
    expect(BACKEND_DEVICE).toEqual({ wireguard: 'flannel-wg', vxlan: 'flannel.1' });
    expect(staleBackendStep('wireguard').action).toContain("ip link delete flannel.1");
    expect(staleBackendStep('vxlan').action).toContain("ip link delete flannel-wg");
    expect(staleBackendStep('wireguard').probe).toContain('if ip link show flannel.1 >/dev/null 2>&1; then exit 1; fi');
  });
});
