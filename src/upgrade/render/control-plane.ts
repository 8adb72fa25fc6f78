// The control plane's own upgrade: `kubeadm upgrade plan` (a read-only check: the cluster is
// healthy and the version skew allowed), then `kubeadm upgrade apply` to the installed kubeadm's
// version. The patches directory is passed again: kubeadm rewrites the static pod manifests and
// the kubelet's configuration from the cluster's configuration, and without the patches a small
// control plane's static pods lose their memory requests, CoreDNS its one right-sized replica
// (kubeadm#3033: kubeadm resets the Deployment's resources on upgrade) and the kubelet its
// reservations (they are per node, not in the kubelet-config ConfigMap). kubeadm renews the
// control plane's certificates as part of the upgrade (--certificate-renewal, default true).
import { renderKubeletPatch } from '../../install/render/kubeadm-config.js';
import { ADMIN_CONF, KUBELET_PATCH_PATH, PATCHES_DIR, SHELL_HELPERS, script, shd, step, type StepScripts } from '../../install/render/script.js';
import { controlPlanePatchFiles } from '../../install/render/static-pods.js';
import { targetVersion } from './common.js';

/** Done once the cluster's configuration and the API server's manifest name the installed kubeadm's version. */
const controlPlaneAtTarget = (minor: string) => shd`
  ${targetVersion(minor)}
  [ -f ${ADMIN_CONF} ] || exit 1
  config=$(kq -n kube-system get configmap kubeadm-config -o jsonpath='{.data.ClusterConfiguration}' 2>/dev/null) || exit 1
  grep -Eq "^kubernetesVersion: [\\"']?\${target}[\\"']?\\$" <<<"$config" || exit 1
  grep -Eq "^[[:space:]]*image: [^[:space:]]*/kube-apiserver:$target\\$" /etc/kubernetes/manifests/kube-apiserver.yaml || exit 1
  exit 0`;

export function upgradePlanStep(minor: string): StepScripts {
  return step({
    describe: 'Check the upgrade: kubeadm upgrade plan (cluster health, version skew)',
    probe: script(controlPlaneAtTarget(minor), [SHELL_HELPERS.kubectlQuick]),
    action: script(shd`
      target=$(kubeadm version -o short)
      kubeadm upgrade plan "$target"`),
    readOnly: true,
  });
}

export interface UpgradeApplyInput {
  /** MemTotal of the control plane (its kubelet patch and static pod patches, as init wrote them). */
  memTotalMiB: number;
  resolvedStub: boolean;
  /** The upgrade's minor, "1.37". */
  minor: string;
}

export function upgradeApplyStep(input: UpgradeApplyInput): StepScripts {
  return step({
    describe: 'Upgrade the control plane: kubeadm upgrade apply, with hobbykube\'s patches (static pods, CoreDNS, kubelet)',
    files: [
      { path: KUBELET_PATCH_PATH, content: renderKubeletPatch({ memTotalMiB: input.memTotalMiB, role: 'control-plane', resolvedStub: input.resolvedStub }), mode: 0o644, secret: false },
      ...controlPlanePatchFiles(input.memTotalMiB),
    ],
    probe: script(controlPlaneAtTarget(input.minor), [SHELL_HELPERS.kubectlQuick]),
    action: script(shd`
      target=$(kubeadm version -o short)
      # kubeadm upgrade is idempotent: after an interruption it is simply run again.
      kubeadm upgrade apply "$target" --yes --patches ${PATCHES_DIR}`),
  });
}
