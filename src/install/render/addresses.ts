// Steps for nodes whose public address is NAT'd (see src/install/addresses.ts for the decision):
// the API endpoint name in /etc/hosts, and flannel's public address per node.
import { isIPv4 } from 'node:net';
import { nodeName as nodeNameRule } from '../../spec/rules.js';
import { raw } from '../../shell/quote.js';
import { SHELL_HELPERS, script, shd, step, type StepScripts } from './script.js';

/** Marks the /etc/hosts line hobbykube owns; reset removes lines carrying it. */
export const HOSTS_MARK = '# hobbykube: the cluster API endpoint';
export const FLANNEL_PUBLIC_IP = 'flannel.alpha.coreos.com/public-ip';
export const FLANNEL_PUBLIC_IP_OVERWRITE_KEY = 'flannel.alpha.coreos.com/public-ip-overwrite';

function checkName(name: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(name) || name.length > 253) throw new Error(`not a host name: ${name}`);
}

function checkIPv4(ip: string): void {
  if (!isIPv4(ip)) throw new Error(`not an IPv4 address: ${ip}`);
}

/** Removes every line carrying HOSTS_MARK from /etc/hosts, in place (owner, mode and inode kept). */
export const HOSTS_CLEANUP = shd`
  if grep -Fq ${HOSTS_MARK} /etc/hosts 2>/dev/null; then
    hosts_tmp=$(mktemp)
    grep -Fv ${HOSTS_MARK} /etc/hosts >"$hosts_tmp" || true
    cat "$hosts_tmp" >/etc/hosts
    rm -f "$hosts_tmp"
  fi`;

/** `IP NAME # mark` in this node's /etc/hosts: how the node reaches the API endpoint name. */
export function endpointHostsStep(name: string, ip: string): StepScripts {
  checkName(name);
  checkIPv4(ip);
  const entry = `${ip} ${name} ${HOSTS_MARK}`;
  return step({
    describe: `Map the API endpoint ${name} to ${ip} in /etc/hosts`,
    probe: script(shd`
      [ "$(grep -Fc ${HOSTS_MARK} /etc/hosts 2>/dev/null || true)" = 1 ] || exit 1
      grep -Fxq ${entry} /etc/hosts || exit 1
      exit 0`),
    action: script(shd`
      ${raw(HOSTS_CLEANUP)}
      tmp=$(mktemp)
      trap 'rm -f "$tmp"' EXIT
      # Any other line naming the endpoint would shadow ours.
      awk -v name=${name} '{ for (i = 2; i <= NF; i++) if ($i == name) next; print }' /etc/hosts >"$tmp"
      printf '%s\\n' ${entry} >>"$tmp"
      cat "$tmp" >/etc/hosts
      getent hosts ${name} || { echo ${name + ' does not resolve after writing /etc/hosts (check /etc/nsswitch.conf)'} >&2; exit 1; }`),
  });
}

/**
 * flannel's VXLAN peers reach a NAT'd node at its public address: the node gets flannel's
 * public-ip-overwrite annotation. flanneld reads it when it starts on that node, so a flanneld
 * that already registered another address (its `public-ip` annotation) is restarted, and the step
 * waits until the node is registered with the public address. Runs on the control plane.
 */
export function flannelPublicIpStep(nodeName: string, publicIp: string): StepScripts {
  const problem = nodeNameRule(nodeName);
  if (problem !== undefined) throw new Error(`node name ${JSON.stringify(nodeName)}: expected ${problem}`);
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
