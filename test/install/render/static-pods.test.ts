// The small control plane's kubeadm patches: honest memory requests for the static pods, one
// right-sized CoreDNS kept on the control plane. Applied (strategic merge, as kubeadm does) to
// objects shaped like kubeadm's own, the results validate against the Kubernetes schemas.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COREDNS_KUBEADM, COREDNS_SMALL, PATCHES_DIR, STATIC_POD_REQUESTS_MIB, controlPlanePatchFiles, corednsPatch, corednsSizing, staticPodPatch, type StaticPod } from '../../../src/install/render/index.js';
import { MODELS } from '../../support/k8s-schemas.js';

type Obj = Record<string, any>;
/** Strategic merge as far as these patches need it: maps merge, lists of named items merge by name. */
function merge(target: any, patch: any): any {
  if (Array.isArray(patch)) {
    if (!Array.isArray(target) || !patch.every((x) => typeof x?.name === 'string')) return patch;
    const out = target.map((x: Obj) => ({ ...x }));
    for (const item of patch) {
      const i = out.findIndex((x: Obj) => x.name === item.name);
      if (i < 0) out.push(item);
      else out[i] = merge(out[i], item);
    }
    return out;
  }
  if (patch === null || typeof patch !== 'object') return patch;
  const out: Obj = target && typeof target === 'object' ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) out[k] = merge(out[k], v);
  return out;
}

const kubeadmPod = (name: string, cpu: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'kube-system' },
  spec: { hostNetwork: true, priorityClassName: 'system-node-critical', containers: [{ name, image: `registry.k8s.io/${name}:v1.37.1`, command: [name], resources: { requests: { cpu } } }] },
});
const kubeadmCoredns = (): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'coredns', namespace: 'kube-system' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    template: {
      metadata: { labels: { 'k8s-app': 'kube-dns' } },
      spec: {
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
        containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.1', resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } } }],
      },
    },
  },
});

describe('kubeadm patches on a small control plane', () => {
  it('each static pod keeps its container and CPU request and gains its memory request; the result is a valid Pod', () => {
    for (const [pod, mib] of Object.entries(STATIC_POD_REQUESTS_MIB) as Array<[StaticPod, number]>) {
      const patched = merge(kubeadmPod(pod, '250m'), staticPodPatch(pod));
      expect(patched.spec.containers).toHaveLength(1);
      expect(patched.spec.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: `${mib}Mi` } });
      expect(patched.spec.containers[0].resources.limits).toBeUndefined();
      expect(() => new MODELS['v1/Pod']!(patched).validate(), pod).not.toThrow();
    }
  });

  it("CoreDNS: one replica of 50Mi (limit kept at kubeadm's 170Mi), required on the control plane; a valid Deployment", () => {
    const patched = merge(kubeadmCoredns(), corednsPatch());
    expect(patched.spec.replicas).toBe(1);
    expect(patched.spec.template.spec.containers[0].resources).toEqual({ limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '50Mi' } });
    expect(patched.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] },
    ]);
    expect(patched.spec.template.spec.tolerations).toEqual(kubeadmCoredns().spec.template.spec.tolerations);
    expect(() => new MODELS['apps/v1/Deployment']!(patched).validate()).not.toThrow();
  });

  it('files are named as kubeadm reads them, only for a control plane under 2 GiB', () => {
    const files = controlPlanePatchFiles(970);
    expect(files.map((f) => f.path)).toEqual(
      ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler', 'corednsdeployment'].map((t) => `${PATCHES_DIR}/${t}+strategic.yaml`),
    );
    for (const f of files) expect(parse(f.content)).toBeTypeOf('object');
    expect(controlPlanePatchFiles(2048)).toEqual([]);
    expect(corednsSizing(970)).toEqual(COREDNS_SMALL);
    expect(corednsSizing(4096)).toEqual(COREDNS_KUBEADM);
  });
});
