// On each node, after its kubeadm: kubelet and kubectl pinned to the installed kubeadm's release
// (unhold, install, hold), then the kubelet restarted so it runs the new version with the
// configuration kubeadm upgrade wrote. Done when the node reports that version.
import { checkNodeName, SHELL_HELPERS, script, shd, step, type StepScripts } from '../../install/render/script.js';
import { nodeReader, reportedVersion, targetVersion, type NodeCredentials } from './common.js';

export function kubeletPackageStep(nodeName: string, credentials: NodeCredentials, minor: string): StepScripts {
  checkNodeName(nodeName);
  return step({
    describe: `Upgrade kubelet and kubectl on ${nodeName} to kubeadm's release (unhold, install, hold) and restart the kubelet`,
    probe: script(
      shd`
      ${targetVersion(minor)}
      [ "$(kubelet --version 2>/dev/null || true)" = "Kubernetes $target" ] || exit 1
      client=$(kubectl version --client 2>/dev/null || true)
      grep -qx "Client Version: $target" <<<"$client" || exit 1
      held=$(apt-mark showhold 2>/dev/null || true)
      for package in kubelet kubectl; do grep -qx "$package" <<<"$held" || exit 1; done
      systemctl is-active --quiet kubelet || exit 1
      ${reportedVersion(nodeName)}
      [ "$reported" = "$target" ] || exit 1
      exit 0`,
      [nodeReader(credentials)],
    ),
    action: script(
      shd`
      target=$(kubeadm version -o short)
      release=\${target#v}
      apt-mark unhold kubelet kubectl >/dev/null
      apt_get install -y --allow-change-held-packages "kubelet=$release-*" "kubectl=$release-*"
      apt-mark hold kubelet kubectl >/dev/null
      systemctl daemon-reload
      systemctl restart kubelet
      echo "kubelet and kubectl $target installed and held; kubelet restarted"`,
      [SHELL_HELPERS.apt],
    ),
  });
}
