// Shell snippets the upgrade's steps share. The version every node is brought to is the one the
// control plane's kubeadm has once its package step ran (`kubeadm version -o short`, "v1.37.1"):
// the kubelet and kubectl packages are pinned to it, and "done" means a node reports it.
import { ADMIN_CONF, checkNodeName } from '../../install/render/script.js';
import { raw, sh, type Raw } from '../../shell/quote.js';
import { parseKubernetesVersion } from '../../install/render/version.js';
import { kubeadmVersionPattern } from '../../install/render/kubernetes-packages.js';

export const KUBELET_CONF = '/etc/kubernetes/kubelet.conf';

/** Which credentials a script on this node reads the Node object with: admin.conf on the control plane, the kubelet's own elsewhere. */
export type NodeCredentials = 'admin' | 'kubelet';

/** A kubectl function `kn` for quick reads with those credentials (a node may get its own Node object). */
export function nodeReader(credentials: NodeCredentials): string {
  return `kn() { kubectl --kubeconfig ${credentials === 'admin' ? ADMIN_CONF : KUBELET_CONF} --request-timeout=20s "$@"; }`;
}

/** Sets `reported` to the kubelet version node NAME reports to the API server ("" when unknown). Needs `kn`. */
export function reportedVersion(nodeName: string): Raw {
  checkNodeName(nodeName);
  return raw(sh`reported=$(kn get node ${nodeName} -o jsonpath='{.status.nodeInfo.kubeletVersion}' 2>/dev/null || true)`);
}

/**
 * Sets `target` to the installed kubeadm's version, or exits 1 ("must run") when there is none or
 * it is not of the upgrade's minor yet: before the new kubeadm is in, every later step must run
 * (so the plan shown before anything runs forecasts them as such, not as "done" at the old version).
 */
export function targetVersion(minor: string): Raw {
  const m = parseKubernetesVersion(minor).minor;
  return raw(`target=$(kubeadm version -o short 2>/dev/null) || exit 1
case "$target" in
  ${kubeadmVersionPattern(m)}) ;;
  *) exit 1 ;;
esac`);
}
