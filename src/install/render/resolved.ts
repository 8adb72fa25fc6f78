// systemd-resolved's upstream servers, only where /etc/resolv.conf is its 127.0.0.53 stub, and the
// resolv.conf the kubelet hands to pods (never the stub: inside a pod it is the pod itself).
import { isIPv4, isIPv6 } from 'node:net';
import { dnsServer } from '../../spec/rules.js';
import { script, shd, step, type StepScripts } from './script.js';

export const RESOLVED_DROP_IN = '/etc/systemd/resolved.conf.d/hobbykube.conf';

export function resolvedDropIn(upstreamDns: readonly string[]): string {
  if (upstreamDns.length === 0) throw new Error('no upstream DNS servers given');
  for (const server of upstreamDns) {
    const problem = dnsServer(server);
    if (problem !== undefined || !(isIPv4(server) || isIPv6(server))) throw new Error(`not an upstream DNS server: ${server} (${problem})`);
  }
  return [
    '# Written by hobbykube: the upstream resolvers of this node. /run/systemd/resolve/resolv.conf',
    '# lists them, and the kubelet hands that file (not the 127.0.0.53 stub) to pods and CoreDNS.',
    '[Resolve]',
    `DNS=${upstreamDns.join(' ')}`,
    '',
  ].join('\n');
}

/** Only for nodes whose /etc/resolv.conf is systemd-resolved's stub. */
export function resolvedStep(upstreamDns: readonly string[]): StepScripts {
  const content = resolvedDropIn(upstreamDns);
  return step({
    describe: `Give systemd-resolved the upstream DNS servers ${upstreamDns.join(', ')}`,
    probe: script(shd`
      printf '%s' ${content} | cmp -s - ${RESOLVED_DROP_IN} || exit 1
      exit 0`),
    action: script(shd`
      install -d -m 0755 /etc/systemd/resolved.conf.d
      printf '%s' ${content} >${RESOLVED_DROP_IN}
      chmod 0644 ${RESOLVED_DROP_IN}
      systemctl restart systemd-resolved
      echo "systemd-resolved now forwards to:" ${[...upstreamDns]}`),
  });
}

/** The resolv.conf the kubelet gives pods: resolved's real upstream list where the stub is in use. */
export function kubeletResolvConf(resolvedStub: boolean): string {
  return resolvedStub ? '/run/systemd/resolve/resolv.conf' : '/etc/resolv.conf';
}
