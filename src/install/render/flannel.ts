// The flannel pod network, pinned to one release, its net-conf.json set to the cluster's pod subnet.
import { isIP } from 'node:net';
import { SHELL_HELPERS, script, shd, step, type StepScripts } from './script.js';
import { DEFAULT_POD_SUBNET } from './kubeadm-config.js';

/**
 * flannel, pinned. v0.28.9 is the newest release found (flannel-io/flannel PR #2525 "Prepare for
 * release v0.28.9", 2026-08-06; downstream bumps to it on 2026-07-27/08-08); flannel's docs ask
 * for the release asset, not Documentation/kube-flannel.yml from the default branch (PR #2527).
 */
export const FLANNEL_VERSION = 'v0.28.9';
export const FLANNEL_MANIFEST_URL = `https://github.com/flannel-io/flannel/releases/download/${FLANNEL_VERSION}/kube-flannel.yml`;

export function flannelStep(podSubnet: string = DEFAULT_POD_SUBNET): StepScripts {
  if (!/^[0-9.]+\/\d{1,2}$/.test(podSubnet) || isIP(podSubnet.split('/')[0]!) !== 4) throw new Error(`flannel needs an IPv4 pod subnet, got ${podSubnet}`);
  const network = `"Network": "${podSubnet}"`;
  return step({
    describe: `Install the flannel pod network ${FLANNEL_VERSION} (pods in ${podSubnet})`,
    probe: script(
      shd`
      image=$(kq -n kube-flannel get daemonset kube-flannel-ds -o jsonpath='{.spec.template.spec.containers[0].image}' 2>/dev/null) || exit 1
      case "$image" in *${':' + FLANNEL_VERSION}) ;; *) exit 1 ;; esac
      netconf=$(kq -n kube-flannel get configmap kube-flannel-cfg -o jsonpath='{.data.net-conf\\.json}' 2>/dev/null) || exit 1
      grep -Fq ${network} <<<"$netconf" || exit 1
      exit 0`,
      [SHELL_HELPERS.kubectlQuick],
    ),
    action: script(
      shd`
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
      curl -fsSL --retry 3 -o "$work/kube-flannel.yml" ${FLANNEL_MANIFEST_URL}
      # The manifest's net-conf.json must name the cluster's pod subnet (kubeadm's podSubnet).
      sed -E -i ${'s#"Network": "[0-9./]+"#' + network + '#'} "$work/kube-flannel.yml"
      if ! grep -Fq ${network} "$work/kube-flannel.yml"; then
        echo "the flannel manifest has no net-conf.json Network line to set" >&2
        exit 1
      fi
      kc apply -f "$work/kube-flannel.yml"
      kc -n kube-flannel rollout status daemonset/kube-flannel-ds --timeout=180s`,
      [SHELL_HELPERS.kubectl],
    ),
  });
}
