// The cluster DNS check: a short-lived pod resolves a cluster name and an outside name; the
// parser of its report explains a failure in plain words. A passed check is remembered as an
// annotation on the coredns ConfigMap (the probe's memory).
import { createHash } from 'node:crypto';
import { raw } from '../../shell/quote.js';
import { SHELL_HELPERS, script, shd, step, type StepScripts } from './script.js';
import { renderCorefile } from './coredns.js';

export const DNS_CHECK_POD = 'hobbykube-dns-check';
export const DNS_CHECK_IMAGE = 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1';
export const INTERNAL_NAME = 'kubernetes.default.svc.cluster.local';
/** Pod settings for the check pods: any node (taints tolerated), no token, unprivileged, tiny. */
const DNS_CHECK_OVERRIDES = JSON.stringify({
  apiVersion: 'v1',
  spec: {
    tolerations: [{ operator: 'Exists' }],
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: { runAsNonRoot: true, runAsUser: 65534 },
  },
});
/** Marks the coredns ConfigMap with the Corefile hash a check passed for: the probe's memory. */
export const DNS_VERIFIED_ANNOTATION = 'hobbykube.dev/dns-verified';

export interface DnsLookupOptions {
  /** Pod names are `<prefix>-internal` and `<prefix>-external`. */
  podPrefix: string;
  /** Tries per name, 3 s apart. */
  attempts: number;
  /** kubectl run's --pod-running-timeout (a Go duration: 2m, 60s). */
  podRunningTimeout: string;
  /** Delete a pod of the same name left by an earlier, interrupted run first. */
  deleteLeftover: boolean;
}

/** The install's DNS check: a leftover pod is removed, five tries per name. */
export const INSTALL_LOOKUP: DnsLookupOptions = { podPrefix: DNS_CHECK_POD, attempts: 5, podRunningTimeout: '2m', deleteLeftover: true };

/**
 * The shell function `lookup WHAT NAME` behind the DNS check (install and `hobbykube doctor`): one
 * short-lived pod per lookup (kubectl run --rm -i returns the lookup's exit status), tolerating
 * every taint so it runs even before any worker has joined. Prints `hobbykube-dns WHAT ok|failed
 * NAME` (and the last attempt's output when it failed), which parseDnsCheck reads. Needs `kc`.
 */
export function dnsLookupFunction(options: DnsLookupOptions): string {
  if (!/^[a-z0-9-]{1,40}$/.test(options.podPrefix)) throw new Error(`not a pod name prefix: ${options.podPrefix}`);
  if (!Number.isInteger(options.attempts) || options.attempts < 1 || options.attempts > 10) throw new Error(`not a number of attempts: ${options.attempts}`);
  if (!/^\d+(s|m)$/.test(options.podRunningTimeout)) throw new Error(`not a Go duration: ${options.podRunningTimeout}`);
  return shd`
    lookup() {
      local what=$1 name=$2 out='' i pod
      pod=${options.podPrefix}-$what
      for ((i = 1; i <= ${raw(String(options.attempts))}; i++)); do
        ${raw(options.deleteLeftover ? 'kc -n default delete pod "$pod" --ignore-not-found --wait=true >/dev/null 2>&1 || true' : '# a new pod name: nothing to clean up first')}
        if out=$(kc -n default run "$pod" --rm -i --restart=Never --quiet \\
          --pod-running-timeout=${options.podRunningTimeout} --image=${DNS_CHECK_IMAGE} --overrides=${DNS_CHECK_OVERRIDES} \\
          -- nslookup "$name" 2>&1); then
          echo "hobbykube-dns $what ok $name"
          return 0
        fi
        [ "$i" -lt ${String(options.attempts)} ] && sleep 3
      done
      echo "hobbykube-dns $what failed $name"
      printf '%s\\n' "$out"
      return 1
    }`;
}

export interface DnsCheckResult {
  internal: boolean;
  external: boolean;
  /** The resolver the pod used (the cluster DNS service IP), when reported. */
  nameserver?: string;
  /** Plain words for the owner when something failed; empty when both lookups worked. */
  explanation: string;
}

/** Reads the check pod's log (the `hobbykube-dns ...` lines). */
export function parseDnsCheck(log: string, upstreamDns: readonly string[] = []): DnsCheckResult {
  const has = (what: string, outcome: string) => new RegExp(`^hobbykube-dns ${what} ${outcome}\\b`, 'm').test(log);
  const internal = has('internal', 'ok');
  const external = has('external', 'ok');
  const nameserver = /^hobbykube-dns nameserver nameserver\s+(\S+)/m.exec(log)?.[1];
  const ran = has('internal', '(ok|failed)') || has('external', '(ok|failed)');
  const servers = upstreamDns.length > 0 ? upstreamDns.join(', ') : 'the upstream servers';
  let explanation = '';
  if (!ran) {
    explanation =
      'The check pod never reported: it may not have been scheduled (no node with room), its image ' +
      `(${DNS_CHECK_IMAGE}) could not be pulled, or the pod network is not up yet (flannel pods not Running).`;
  } else if (!internal && !external) {
    explanation =
      'Nothing resolved, not even the cluster\'s own names: CoreDNS is not answering. Likely causes: CoreDNS pods ' +
      'not Running (kubectl -n kube-system get pods -l k8s-app=kube-dns; a "loop" error in their log means a node ' +
      'hands pods a resolv.conf pointing at 127.0.0.53), the pod network is down (flannel), or kube-proxy rules ' +
      'for the kube-dns service are missing.';
  } else if (!external) {
    explanation =
      `Cluster names resolve but outside names do not: CoreDNS cannot reach ${servers}. Likely causes: a firewall ` +
      'or the provider blocking outgoing DNS (UDP/TCP 53) from the nodes, a wrong upstream address in the spec, or ' +
      "pods' traffic not being masqueraded to the outside (flannel's --ip-masq, net.ipv4.ip_forward=1).";
  } else if (!internal) {
    explanation =
      'Outside names resolve but cluster names do not: the kubernetes plugin in the Corefile is missing or CoreDNS ' +
      'cannot reach the API server (look at the CoreDNS pods\' log).';
  }
  return { internal, external, ...(nameserver !== undefined ? { nameserver } : {}), explanation };
}

export function corefileHash(upstreamDns: readonly string[]): string {
  return createHash('sha256').update(renderCorefile(upstreamDns)).digest('hex').slice(0, 16);
}

export interface DnsCheckInput {
  upstreamDns: readonly string[];
  /** A name outside the cluster to resolve; default kubernetes.io (absolute, so no search suffixes apply). */
  externalName?: string;
}

export function dnsCheckStep(input: DnsCheckInput): StepScripts {
  const externalName = input.externalName ?? 'kubernetes.io.';
  if (!/^[A-Za-z0-9.-]+$/.test(externalName)) throw new Error(`not a DNS name: ${externalName}`);
  const hash = corefileHash(input.upstreamDns);
  const annotationPath = `{.metadata.annotations.${DNS_VERIFIED_ANNOTATION.replace(/\./g, '\\.')}}`;
  const failure = (what: string) =>
    parseDnsCheck(`hobbykube-dns internal ${what === 'internal' ? 'failed' : 'ok'}\nhobbykube-dns external failed`, input.upstreamDns).explanation;
  return step({
    describe: `Check cluster DNS: resolve ${INTERNAL_NAME} and ${externalName.replace(/\.$/, '')} from a pod`,
    probe: script(
      shd`
      verified=$(kq -n kube-system get configmap coredns -o jsonpath=${annotationPath} 2>/dev/null) || exit 1
      [ "$verified" = ${hash} ] || exit 1
      exit 0`,
      [SHELL_HELPERS.kubectlQuick],
    ),
    action: script(
      shd`
      ${raw(dnsLookupFunction(INSTALL_LOOKUP))}
      log=$({ lookup internal ${INTERNAL_NAME}; lookup external ${externalName}; } 2>&1 || true)
      printf '%s\\n' "$log"
      internal=no
      external=no
      if grep -q '^hobbykube-dns internal ok' <<<"$log"; then internal=yes; fi
      if grep -q '^hobbykube-dns external ok' <<<"$log"; then external=yes; fi
      if [ "$internal" = yes ] && [ "$external" = yes ]; then
        kc -n kube-system annotate configmap coredns --overwrite ${`${DNS_VERIFIED_ANNOTATION}=${hash}`} >/dev/null
        echo "cluster DNS works: cluster and outside names resolve"
        exit 0
      fi
      if [ -z "$log" ] || ! grep -Eq '^hobbykube-dns (internal|external) ' <<<"$log"; then
        echo ${parseDnsCheck('', input.upstreamDns).explanation} >&2
      elif [ "$internal" = no ] && [ "$external" = no ]; then
        echo ${failure('internal')} >&2
      elif [ "$external" = no ]; then
        echo ${failure('external')} >&2
      else
        echo ${parseDnsCheck('hobbykube-dns internal failed\nhobbykube-dns external ok', input.upstreamDns).explanation} >&2
      fi
      exit 1`,
      [SHELL_HELPERS.kubectl],
    ),
  });
}
