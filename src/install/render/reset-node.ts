// `kubeadm reset` and the clean-up kubeadm leaves to us, for one node; and what it wipes, in words
// for the confirmation (the reset plan over nodes is src/install/reset.ts).
import { raw } from '../../shell/quote.js';
import type { NodeRole } from '../../spec/types.js';
import { NODE_DIR, REDACT_FUNCTION, script, shd, step, type StepScripts } from './script.js';
import { HOSTS_CLEANUP, HOSTS_MARK } from './api-endpoint.js';
import { SWAP_CLEANUP, SWAP_LEFT_CHECK } from './swapfile.js';
import { FIREWALL_CLEANUP, FIREWALL_LEFT_CHECK } from './firewall.js';

/** What a reset wipes, in words for the confirmation prompt. */
export function resetWipes(role: NodeRole): string[] {
  return [
    'everything kubeadm set up on the node (kubeadm reset -f): /etc/kubernetes (certificates, kubeconfigs, static pod manifests), /var/lib/kubelet, the node\'s containers',
    ...(role === 'control-plane' ? ['the cluster\'s database: /var/lib/etcd (every object in the cluster is gone)'] : []),
    'the pod network configuration /etc/cni/net.d, flannel\'s /run/flannel and its network interfaces cni0, flannel-wg (WireGuard) and flannel.1 (VXLAN)',
    'iptables and ip6tables rules in chains created by kube-proxy, flannel and the CNI plugins (KUBE-*, FLANNEL-*, CNI-*); other rules, such as a host firewall, are kept',
    'root\'s kubeconfig /root/.kube/config',
    'hobbykube\'s host firewall (nftables table inet hobbykube and the unit that loads it at boot): the Kubernetes ports it closed answer again; SSH was never closed',
    `hobbykube's kubeadm configuration and patches in ${NODE_DIR}, and its API endpoint line in /etc/hosts (NAT'd control plane)`,
    "hobbykube's swapfile (small workers) and its line in /etc/fstab; other swap is left alone",
    `kept: the installed packages (containerd.io 2.x with its config, kubelet, kubeadm, kubectl) and their apt repositories${role === 'control-plane' ? ', helm and the checked Traefik chart archive in /var/cache/hobbykube' : ''}, so the node can join again quickly`,
  ];
}

export function resetStep(role: NodeRole): StepScripts {
  return step({
    describe: `Reset the node (kubeadm reset -f and clean up)${role === 'control-plane' ? ': deletes the cluster' : ''}`,
    probe: script(shd`
      # Done when nothing kubeadm made is left.
      for path in /etc/kubernetes/kubelet.conf /etc/kubernetes/admin.conf /etc/kubernetes/manifests/kube-apiserver.yaml /etc/cni/net.d /var/lib/etcd/member; do
        [ -e "$path" ] && exit 1
      done
      if grep -Fq ${HOSTS_MARK} /etc/hosts 2>/dev/null; then exit 1; fi
      ${raw(SWAP_LEFT_CHECK.split('\n').join('\n      '))}
      ${raw(FIREWALL_LEFT_CHECK.split('\n').join('\n      '))}
      exit 0`),
    action: script(
      shd`
      if command -v kubeadm >/dev/null 2>&1; then
        kubeadm reset -f 2>&1 | redact
      fi
      # kubeadm reset leaves the CNI configuration, iptables rules and kubeconfig copies behind.
      rm -rf /etc/cni/net.d /run/flannel
      for link in cni0 flannel-wg flannel.1; do
        if ip link show "$link" >/dev/null 2>&1; then ip link delete "$link"; fi
      done
      # Only rules in kube-proxy's, flannel's and the CNI plugins' chains: a blanket flush would
      # also drop a host firewall's rules while keeping its DROP policy, locking out SSH.
      for tool in iptables ip6tables; do
        if command -v "$tool-save" >/dev/null 2>&1; then
          rules=$("$tool-save")
          { grep -Ev 'KUBE-|FLANNEL|CNI-|cni0|flannel\\.' <<<"$rules" || true; } | "$tool-restore"
        fi
      done
      rm -f /root/.kube/config
      rm -rf ${NODE_DIR}
      ${raw(HOSTS_CLEANUP)}
      # hobbykube's swapfile (small workers): off, deleted, out of /etc/fstab.
      ${raw(SWAP_CLEANUP.split('\n').join('\n      '))}
      ${raw(role === 'control-plane' ? 'rm -rf /var/lib/etcd' : ': # a worker has no etcd data')}
      ${raw(FIREWALL_CLEANUP.split('\n').join('\n      '))}
      echo "reset done"`,
      [REDACT_FUNCTION],
    ),
  });
}
