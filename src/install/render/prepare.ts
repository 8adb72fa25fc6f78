// Node preparation, following the official kubeadm install guide for Ubuntu 22.04/24.04 and
// Debian 12: swap off (on small workers instead: hobbykube's swapfile, swap.ts), kernel modules and
// sysctls, base packages, containerd 2.x with the systemd cgroup driver (containerd.ts), the
// pkgs.k8s.io repository with kubelet/kubeadm/kubectl held, containerd's
// sandbox image aligned with kubeadm's, and (only where resolv.conf is systemd-resolved's stub)
// resolved's upstream servers. Each step: a side-effect-free probe and an idempotent action.
import { isIPv4, isIPv6 } from 'node:net';
import { dnsServer } from '../../spec/rules.js';
import { raw, sh } from '../../shell/quote.js';
import { aptRepositoryUrl, kubernetesPackages, parseKubernetesVersion } from './version.js';
import { containerdStep, sandboxImageStep } from './containerd.js';
import { SIGNING_KEYS, VERIFY_FUNCTIONS } from './pins.js';
import { SHELL_HELPERS, script, shd, step, type StepScripts } from './script.js';
import { swapfileStep } from './swap.js';

export interface PrepareInput {
  /** The spec's kubernetesVersion: "1.37" or a patch release "1.37.2". */
  kubernetesVersion: string;
  /** The spec's dns.upstream (validated IP addresses). */
  upstreamDns: readonly string[];
  /** The node's /etc/resolv.conf is systemd-resolved's 127.0.0.53 stub (from the node's facts). */
  resolvedStub: boolean;
  /** A small worker's swapfile size (MiB, see reservations.ts); absent: swap is turned off instead. */
  swapMiB?: number;
}

export interface PlannedStep {
  id: string;
  scripts: StepScripts;
}

/** The preparation steps for one node, in order (each waits for the one before). */
export function prepareSteps(input: PrepareInput): PlannedStep[] {
  const steps: PlannedStep[] = [
    { id: 'prepare.swap', scripts: input.swapMiB !== undefined ? swapfileStep(input.swapMiB) : swapStep() },
    { id: 'prepare.kernel', scripts: kernelStep() },
    { id: 'prepare.packages', scripts: basePackagesStep() },
    { id: 'prepare.containerd', scripts: containerdStep() },
    { id: 'prepare.kubernetes', scripts: kubernetesPackagesStep(input.kubernetesVersion) },
    { id: 'prepare.sandbox-image', scripts: sandboxImageStep() },
  ];
  if (input.resolvedStub) steps.push({ id: 'prepare.resolved', scripts: resolvedStep(input.upstreamDns) });
  return steps;
}

// --- 1. swap ------------------------------------------------------------------------------------

const FSTAB_HAS_SWAP = `[ -f /etc/fstab ] && awk '!/^[[:space:]]*#/ && $3 == "swap" { found = 1 } END { exit !found }' /etc/fstab`;

export function swapStep(): StepScripts {
  return step({
    describe: 'Turn swap off now and at boot (control planes, and workers over 1 GB, run without swap)',
    probe: script(`
      if [ -n "$(swapon --show --noheadings 2>/dev/null || true)" ]; then exit 1; fi
      if ${FSTAB_HAS_SWAP}; then exit 1; fi
      exit 0`),
    action: script(`
      swapoff -a
      if ${FSTAB_HAS_SWAP}; then
        # Keep the first original; a second run never gets here (no swap line is left).
        [ -e /etc/fstab.hobbykube.bak ] || cp -p /etc/fstab /etc/fstab.hobbykube.bak
        tmp=$(mktemp /etc/fstab.hobbykube.XXXXXX)
        trap 'rm -f "$tmp"' EXIT
        awk '!/^[[:space:]]*#/ && $3 == "swap" { print "# disabled by hobbykube (kubelet needs swap off): " $0; next } { print }' /etc/fstab >"$tmp"
        # Rewrite in place: keeps the file's owner, mode and inode.
        cat "$tmp" >/etc/fstab
        if command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload; fi
        echo "commented out the swap entries of /etc/fstab (original in /etc/fstab.hobbykube.bak)"
      fi
      echo "swap is off"`),
  });
}

// --- 2. kernel modules and sysctls ----------------------------------------------------------------

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

// --- 3. base packages ---------------------------------------------------------------------------

const BASE_PACKAGES = ['ca-certificates', 'curl', 'gpg', 'apt-transport-https'];

export function basePackagesStep(): StepScripts {
  return step({
    describe: `Install ${BASE_PACKAGES.join(', ')}`,
    probe: script(
      shd`
      for package in ${BASE_PACKAGES}; do installed "$package" || exit 1; done
      exit 0`,
      [SHELL_HELPERS.installed],
    ),
    action: script(
      shd`
      apt_update
      apt_get install -y --no-install-recommends ${BASE_PACKAGES}`,
      [SHELL_HELPERS.apt],
    ),
  });
}

// --- 4. containerd: src/install/render/containerd.ts -------------------------------------------

// --- 5. Kubernetes repository and packages --------------------------------------------------------

const KEYRING = '/etc/apt/keyrings/kubernetes-apt-keyring.gpg';
const SOURCES_LIST = '/etc/apt/sources.list.d/kubernetes.list';

export function kubernetesPackagesStep(kubernetesVersion: string): StepScripts {
  const version = parseKubernetesVersion(kubernetesVersion);
  const repo = aptRepositoryUrl(version.minor);
  const entry = `deb [signed-by=${KEYRING}] ${repo} /`;
  // A `case` pattern: the quoted literal prefix, then a bare `*` for "any patch release".
  const wanted = version.patch ? sh`${'v' + version.patch}` : sh`${'v' + version.minor + '.'}` + '*';
  return step({
    describe: `Install kubelet, kubeadm and kubectl ${version.patch ?? version.minor + '.x'} from pkgs.k8s.io and hold them`,
    probe: script(shd`
      [ "$(cat ${SOURCES_LIST} 2>/dev/null || true)" = ${entry} ] || exit 1
      version=$(kubeadm version -o short 2>/dev/null) || exit 1
      case "$version" in
        ${raw(wanted)}) ;;
        *) exit 1 ;;
      esac
      held=$(apt-mark showhold 2>/dev/null || true)
      for package in kubelet kubeadm kubectl; do grep -qx "$package" <<<"$held" || exit 1; done
      systemctl is-enabled --quiet kubelet || exit 1
      exit 0`),
    action: script(
      shd`
      install -d -m 0755 /etc/apt/keyrings
      if [ ! -s ${KEYRING} ] || [ "$(cat ${SOURCES_LIST} 2>/dev/null || true)" != ${entry} ]; then
        key=$(mktemp)
        curl -fsSL --retry 3 -o "$key" ${repo + 'Release.key'}
        verify_key "$key" ${SIGNING_KEYS.kubernetes} "pkgs.k8s.io's signing key" || { rm -f "$key"; exit 1; }
        gpg --dearmor --batch --yes -o ${KEYRING + '.new'} <"$key"
        rm -f "$key"
        chmod 0644 ${KEYRING + '.new'}
        mv -f ${KEYRING + '.new'} ${KEYRING}
        printf '%s\\n' ${entry} >${SOURCES_LIST}
      fi
      apt_update
      apt_get install -y --allow-change-held-packages ${kubernetesPackages(version)}
      apt-mark hold kubelet kubeadm kubectl >/dev/null
      # The kubelet restarts in a loop until kubeadm init/join gives it a configuration: expected.
      systemctl enable kubelet >/dev/null
      echo "installed kubeadm $(kubeadm version -o short); kubelet, kubeadm and kubectl are held"`,
      [SHELL_HELPERS.apt, VERIFY_FUNCTIONS],
    ),
  });
}

// --- 6. systemd-resolved upstream servers -------------------------------------------------------

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
