// The kernel modules and sysctls the kubeadm install guide asks for: overlay, br_netfilter, IP
// forwarding and bridge netfilter, now and at boot.
import { script, shd, step, type StepScripts } from './script.js';

const MODULES_CONF = 'overlay\nbr_netfilter\n';
const SYSCTL_CONF = 'net.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1\n';

export function kernelStep(): StepScripts {
  return step({
    describe: 'Load overlay and br_netfilter, enable IP forwarding and bridge netfilter (now and at boot)',
    probe: script(shd`
      value_is() { [ -r "$1" ] && [ "$(cat "$1")" = "$2" ]; }
      printf '%s' ${MODULES_CONF} | cmp -s - /etc/modules-load.d/k8s.conf || exit 1
      printf '%s' ${SYSCTL_CONF} | cmp -s - /etc/sysctl.d/k8s.conf || exit 1
      [ -d /sys/module/overlay ] || exit 1
      [ -d /sys/module/br_netfilter ] || exit 1
      value_is /proc/sys/net/ipv4/ip_forward 1 || exit 1
      value_is /proc/sys/net/bridge/bridge-nf-call-iptables 1 || exit 1
      value_is /proc/sys/net/bridge/bridge-nf-call-ip6tables 1 || exit 1
      exit 0`),
    action: script(shd`
      install -d -m 0755 /etc/modules-load.d /etc/sysctl.d
      printf '%s' ${MODULES_CONF} >/etc/modules-load.d/k8s.conf
      printf '%s' ${SYSCTL_CONF} >/etc/sysctl.d/k8s.conf
      modprobe overlay
      modprobe br_netfilter
      sysctl --system >/dev/null
      echo "ip_forward=$(cat /proc/sys/net/ipv4/ip_forward) bridge-nf-call-iptables=$(cat /proc/sys/net/bridge/bridge-nf-call-iptables)"`),
  });
}
