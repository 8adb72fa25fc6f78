// Cluster-level steps: kubeadm init and join, minting a join token, flannel, CoreDNS's upstream
// servers and a resolution check, waiting for a node to be Ready, reset, fetching admin.conf.
import { createHash } from 'node:crypto';
import { kubeYaml } from '../../kubeyaml.js';
import { raw, sh } from '../../shell/quote.js';
import { nodeName as nodeNameRule } from '../../spec/rules.js';
import type { NodeRole } from '../../spec/types.js';
import {
  CA_HASH_PATTERN,
  TOKEN_PATTERN,
  renderInitConfig,
  renderJoinConfig,
  renderKubeletPatch,
  type InitConfigInput,
  type JoinCommand,
  type JoinConfigInput,
} from './kubeadm-config.js';
import { resolvedDropIn } from './prepare.js';
import { HOSTS_CLEANUP, HOSTS_MARK } from './addresses.js';
import { COREDNS_KUBEADM, controlPlanePatchFiles, corednsPatch, type CorednsSizing } from './static-pods.js';
import { SWAP_CLEANUP, SWAP_LEFT_CHECK } from './swap.js';
import { encryptionConfigFile } from './encryption.js';
import { FIREWALL_CLEANUP, FIREWALL_LEFT_CHECK } from './firewall.js';
import {
  ADMIN_CONF,
  INIT_CONFIG_PATH,
  JOIN_CONFIG_PATH,
  KUBELET_PATCH_PATH,
  NODE_DIR,
  SHELL_HELPERS,
  alwaysRunProbe,
  script,
  shd,
  step,
  type StepScripts,
} from './script.js';

function checkNodeName(name: string): void {
  const problem = nodeNameRule(name);
  if (problem !== undefined) throw new Error(`node name ${JSON.stringify(name)}: expected ${problem}`);
}

/**
 * Hides secrets in kubeadm's output: bootstrap tokens wherever they appear (init prints a join
 * command and "[bootstrap-token] Using token: ..."), and certificate keys.
 */
export const REDACT_FUNCTION = String.raw`redact() { sed -u -E 's/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/<redacted-token>/g; s/(--certificate-key)([[:space:]]+)[^[:space:]]+/\1\2<redacted>/g'; }`;

// --- kubeadm init ---------------------------------------------------------------------------------

/** Complete once the API server answers and kubeadm's last phase (the kube-proxy add-on) ran. */
const INIT_DONE_CHECK = shd`
  [ -f ${ADMIN_CONF} ] || exit 1
  [ "$(kq get --raw /readyz 2>/dev/null || true)" = ok ] || exit 1
  kq -n kube-system get configmap kubeadm-config >/dev/null 2>&1 || exit 1
  kq -n kube-system get daemonset kube-proxy >/dev/null 2>&1 || exit 1
  exit 0`;

export function initStep(input: InitConfigInput): StepScripts {
  const config = renderInitConfig(input);
  const patch = renderKubeletPatch({ memTotalMiB: input.memTotalMiB, role: 'control-plane', resolvedStub: input.resolvedStub });
  return step({
    describe: `Create the cluster: kubeadm init on ${input.nodeName}`,
    files: [
      { path: INIT_CONFIG_PATH, content: config, mode: 0o600, secret: false },
      { path: KUBELET_PATCH_PATH, content: patch, mode: 0o644, secret: false },
      // Small control planes: memory requests for the static pods, one right-sized CoreDNS.
      ...controlPlanePatchFiles(input.memTotalMiB),
      // kube-apiserver reads the encryption configuration from its first start on (0600, secret).
      ...(input.encryptionKeys && input.encryptionKeys.length > 0 ? [encryptionConfigFile(input.encryptionKeys)] : []),
    ],
    probe: script(INIT_DONE_CHECK, [SHELL_HELPERS.kubectlQuick]),
    action: script(
      shd`
      config=${INIT_CONFIG_PATH}
      [ -f "$config" ] || { echo "missing $config (hobbykube copies it before this step)" >&2; exit 1; }
      wait_for_api() {
        local _
        for _ in $(seq 1 90); do
          if [ "$(kc --request-timeout=10s get --raw /readyz 2>/dev/null || true)" = ok ]; then return 0; fi
          sleep 2
        done
        return 1
      }
      if [ ! -f ${ADMIN_CONF} ]; then
        # The join command kubeadm prints carries a bootstrap token: redacted from the log.
        kubeadm init --config "$config" 2>&1 | redact
      else
        # An earlier init got this far; running it again would fail its preflight (files exist,
        # ports in use). Wait for the API server, then rerun the phases that come after it: each
        # only creates or updates what it owns. Never reset here: that is the owner's decision.
        echo "kubeadm init ran here before; waiting for the API server instead of starting over"
        if ! wait_for_api; then
          echo "the API server on this node does not answer after an earlier kubeadm init." >&2
          echo "Look at 'journalctl -u kubelet' on the node, or start over with: hobbykube reset --node NODE" >&2
          exit 1
        fi
        for phase in 'upload-config all' mark-control-plane bootstrap-token 'kubelet-finalize all' 'addon all'; do
          # shellcheck disable=SC2086 # the phase and its sub-phase are two words
          kubeadm init phase $phase --config "$config" 2>&1 | redact
        done
      fi
      wait_for_api || { echo "the API server does not answer /readyz after kubeadm init" >&2; exit 1; }
      # root's kubectl on the node, as the kubeadm guide does for the admin user.
      install -d -m 0700 /root/.kube
      install -m 0600 ${ADMIN_CONF} /root/.kube/config
      echo "the API server answers /readyz"`,
      [SHELL_HELPERS.kubectl, REDACT_FUNCTION],
    ),
  });
}

// --- minting a join token ---------------------------------------------------------------------------

export const JOIN_TOKEN_TTL = '15m';

export function mintJoinTokenStep(): StepScripts {
  return step({
    describe: `Mint a fresh join token on the control plane (valid ${JOIN_TOKEN_TTL})`,
    probe: alwaysRunProbe('A token is minted every time a worker needs one; it is never stored.'),
    action: script(shd`kubeadm token create --print-join-command --ttl ${JOIN_TOKEN_TTL} --kubeconfig ${ADMIN_CONF}`),
    secretOutput: true,
  });
}

/** Parses `kubeadm token create --print-join-command`: `kubeadm join HOST:PORT --token T --discovery-token-ca-cert-hash sha256:H`. */
export function parseJoinCommand(output: string): JoinCommand {
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('kubeadm join '));
  if (line === undefined) throw new Error('no "kubeadm join" line in the output of kubeadm token create');
  const words = line.split(/\s+/);
  const endpoint = words[2] ?? '';
  let token: string | undefined;
  const caCertHashes: string[] = [];
  for (let i = 3; i < words.length; i++) {
    const word = words[i]!;
    const [flag, inline] = word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    const value = () => inline ?? words[++i] ?? '';
    if (flag === '--token') token = value();
    else if (flag === '--discovery-token-ca-cert-hash') caCertHashes.push(value());
  }
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(endpoint)) throw new Error(`unexpected API server endpoint in the join command: ${endpoint}`);
  if (token === undefined || !TOKEN_PATTERN.test(token)) throw new Error('no well-formed --token in the join command');
  if (caCertHashes.length === 0 || !caCertHashes.every((hash) => CA_HASH_PATTERN.test(hash))) {
    throw new Error('no well-formed --discovery-token-ca-cert-hash in the join command');
  }
  return { endpoint, token, caCertHashes };
}

// --- kubeadm join -----------------------------------------------------------------------------------

export interface JoinStepInput extends JoinConfigInput {
  memTotalMiB: number;
  resolvedStub: boolean;
  role?: NodeRole;
}

export function joinStep(input: JoinStepInput): StepScripts {
  const role = input.role ?? 'worker';
  return step({
    describe: `Join ${input.nodeName} to the cluster (kubeadm join)`,
    files: [
      { path: KUBELET_PATCH_PATH, content: renderKubeletPatch({ memTotalMiB: input.memTotalMiB, role, resolvedStub: input.resolvedStub }), mode: 0o644, secret: false },
      { path: JOIN_CONFIG_PATH, content: renderJoinConfig(input), mode: 0o600, secret: true },
    ],
    probe: script(`
      [ -f /etc/kubernetes/kubelet.conf ] || exit 1
      exit 0`),
    action: script(
      shd`
      config=${JOIN_CONFIG_PATH}
      # The join configuration holds a bootstrap token: gone when this script ends, whatever happens.
      trap 'rm -f "$config"' EXIT
      if [ -f /etc/kubernetes/kubelet.conf ]; then echo "already joined"; exit 0; fi
      [ -f "$config" ] || { echo "missing $config (hobbykube copies it before this step)" >&2; exit 1; }
      if [ -e /etc/kubernetes/pki/ca.crt ] || [ -e /etc/kubernetes/bootstrap-kubelet.conf ]; then
        # Left by a join that failed before the kubelet got its credentials; the node never became
        # a member, so this only clears local state that would fail kubeadm's preflight.
        echo "clearing what an unfinished earlier join left behind (kubeadm reset -f)"
        kubeadm reset -f 2>&1 | redact
      fi
      kubeadm join --config "$config" 2>&1 | redact
      echo "joined: /etc/kubernetes/kubelet.conf written"`,
      [REDACT_FUNCTION],
    ),
  });
}

// flannel: render/flannel.ts (objects, the backend, no download).

// --- CoreDNS upstream servers ---------------------------------------------------------------------

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

// --- DNS check ----------------------------------------------------------------------------------

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
      # One short-lived pod per lookup (kubectl run --rm -i returns the lookup's exit status),
      # tolerating every taint so it runs even before any worker has joined.
      lookup() {
        local what=$1 name=$2 out i pod
        pod=${DNS_CHECK_POD}-$what
        for i in 1 2 3 4 5; do
          kc -n default delete pod "$pod" --ignore-not-found --wait=true >/dev/null 2>&1 || true
          if out=$(kc -n default run "$pod" --rm -i --restart=Never --quiet \\
            --pod-running-timeout=2m --image=${DNS_CHECK_IMAGE} --overrides=${DNS_CHECK_OVERRIDES} \\
            -- nslookup "$name" 2>&1); then
            echo "hobbykube-dns $what ok $name"
            return 0
          fi
          [ "$i" -lt 5 ] && sleep 3
        done
        echo "hobbykube-dns $what failed $name"
        printf '%s\\n' "$out"
        return 1
      }
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

// --- node Ready -----------------------------------------------------------------------------------

export function waitReadyStep(nodeName: string, timeoutSeconds = 300): StepScripts {
  checkNodeName(nodeName);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) throw new Error(`not a timeout: ${timeoutSeconds}`);
  return step({
    describe: `Wait until node ${nodeName} is Ready`,
    probe: script(
      shd`
      status=$(kq get node ${nodeName} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) || exit 1
      [ "$status" = True ] || exit 1
      exit 0`,
      [SHELL_HELPERS.kubectlQuick],
    ),
    action: script(
      shd`
      for _ in $(seq 1 30); do
        if kc get node ${nodeName} >/dev/null 2>&1; then break; fi
        sleep 2
      done
      kc wait --for=condition=Ready ${'node/' + nodeName} --timeout=${timeoutSeconds}s`,
      [SHELL_HELPERS.kubectl],
    ),
  });
}

// --- reset ----------------------------------------------------------------------------------------

/** What a reset wipes, in words for the confirmation prompt. */
export function resetWipes(role: NodeRole): string[] {
  return [
    'everything kubeadm set up on the node (kubeadm reset -f): /etc/kubernetes (certificates, kubeconfigs, static pod manifests), /var/lib/kubelet, the node\'s containers',
    ...(role === 'control-plane' ? ['the cluster\'s database: /var/lib/etcd (every object in the cluster is gone)'] : []),
    'the pod network configuration /etc/cni/net.d, flannel\'s /run/flannel and its network interfaces cni0 and flannel.1',
    'iptables and ip6tables rules in chains created by kube-proxy, flannel and the CNI plugins (KUBE-*, FLANNEL-*, CNI-*); other rules, such as a host firewall, are kept',
    'root\'s kubeconfig /root/.kube/config',
    'hobbykube\'s host firewall (nftables table inet hobbykube and the unit that loads it at boot): the Kubernetes ports it closed answer again; SSH was never closed',
    `hobbykube's kubeadm configuration and patches in ${NODE_DIR}, and its API endpoint line in /etc/hosts (NAT'd control plane)`,
    "hobbykube's swapfile (small workers) and its line in /etc/fstab; other swap is left alone",
    'kept: the installed packages (containerd.io 2.x with its config, kubelet, kubeadm, kubectl) and their apt repositories, so the node can join again quickly',
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
      for link in cni0 flannel.1; do
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

// --- admin.conf ----------------------------------------------------------------------------------

export function fetchAdminConfStep(): StepScripts {
  return step({
    describe: 'Fetch the cluster admin kubeconfig (saved 0600 in the state directory)',
    probe: alwaysRunProbe('Reading is harmless; the copy in the state directory is refreshed every time.'),
    action: script(shd`cat ${ADMIN_CONF}`),
    secretOutput: true,
    readOnly: true,
  });
}

