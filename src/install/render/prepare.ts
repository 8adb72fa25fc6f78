// Node preparation, following the official kubeadm install guide for Ubuntu 22.04/24.04 and
// Debian 12: swap off (on small workers instead: hobbykube's swapfile, swap.ts), kernel modules and sysctls, base packages, containerd with the systemd
// cgroup driver, the pkgs.k8s.io repository with kubelet/kubeadm/kubectl held, containerd's
// sandbox image aligned with kubeadm's, and (only where resolv.conf is systemd-resolved's stub)
// resolved's upstream servers. Each step: a side-effect-free probe and an idempotent action.
import { isIPv4, isIPv6 } from 'node:net';
import { dnsServer } from '../../spec/rules.js';
import { raw, sh } from '../../shell/quote.js';
import { aptRepositoryUrl, kubernetesPackages, parseKubernetesVersion } from './version.js';
import { SHELL_HELPERS, dedent, script, shd, step, type StepScripts } from './script.js';
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

// --- 4. containerd ------------------------------------------------------------------------------

/**
 * Rewrites a containerd config (the output of `containerd config default`, or the current file):
 * - `SystemdCgroup = true` in the runc options table of both layouts, containerd 1.x
 *   (`plugins."io.containerd.grpc.v1.cri"...`) and 2.x (`plugins.'io.containerd.cri.v1.runtime'...`),
 *   added when the table lacks the key;
 * - a top-level `disabled_plugins` emptied, so the CRI plugin is never disabled (the Docker
 *   packages' config.toml disables it);
 * - when `pause` is set, the sandbox (pause) image: `sandbox_image` (1.x) or
 *   `pinned_images.sandbox` (2.x).
 * Static text, fed to awk through a quoted here-document; the one variable arrives with -v.
 */
export const CONTAINERD_AWK = String.raw`
function finish_opts() {
  if (in_opts && !has_systemd) print indent "SystemdCgroup = true"
  in_opts = 0
}
/^[[:space:]]*\[/ {
  finish_opts()
  seen_table = 1
  header = $0
  sub(/^[[:space:]]+/, "", header)
  sub(/[[:space:]]+$/, "", header)
  in_opts = (header == "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc.options]" || header == "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]")
  in_cri1 = (header == "[plugins.\"io.containerd.grpc.v1.cri\"]")
  in_pinned = (header == "[plugins.'io.containerd.cri.v1.images'.pinned_images]" || header == "[plugins.\"io.containerd.cri.v1.images\".pinned_images]")
  has_systemd = 0
  match($0, /^[[:space:]]*/)
  indent = substr($0, 1, RLENGTH) "  "
  print
  next
}
!seen_table && /^[[:space:]]*disabled_plugins[[:space:]]*=/ { print "disabled_plugins = []"; next }
in_opts && /^[[:space:]]*SystemdCgroup[[:space:]]*=/ { sub(/=.*/, "= true"); has_systemd = 1; print; next }
pause != "" && in_cri1 && /^[[:space:]]*sandbox_image[[:space:]]*=/ { sub(/=.*/, "= \"" pause "\""); print; next }
pause != "" && in_pinned && /^[[:space:]]*sandbox[[:space:]]*=/ { sub(/=.*/, "= \"" pause "\""); print; next }
{ print }
END { finish_opts() }
`.trim();

const PAUSE_FUNCTION = dedent(`
  # Prints the pause image this node's kubeadm deploys (no network: the version is given).
  kubeadm_pause_image() {
    local version images
    version=$(kubeadm version -o short)
    images=$(kubeadm config images list --kubernetes-version "$version")
    printf '%s\\n' "$images" | awk '/\\/pause:/ && !found { print; found = 1 }'
  }`);

const CONTAINERD_FUNCTIONS = dedent(`
  # rewrite_containerd_config IN OUT PAUSE: the kubeadm-ready form of a containerd config.
  rewrite_containerd_config() {
    local program
    program=$(cat <<'AWK'
  ${CONTAINERD_AWK.split('\n').join('\n  ')}
  AWK
  )
    awk -v pause="$3" "$program" "$1" >"$2"
    if ! grep -Eq '^[[:space:]]*SystemdCgroup = true' "$2"; then
      echo "could not set SystemdCgroup = true: no runc options table in the containerd config" >&2
      return 1
    fi
  }
  # install_containerd_config NEW: replaces /etc/containerd/config.toml when NEW differs (first original kept).
  install_containerd_config() {
    if cmp -s "$1" /etc/containerd/config.toml; then return 1; fi
    if [ -f /etc/containerd/config.toml ] && [ ! -e /etc/containerd/config.toml.hobbykube.bak ]; then
      cp -p /etc/containerd/config.toml /etc/containerd/config.toml.hobbykube.bak
    fi
    install -m 0644 "$1" /etc/containerd/config.toml
  }`);

export function containerdStep(): StepScripts {
  return step({
    describe: 'Install containerd and configure it for kubeadm (systemd cgroups, CRI plugin enabled)',
    probe: script(`
      [ -f /etc/containerd/config.toml ] || exit 1
      grep -Eq '^[[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*true' /etc/containerd/config.toml || exit 1
      if grep -Eq '^[[:space:]]*disabled_plugins[[:space:]]*=.*cri' /etc/containerd/config.toml; then exit 1; fi
      systemctl is-active --quiet containerd || exit 1
      exit 0`),
    action: script(
      `
      # Docker's containerd.io package provides containerd too; installing Debian's would remove it.
      if ! installed containerd && ! installed containerd.io; then
        apt_update
        apt_get install -y containerd
      fi
      install -d -m 0755 /etc/containerd
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
      containerd config default >"$work/default.toml"
      # After a rerun on a node where kubeadm is already installed, keep the sandbox image aligned.
      pause=""
      if command -v kubeadm >/dev/null 2>&1; then pause=$(kubeadm_pause_image || true); fi
      rewrite_containerd_config "$work/default.toml" "$work/config.toml" "$pause"
      changed=0
      if install_containerd_config "$work/config.toml"; then changed=1; echo "wrote /etc/containerd/config.toml"; fi
      systemctl enable containerd >/dev/null
      if [ "$changed" = 1 ] || ! systemctl is-active --quiet containerd; then systemctl restart containerd; fi
      systemctl is-active --quiet containerd
      echo "containerd is running with SystemdCgroup = true"`,
      [SHELL_HELPERS.apt, SHELL_HELPERS.installed, PAUSE_FUNCTION, CONTAINERD_FUNCTIONS],
    ),
  });
}

/** containerd's sandbox (pause) image set to the one kubeadm expects (else kubeadm's preflight warns and two pause images are pulled). */
export function sandboxImageStep(): StepScripts {
  return step({
    describe: "Point containerd's sandbox (pause) image at the one this kubeadm uses",
    probe: script(
      `
      command -v kubeadm >/dev/null 2>&1 || exit 1
      pause=$(kubeadm_pause_image) || exit 1
      [ -n "$pause" ] || exit 1
      grep -Fq "= \\"$pause\\"" /etc/containerd/config.toml || exit 1
      systemctl is-active --quiet containerd || exit 1
      exit 0`,
      [PAUSE_FUNCTION],
    ),
    action: script(
      `
      pause=$(kubeadm_pause_image)
      if [ -z "$pause" ]; then
        echo "kubeadm config images list names no pause image" >&2
        exit 1
      fi
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
      rewrite_containerd_config /etc/containerd/config.toml "$work/config.toml" "$pause"
      if ! grep -Fq "= \\"$pause\\"" "$work/config.toml"; then
        echo "found no sandbox image setting in /etc/containerd/config.toml" >&2
        exit 1
      fi
      if install_containerd_config "$work/config.toml" || ! systemctl is-active --quiet containerd; then
        systemctl restart containerd
      fi
      echo "containerd sandbox image: $pause"`,
      [PAUSE_FUNCTION, CONTAINERD_FUNCTIONS],
    ),
  });
}

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
        curl -fsSL --retry 3 ${repo + 'Release.key'} | gpg --dearmor --batch --yes -o ${KEYRING + '.new'}
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
      [SHELL_HELPERS.apt],
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
