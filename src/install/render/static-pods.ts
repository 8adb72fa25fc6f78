// Honest memory requests on a small control plane, through kubeadm's patches directory.
//
// kubeadm's static pods declare no memory request except etcd's 100Mi, so the scheduler cannot see
// the API server, the biggest process on a 1 GB control plane. On a small control plane (MemTotal
// under 2 GiB, see src/node-profile.ts) hobbykube writes one strategic-merge patch per static pod
// (`kube-apiserver+strategic.yaml` ...: kubeadm applies files named `target[suffix][+patchtype]`
// from InitConfiguration.patches.directory when it writes the manifests) with a request close to
// what the component really uses there, and a `corednsdeployment` patch (a kubeadm patch target
// since v1.31, kubernetes/kubernetes#124820) that runs one CoreDNS replica, right-sized, on the
// control plane. A request, never a limit: a limit would let the kernel kill the API server.
//
// Figures (MiB), for a cluster of a few nodes and a few dozen objects:
// - kube-apiserver 240: the source document measured ~25% of a 1 GB node (970 MiB x 25% = 242).
// - etcd 64: the source document measured ~5% (48 MiB); kubeadm requests 100Mi. 64 leaves room for
//   a growing database (estimate).
// - kube-controller-manager 48: ~5% of 1 GB, as measured by the source document.
// - kube-scheduler 24: "many more at ~1%" in the source document; the scheduler is the largest of
//   those (estimate: ~2.5%).
// - CoreDNS 50, one replica: CoreDNS's own sizing guide (coredns/deployment, Scaling_CoreDNS.md):
//   MB = (pods + services) x 0.000858 + 49.1 with the default 10,000-entry cache, which gives
//   49.1 for a small cluster; kubeadm requests 70Mi for each of its 2 replicas. k3s and minikube
//   run one replica too. The limit stays kubeadm's 170Mi.
// Larger control planes keep kubeadm's defaults (and the standard reservation, which sets memory
// aside for the static pods instead).
import { stringify } from 'yaml';
import { nodeProfile } from '../../node-profile.js';
import { PATCHES_DIR, type RemoteFile } from './script.js';

export const STATIC_POD_REQUESTS_MIB = {
  'kube-apiserver': 240,
  etcd: 64,
  'kube-controller-manager': 48,
  'kube-scheduler': 24,
} as const;

export type StaticPod = keyof typeof STATIC_POD_REQUESTS_MIB;

export interface CorednsSizing {
  replicas: number;
  requestMiB: number;
}

/** kubeadm's own CoreDNS: 2 replicas of 70Mi requests (170Mi limit). */
export const COREDNS_KUBEADM: CorednsSizing = { replicas: 2, requestMiB: 70 };
export const COREDNS_SMALL: CorednsSizing = { replicas: 1, requestMiB: 50 };

/** A control plane under 2 GiB: static pods with requests, one CoreDNS. */
export function smallControlPlane(memTotalMiB: number): boolean {
  return nodeProfile(memTotalMiB, 'control-plane').kind === 'small';
}

export function corednsSizing(memTotalMiB: number): CorednsSizing {
  return smallControlPlane(memTotalMiB) ? COREDNS_SMALL : COREDNS_KUBEADM;
}

export const CONTROL_PLANE_LABEL = 'node-role.kubernetes.io/control-plane';

/** The strategic-merge patch for one static pod: its container's memory request. */
export function staticPodPatch(pod: StaticPod): Record<string, unknown> {
  return { spec: { containers: [{ name: pod, resources: { requests: { memory: `${STATIC_POD_REQUESTS_MIB[pod]}Mi` } } }] } };
}

/**
 * The strategic-merge patch for kubeadm's CoreDNS Deployment on a small control plane: one replica,
 * its right-sized request, and kept on the control plane (which the capacity check counts it on;
 * it tolerates the control-plane taint already).
 */
export function corednsPatch(sizing: CorednsSizing = COREDNS_SMALL): Record<string, unknown> {
  return {
    spec: {
      replicas: sizing.replicas,
      template: {
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: CONTROL_PLANE_LABEL, operator: 'Exists' }] }],
              },
            },
          },
          containers: [{ name: 'coredns', resources: { requests: { memory: `${sizing.requestMiB}Mi` } } }],
        },
      },
    },
  };
}

export const patchPath = (target: string): string => `${PATCHES_DIR}/${target}+strategic.yaml`;

/** The patch files a control plane's init needs (none for a control plane of 2 GiB or more). */
export function controlPlanePatchFiles(memTotalMiB: number): RemoteFile[] {
  if (!smallControlPlane(memTotalMiB)) return [];
  const files = (Object.keys(STATIC_POD_REQUESTS_MIB) as StaticPod[]).map((pod) => ({
    path: patchPath(pod),
    content: stringify(staticPodPatch(pod), { lineWidth: 0 }),
    mode: 0o644,
    secret: false,
  }));
  files.push({ path: patchPath('corednsdeployment'), content: stringify(corednsPatch(), { lineWidth: 0 }), mode: 0o644, secret: false });
  return files;
}
