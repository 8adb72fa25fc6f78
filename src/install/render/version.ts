// Kubernetes versions as the spec writes them ("1.37", "1.37.2") and as kubeadm prints them
// ("v1.37.2"), turned into what the apt repository, the package pins and kubeadm need.

export interface KubernetesVersion {
  /** "1.37": names the pkgs.k8s.io repository. */
  minor: string;
  /** "1.37.2" when a patch release is pinned. */
  patch?: string;
}

export function parseKubernetesVersion(text: string): KubernetesVersion {
  const match = /^v?(1\.\d{1,3})(\.\d{1,3})?$/.exec(text.trim());
  if (!match) throw new Error(`not a Kubernetes version: ${JSON.stringify(text)} (expected "1.37" or "1.37.2")`);
  const minor = match[1]!;
  return match[2] ? { minor, patch: minor + match[2] } : { minor };
}

/** The pkgs.k8s.io apt repository of one minor release (the trailing slash matters to apt). */
export function aptRepositoryUrl(minor: string): string {
  return `https://pkgs.k8s.io/core:/stable:/v${minor}/deb/`;
}

/** Package arguments for apt-get install: pinned to the patch release (`kubeadm=1.37.2-*`) when one is given. */
export function kubernetesPackages(version: KubernetesVersion): string[] {
  const names = ['kubelet', 'kubeadm', 'kubectl'];
  return version.patch ? names.map((name) => `${name}=${version.patch}-*`) : names;
}

/** The output of `kubeadm version -o short` ("v1.37.2"), or undefined when it is not one. */
export function parseKubeadmVersion(output: string): string | undefined {
  const line = output.trim().split('\n').pop()?.trim() ?? '';
  return /^v1\.\d{1,3}\.\d{1,3}$/.test(line) ? line : undefined;
}

/**
 * The `kubernetesVersion` for ClusterConfiguration: the installed kubeadm's own version when the
 * caller knows it (best: control plane and kubelet then share a patch release), else the pinned
 * patch, else undefined, which leaves the field out. Left out, kubeadm looks up the "stable-1"
 * label on dl.k8s.io, falls back to the newest patch of its own minor when that is newer, and to
 * its own version when offline: still the right minor, only the patch is not fixed.
 */
export function clusterKubernetesVersion(spec: KubernetesVersion, installed?: string): string | undefined {
  if (installed !== undefined) {
    const parsed = parseKubernetesVersion(installed);
    if (parsed.minor !== spec.minor) {
      throw new Error(`kubeadm ${installed} is installed but the spec asks for Kubernetes ${spec.patch ?? spec.minor}`);
    }
    if (spec.patch && parsed.patch !== spec.patch) {
      throw new Error(`kubeadm ${installed} is installed but the spec pins Kubernetes ${spec.patch}`);
    }
    if (parsed.patch) return `v${parsed.patch}`;
  }
  return spec.patch ? `v${spec.patch}` : undefined;
}
