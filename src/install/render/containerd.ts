// containerd 2.x for Kubernetes (its sandbox image: sandbox-image.ts, with the shell functions here).
//
// Why 2.x: Kubernetes 1.35 was the last release to support containerd 1.x; containerd's
// RELEASES.md lists 2.2+ for Kubernetes 1.36 and later (the kubelet's CRI RuntimeConfig call
// needs containerd 2.0+; kubeadm 1.37's ContainerRuntimeVersion preflight check warns, 1.38's
// fails). Debian 12 ships containerd 1.6.20 and Ubuntu 22.04/24.04 a 1.7, so the distribution
// package will not do.
//
// Where from: Docker's apt repository (download.docker.com), package `containerd.io`. It ships
// containerd 2.x for Debian 12 and Ubuntu 22.04/24.04 (containerd.io 2.2.1-1~ubuntu.24.04~noble
// and ~debian.12~bookworm were published in January 2026: docker/for-linux#1557,
// containerd/containerd#12741; docker-ce-packaging#1334, June 2026, made docker-ce require
// containerd.io >= 2.1.5), bundles runc and a systemd unit, and is what containerd's own
// getting-started guide points Debian and Ubuntu users to. apt checks the repository's signed
// InRelease file, as for pkgs.k8s.io. The alternative, containerd's release tarball plus runc
// and a unit file, needs sha256 pins we could not confirm from a published source while
// writing this, and gets no security updates through apt.
//
// The package declares `Conflicts: containerd, runc` and `Replaces: containerd, runc`, so
// installing it removes the distribution's containerd and runc packages (their images and
// containers under /var/lib/containerd stay). A node with Docker Engine is refused earlier, in
// preflight (src/facts/preflight.ts): Docker shares that containerd.
//
// The config is regenerated from `containerd config default` of the installed 2.x (a `version = 3`
// file) and rewritten: SystemdCgroup = true in the 2.x runc options table
// (`plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options`, which 2.x's default
// output leaves out), `disabled_plugins` emptied (Docker's packaged config.toml disables the CRI
// plugin), and the sandbox image pinned at `pinned_images.sandbox` (was `sandbox_image` in 1.x).
import { script, SHELL_HELPERS, dedent, shd, step, type StepScripts } from './script.js';
import { SIGNING_KEYS, VERIFY_FUNCTIONS } from './pins.js';

export const DOCKER_APT_URL = 'https://download.docker.com/linux';
/** Docker's armored signing key, where Docker's install guide keeps it (apt reads .asc keys). */
export const DOCKER_KEYRING = '/etc/apt/keyrings/docker.asc';
export const DOCKER_SOURCES_LIST = '/etc/apt/sources.list.d/docker.list';
export const CONTAINERD_PACKAGE = 'containerd.io';
/** The oldest containerd supported for Kubernetes 1.36+ (containerd RELEASES.md). */
export const CONTAINERD_MIN_VERSION = '2.2';
/** The apt version pattern: the newest 2.x Docker's repository has (never a future 3.x with another config layout). */
export const CONTAINERD_APT_PATTERN = `${CONTAINERD_PACKAGE}=2.*`;
export const CONTAINERD_CONFIG = '/etc/containerd/config.toml';
/** The runc options table of the version 3 (containerd 2.x) config, in both TOML quotings. */
export const RUNC_OPTIONS_TABLE_V3 = "[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]";
const RUNC_OPTIONS_TABLE_V3_DQ = '[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]';

/**
 * Rewrites a containerd config (the output of `containerd config default`, or the current file):
 * - `SystemdCgroup = true` in the runc options table of both layouts, containerd 1.x
 *   (`plugins."io.containerd.grpc.v1.cri"...`) and 2.x (`plugins.'io.containerd.cri.v1.runtime'...`),
 *   added (before the table's trailing blank lines) when the table lacks the key;
 * - a top-level `disabled_plugins` emptied, so the CRI plugin is never disabled (the Docker
 *   packages' config.toml disables it);
 * - when `pause` is set, the sandbox (pause) image: `sandbox_image` (1.x) or
 *   `pinned_images.sandbox` (2.x).
 * Static text, fed to awk through a quoted here-document; the one variable arrives with -v.
 */
export const CONTAINERD_AWK = String.raw`
function flush_blanks() {
  printf "%s", blanks
  blanks = ""
}
function finish_opts() {
  if (in_opts && !has_systemd) print indent "SystemdCgroup = true"
  in_opts = 0
  flush_blanks()
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
in_opts && /^[[:space:]]*$/ { blanks = blanks $0 "\n"; next }
in_opts { flush_blanks() }
!seen_table && /^[[:space:]]*disabled_plugins[[:space:]]*=/ { print "disabled_plugins = []"; next }
in_opts && /^[[:space:]]*SystemdCgroup[[:space:]]*=/ { sub(/=.*/, "= true"); has_systemd = 1; print; next }
pause != "" && in_cri1 && /^[[:space:]]*sandbox_image[[:space:]]*=/ { sub(/=.*/, "= \"" pause "\""); print; next }
pause != "" && in_pinned && /^[[:space:]]*sandbox[[:space:]]*=/ { sub(/=.*/, "= \"" pause "\""); print; next }
{ print }
END { finish_opts() }
`.trim();

/**
 * Exits 0 when a config file is kubeadm-ready for containerd 2.x: `version = 3`, SystemdCgroup = true
 * inside the 2.x runc options table (a 1.x file's table does not count), and no disabled CRI plugin.
 */
export const CONTAINERD_V3_CHECK_AWK = String.raw`
/^[[:space:]]*\[/ {
  seen_table = 1
  header = $0
  sub(/^[[:space:]]+/, "", header)
  sub(/[[:space:]]+$/, "", header)
  in_opts = (header == table_sq || header == table_dq)
  next
}
!seen_table && /^[[:space:]]*version[[:space:]]*=[[:space:]]*3[[:space:]]*$/ { v3 = 1 }
!seen_table && /^[[:space:]]*disabled_plugins[[:space:]]*=.*cri/ { cri_off = 1 }
in_opts && /^[[:space:]]*SystemdCgroup[[:space:]]*=[[:space:]]*true[[:space:]]*$/ { systemd = 1 }
END { exit !(v3 && systemd && !cri_off) }
`.trim();

export const PAUSE_FUNCTION = dedent(`
  # Prints the pause image this node's kubeadm deploys (no network: the version is given).
  kubeadm_pause_image() {
    local version images
    version=$(kubeadm version -o short)
    images=$(kubeadm config images list --kubernetes-version "$version")
    printf '%s\\n' "$images" | awk '/\\/pause:/ && !found { print; found = 1 }'
  }`);

export const CONTAINERD_FUNCTIONS = dedent(`
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
  # install_containerd_config NEW: replaces ${CONTAINERD_CONFIG} when NEW differs (first original kept).
  install_containerd_config() {
    if cmp -s "$1" ${CONTAINERD_CONFIG}; then return 1; fi
    if [ -f ${CONTAINERD_CONFIG} ] && [ ! -e ${CONTAINERD_CONFIG}.hobbykube.bak ]; then
      cp -p ${CONTAINERD_CONFIG} ${CONTAINERD_CONFIG}.hobbykube.bak
    fi
    install -m 0644 "$1" ${CONTAINERD_CONFIG}
  }`);

/** Shell functions for the installed containerd's version and its config. */
export const CONTAINERD_VERSION_FUNCTIONS = dedent(`
  # Prints the installed containerd's version (2.2.4), or nothing.
  containerd_version() {
    command -v containerd >/dev/null 2>&1 || return 0
    containerd --version 2>/dev/null | head -n 1 | grep -oE '[0-9]+\\.[0-9]+\\.[0-9]+' | head -n 1 || true
  }
  # Whether the installed containerd is 2.x at or above ${CONTAINERD_MIN_VERSION}.
  containerd_supported() {
    local version major minor
    version=$(containerd_version)
    [ -n "$version" ] || return 1
    IFS=. read -r major minor _ <<<"$version"
    [ "$major" -eq 2 ] && [ "$minor" -ge ${CONTAINERD_MIN_VERSION.split('.')[1]} ]
  }
  # containerd_config_ready FILE: version 3, SystemdCgroup = true in the 2.x runc table, CRI not disabled.
  containerd_config_ready() {
    [ -f "$1" ] || return 1
    local program
    program=$(cat <<'AWK'
  ${CONTAINERD_V3_CHECK_AWK.split('\n').join('\n  ')}
  AWK
  )
    awk -v table_sq="${RUNC_OPTIONS_TABLE_V3}" -v table_dq='${RUNC_OPTIONS_TABLE_V3_DQ}' "$program" "$1"
  }`);

/** Docker Engine packages: their daemon shares containerd, so preflight refuses such a node and the action stops too. */
export const DOCKER_ENGINE_PACKAGES = ['docker-ce', 'docker.io', 'docker-engine', 'moby-engine'] as const;

export function containerdStep(): StepScripts {
  return step({
    describe: `Install containerd ${CONTAINERD_MIN_VERSION} or newer (${CONTAINERD_PACKAGE} from Docker's apt repository) and configure it for kubeadm (config version 3, systemd cgroups, CRI enabled)`,
    probe: script(
      `
      containerd_supported || exit 1
      containerd_config_ready ${CONTAINERD_CONFIG} || exit 1
      systemctl is-active --quiet containerd || exit 1
      exit 0`,
      [CONTAINERD_VERSION_FUNCTIONS],
    ),
    action: script(
      shd`
      if ! containerd_supported; then
        for package in ${DOCKER_ENGINE_PACKAGES}; do
          if installed "$package"; then
            echo "$package (Docker Engine) is installed and shares containerd: hobbykube does not replace the containerd under it. Remove Docker Engine first (apt-get purge $package)." >&2
            exit 1
          fi
        done
        os_id=$(sed -n 's/^ID=//p' /etc/os-release | tr -d '"')
        codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release | tr -d '"')
        case "$os_id" in
          ubuntu | debian) ;;
          *) echo "Docker's apt repository has ${CONTAINERD_PACKAGE} for Ubuntu and Debian; this node runs '$os_id'" >&2; exit 1 ;;
        esac
        [ -n "$codename" ] || { echo "/etc/os-release names no VERSION_CODENAME" >&2; exit 1; }
        current=$(containerd_version)
        if [ -n "$current" ]; then
          echo "containerd $current is installed; Kubernetes needs ${CONTAINERD_MIN_VERSION} or newer: replacing it with ${CONTAINERD_PACKAGE} 2.x"
        fi
        repo=${DOCKER_APT_URL}/$os_id
        # An owner who already set up Docker's repository keeps their entry (two entries with
        # different signed-by keys make apt refuse both); commented-out lines do not count.
        active=$(grep -Rhs -- "$repo" /etc/apt/sources.list /etc/apt/sources.list.d/ | grep -cv '^[[:space:]]*#' || true)
        if [ "$active" = 0 ]; then
          install -d -m 0755 /etc/apt/keyrings
          curl -fsSL --retry 3 -o ${DOCKER_KEYRING + '.new'} "$repo/gpg"
          verify_key ${DOCKER_KEYRING + '.new'} ${SIGNING_KEYS.docker} "Docker's signing key" || { rm -f ${DOCKER_KEYRING + '.new'}; exit 1; }
          chmod 0644 ${DOCKER_KEYRING + '.new'}
          mv -f ${DOCKER_KEYRING + '.new'} ${DOCKER_KEYRING}
          printf 'deb [arch=%s signed-by=%s] %s %s stable\\n' "$(dpkg --print-architecture)" ${DOCKER_KEYRING} "$repo" "$codename" >${DOCKER_SOURCES_LIST}
          echo "added Docker's apt repository: $repo $codename stable"
        fi
        apt_update
        # containerd.io conflicts with (and replaces) the distribution's containerd and runc packages.
        apt_get install -y ${CONTAINERD_APT_PATTERN}
        if ! containerd_supported; then
          echo "containerd is $(containerd_version) after installing ${CONTAINERD_PACKAGE}; Kubernetes needs ${CONTAINERD_MIN_VERSION} or newer" >&2
          exit 1
        fi
      fi
      install -d -m 0755 /etc/containerd
      work=$(mktemp -d)
      trap 'rm -rf "$work"' EXIT
      containerd config default >"$work/default.toml"
      # After a rerun on a node where kubeadm is already installed, keep the sandbox image aligned.
      pause=""
      if command -v kubeadm >/dev/null 2>&1; then pause=$(kubeadm_pause_image || true); fi
      rewrite_containerd_config "$work/default.toml" "$work/config.toml" "$pause"
      if ! containerd_config_ready "$work/config.toml"; then
        echo "containerd $(containerd_version) printed a config that is not version 3 with the runc options table of containerd 2.x" >&2
        exit 1
      fi
      changed=0
      if install_containerd_config "$work/config.toml"; then changed=1; echo "wrote ${CONTAINERD_CONFIG} (version 3)"; fi
      systemctl enable containerd >/dev/null
      if [ "$changed" = 1 ] || ! systemctl is-active --quiet containerd; then systemctl restart containerd; fi
      systemctl is-active --quiet containerd
      echo "containerd $(containerd_version) is running with SystemdCgroup = true and the CRI plugin enabled"`,
      [SHELL_HELPERS.apt, SHELL_HELPERS.installed, CONTAINERD_VERSION_FUNCTIONS, PAUSE_FUNCTION, CONTAINERD_FUNCTIONS, VERIFY_FUNCTIONS],
    ),
  });
}
