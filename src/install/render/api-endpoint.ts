// A NAT'd control plane's API endpoint name in a node's /etc/hosts (see src/facts/addressing.ts
// for the decision): the control plane maps it to its private address, workers to the public one.
import { raw } from '../../shell/quote.js';
import { checkIPv4, script, shd, step, type StepScripts } from './script.js';

/** Marks the /etc/hosts line hobbykube owns; reset removes lines carrying it. */
export const HOSTS_MARK = '# hobbykube: the cluster API endpoint';

function checkName(name: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(name) || name.length > 253) throw new Error(`not a host name: ${name}`);
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
