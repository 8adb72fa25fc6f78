// flannel's public address for a NAT'd node (see src/facts/addressing.ts): the public-ip-overwrite
// annotation, and a restart of that node's flanneld when it registered another address.
import { SHELL_HELPERS, checkIPv4, checkNodeName, script, shd, step, type StepScripts } from './script.js';

export const FLANNEL_PUBLIC_IP = 'flannel.alpha.coreos.com/public-ip';
export const FLANNEL_PUBLIC_IP_OVERWRITE_KEY = 'flannel.alpha.coreos.com/public-ip-overwrite';

/**
 * flannel's VXLAN peers reach a NAT'd node at its public address: the node gets flannel's
 * public-ip-overwrite annotation. flanneld reads it when it starts on that node, so a flanneld
 * that already registered another address (its `public-ip` annotation) is restarted, and the step
 * waits until the node is registered with the public address. Runs on the control plane.
 */
export function flannelPublicIpStep(nodeName: string, publicIp: string): StepScripts {
  checkNodeName(nodeName);
  checkIPv4(publicIp);
  const annotation = (key: string) => `{.metadata.annotations.${key.replace(/\./g, '\\.')}}`;
  return step({
    describe: `Tell flannel to reach ${nodeName} at its public address ${publicIp}`,
    probe: script(
      shd`
      want=$(kq get node ${nodeName} -o jsonpath=${annotation(FLANNEL_PUBLIC_IP_OVERWRITE_KEY)} 2>/dev/null) || exit 1
      [ "$want" = ${publicIp} ] || exit 1
      got=$(kq get node ${nodeName} -o jsonpath=${annotation(FLANNEL_PUBLIC_IP)} 2>/dev/null) || exit 1
      [ -z "$got" ] || [ "$got" = ${publicIp} ] || exit 1
      exit 0`,
      [SHELL_HELPERS.kubectlQuick],
    ),
    action: script(
      shd`
      kc annotate node ${nodeName} ${`${FLANNEL_PUBLIC_IP_OVERWRITE_KEY}=${publicIp}`} --overwrite
      registered() { kc get node ${nodeName} -o jsonpath=${annotation(FLANNEL_PUBLIC_IP)} 2>/dev/null || true; }
      got=$(registered)
      if [ -n "$got" ] && [ "$got" != ${publicIp} ]; then
        echo "flannel on" ${nodeName} "registered $got; restarting it there so it uses" ${publicIp}
        kc -n kube-flannel delete pod -l app=flannel --field-selector ${`spec.nodeName=${nodeName}`} --wait=false
        for _ in $(seq 1 60); do
          got=$(registered)
          if [ "$got" = ${publicIp} ]; then break; fi
          sleep 2
        done
        if [ "$got" != ${publicIp} ]; then
          echo "flannel on" ${nodeName} "still reports public-ip '$got' after its restart" >&2
          exit 1
        fi
      fi
      echo "flannel peers reach" ${nodeName} "at" ${publicIp}`,
      [SHELL_HELPERS.kubectl],
    ),
  });
}
