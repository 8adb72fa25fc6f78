// CoreDNS's Corefile with `forward .` pointed at the spec's upstream servers (never the node's
// 127.0.0.53 stub), and on a small control plane its size (static-pods.ts).
import { kubeYaml } from '../../kubeyaml.js';
import { SHELL_HELPERS, script, shd, step, type StepScripts } from './script.js';
import { resolvedDropIn } from './resolved.js';
import { COREDNS_KUBEADM, corednsPatch, type CorednsSizing } from './static-pods.js';

/** kubeadm's default Corefile, with `forward .` pointed at the given servers instead of /etc/resolv.conf. */
export function renderCorefile(upstreamDns: readonly string[]): string {
  resolvedDropIn(upstreamDns); // validates: IPs, no loopback stub, at least one
  return [
    '.:53 {',
    '    errors',
    '    health {',
    '       lameduck 5s',
    '    }',
    '    ready',
    '    kubernetes cluster.local in-addr.arpa ip6.arpa {',
    '       pods insecure',
    '       fallthrough in-addr.arpa ip6.arpa',
    '       ttl 30',
    '    }',
    '    prometheus :9153',
    `    forward . ${upstreamDns.join(' ')} {`,
    '       max_concurrent 1000',
    '    }',
    '    cache 30',
    '    loop',
    '    reload',
    '    loadbalance',
    '}',
    '',
  ].join('\n');
}

export function renderCorednsConfigMap(upstreamDns: readonly string[]): string {
  return kubeYaml({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'coredns', namespace: 'kube-system' },
    data: { Corefile: renderCorefile(upstreamDns) },
  });
}

/**
 * CoreDNS's Corefile, and on a small control plane its size (one replica, right-sized request, on
 * the control plane: static-pods.ts). kubeadm applies the same patch at init; this step also
 * brings a cluster made by an earlier hobbykube (two replicas) to it.
 */
export function corednsStep(upstreamDns: readonly string[], sizing: CorednsSizing = COREDNS_KUBEADM): StepScripts {
  const corefile = renderCorefile(upstreamDns);
  const resize = sizing.replicas !== COREDNS_KUBEADM.replicas || sizing.requestMiB !== COREDNS_KUBEADM.requestMiB;
  const sizeProbe = resize
    ? shd`
      replicas=$(kq -n kube-system get deployment coredns -o jsonpath='{.spec.replicas}' 2>/dev/null) || exit 1
      [ "$replicas" = ${String(sizing.replicas)} ] || exit 1
      request=$(kq -n kube-system get deployment coredns -o jsonpath='{.spec.template.spec.containers[0].resources.requests.memory}' 2>/dev/null) || exit 1
      [ "$request" = ${`${sizing.requestMiB}Mi`} ] || exit 1`
    : '';
  const sizeAction = resize
    ? shd`
      # One replica, its right-sized request, kept on the control plane (a strategic merge patch).
      kc -n kube-system patch deployment coredns --type=strategic -p ${JSON.stringify(corednsPatch(sizing))}`
    : '';
  return step({
    describe: resize
      ? `Point CoreDNS at the upstream DNS servers ${upstreamDns.join(', ')}; ${sizing.replicas} replica of ${sizing.requestMiB} MiB on the control plane`
      : `Point CoreDNS at the upstream DNS servers ${upstreamDns.join(', ')}`,
    probe: script(
      [
        shd`
      current=$(kq -n kube-system get configmap coredns -o jsonpath='{.data.Corefile}' 2>/dev/null) || exit 1
      [ "$current" = ${corefile.trimEnd()} ] || exit 1`,
        sizeProbe,
        'exit 0',
      ]
        .filter(Boolean)
        .join('\n'),
      [SHELL_HELPERS.kubectlQuick],
    ),
    action: script(
      [
        shd`
      printf '%s' ${renderCorednsConfigMap(upstreamDns)} | kc apply -f -`,
        sizeAction,
        shd`
      # CoreDNS's reload plugin would notice within a minute or two; a restart makes it now.
      kc -n kube-system rollout restart deployment coredns
      kc -n kube-system rollout status deployment coredns --timeout=180s`,
      ]
        .filter(Boolean)
        .join('\n'),
      [SHELL_HELPERS.kubectl],
    ),
  });
}
